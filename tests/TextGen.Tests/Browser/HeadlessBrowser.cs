// The test run's one headless Chromium (Debian's, driven through Playwright's bundled driver), and pages
// opened in it behind a network wall: every http, https and WebSocket request is refused and recorded.
using Microsoft.Playwright;
using TextGen.Tests.Notebooks;
using Xunit;

[assembly: AssemblyFixture(typeof(TextGen.Tests.Browser.HeadlessBrowser))]

namespace TextGen.Tests.Browser;

/// <summary>Debian's Chromium, started headless on first use (installed by tests/setup-browser.sh when missing) and closed when the test run ends.</summary>
public sealed class HeadlessBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    // The flags this machine's Chromium needs to start cleanly in a container and stay quiet: no sandbox (root),
    // no GPU, and none of its own traffic (QUIC, component updates, sync, background fetches).
    private static readonly string[] Flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly SemaphoreSlim gate = new(1, 1);
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>Installs Chromium when it is missing, through the test run's one installer gate (apt allows one apt-get at a time).</summary>
    public static void EnsureChromium() => Installers.Ensure(Installers.Browser, $"Debian's Chromium ({ChromiumPath})", () => File.Exists(ChromiumPath));

    private async Task<IBrowser> BrowserAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (browser is { IsConnected: true }) return browser;
            EnsureChromium();
            playwright ??= await Playwright.CreateAsync();
            // Playwright gives each launch a fresh temporary profile (--user-data-dir) and removes it on close.
            // The proxy is a second wall behind the request routes: a closed loopback port, loopback included,
            // so a request the routes did not see still goes nowhere.
            browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = Flags,
                Proxy = new Proxy { Server = "http://127.0.0.1:9" },
                Timeout = 60_000,
            });
            return browser;
        }
        finally { gate.Release(); }
    }

    /// <summary>Opens <paramref name="url"/> in a fresh context with a viewport <paramref name="width"/> pixels wide, behind the network wall, and waits for its load event.</summary>
    public async Task<WalledPage> OpenAsync(Uri url, int width = 1000, int height = 800)
    {
        var context = await (await BrowserAsync()).NewContextAsync(new()
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 1,
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        var page = new WalledPage(context);
        await page.WallAsync();
        await page.GotoAsync(url);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        gate.Dispose();
    }
}

/// <summary>A page whose every network request is refused: what it tried to reach is in <see cref="Refused"/>, and anything that did arrive over the network in <see cref="Fetched"/> (which should stay empty).</summary>
public sealed class WalledPage : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly List<string> refused = [], fetched = [], errors = [];

    internal WalledPage(IBrowserContext context) => this.context = context;

    public IPage Page { get; private set; } = null!;

    public IReadOnlyList<string> Refused { get { lock (refused) return [.. refused]; } }
    public IReadOnlyList<string> Fetched { get { lock (fetched) return [.. fetched]; } }
    /// <summary>Uncaught script errors on the page, to explain a chart that did not draw.</summary>
    public IReadOnlyList<string> ScriptErrors { get { lock (errors) return [.. errors]; } }

    private static bool IsNetwork(string url) => url.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("ws:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("wss:", StringComparison.OrdinalIgnoreCase);

    internal async Task WallAsync()
    {
        await context.RouteAsync(IsNetwork, async route =>
        {
            lock (refused) refused.Add(route.Request.Url);
            await route.AbortAsync("blockedbyclient");
        });
        // A WebSocket route that never connects to the server is a mock: the socket stays inside the browser.
        await context.RouteWebSocketAsync(_ => true, ws => { lock (refused) refused.Add(ws.Url); });
        context.Response += (_, response) => { if (IsNetwork(response.Url)) lock (fetched) fetched.Add(response.Url); };
        Page = await context.NewPageAsync();
        Page.PageError += (_, error) => { lock (errors) errors.Add(error); };
    }

    internal async Task GotoAsync(Uri url) => await Page.GotoAsync(url.AbsoluteUri, new() { WaitUntil = WaitUntilState.Load, Timeout = 60_000 });

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
