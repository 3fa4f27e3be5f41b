// The browser harness itself: its network wall refuses every kind of request a page can make (a live
// loopback server sees no connection), and its screenshots decode to the pixels the page drew.
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace TextGen.Tests.Browser;

/// <summary>Tests of the browser harness the chart and picture tests rely on.</summary>
public class HeadlessBrowserTests(HeadlessBrowser browser)
{
    private static async Task<T> WithPage<T>(HeadlessBrowser browser, string body, Func<WalledPage, Task<T>> look)
    {
        var dir = Directory.CreateTempSubdirectory("textgen-browser-").FullName;
        try
        {
            var file = Path.Combine(dir, "page.html");
            File.WriteAllText(file, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0;background:white\">{body}</body></html>");
            await using var page = await browser.OpenAsync(new Uri(file));
            return await look(page);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Network_wall_refuses_every_request_and_a_live_server_sees_none()
    {
        var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        try
        {
            string at = $"http://127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}";
            string body = $"<img src=\"{at}/picture.png\"><link rel=\"stylesheet\" href=\"{at}/style.css\"><iframe src=\"{at}/frame\"></iframe>" +
                          "<script src=\"https://cdn.jsdelivr.net/npm/plotly.js-dist-min/plotly.min.js\"></script>";
            var (outcome, page) = await WithPage(browser, body, async p =>
            {
                var result = await p.Page.EvaluateAsync<string>($$"""
                    async () => {
                      const f = await fetch("{{at}}/data").then(() => "fetched", () => "refused");
                      const ws = await new Promise(done => {
                        const s = new WebSocket("{{at.Replace("http", "ws")}}/socket");
                        s.onopen = () => done("open"); s.onerror = () => done("error"); s.onclose = () => done("closed");
                        setTimeout(() => done("silent"), 1000);
                      });
                      return f + " " + ws;
                    }
                    """);
                return (result, (Refused: p.Refused, Fetched: p.Fetched));
            });
            Assert.StartsWith("refused ", outcome);
            Assert.False(server.Pending(), "the loopback server received a connection through the wall");
            Assert.Empty(page.Fetched);
            foreach (var path in new[] { "/picture.png", "/style.css", "/frame", "/data", "/socket" })
                Assert.Contains(page.Refused, u => u.EndsWith(path, StringComparison.Ordinal));
            Assert.Contains(page.Refused, u => u.StartsWith("https://cdn.jsdelivr.net/", StringComparison.Ordinal));
        }
        finally { server.Stop(); }
    }

    [Fact]
    public async Task Screenshot_decodes_to_the_pixels_drawn_and_counts_ink()
    {
        const string body = "<div id=\"box\" style=\"width:200px;height:100px;background:white;position:relative\">" +
                            "<div style=\"position:absolute;left:20px;top:10px;width:50px;height:40px;background:rgb(200,30,60)\"></div></div>";
        var png = await WithPage(browser, body, p => p.Page.Locator("#box").ScreenshotAsync());
        var image = PngImage.Decode(png);
        Assert.Equal((200, 100), (image.Width, image.Height));
        Assert.Equal(0xC81E3C, image.Rgb(30, 20));      // inside the red rectangle
        Assert.Equal(0xFFFFFF, image.Rgb(150, 80));     // the white rest
        var (ink, colours) = image.Ink();
        Assert.Equal(50 * 40 / (200.0 * 100), ink, 3);
        Assert.Equal(2, colours);
    }
}
