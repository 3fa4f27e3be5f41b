// What a reader sees of a notebook's HTML export in headless Chromium behind the network wall: each chart as plotly.js
// drew it (its SVG, and the pixels of a screenshot of the box), each quiz card as read, and the problems found.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TextGen.Tests.Browser;

namespace TextGen.Tests.Notebooks;

/// <summary>One chart box on the page: whether plotly.js drew into it, and how much of its screenshot is drawn.</summary>
public sealed record ChartPicture(int Index, string Id, string Title, bool Visible, bool Drawn, int Traces, double Width, double Height, double InkShare, int Colours, string? ScreenshotError)
{
    // A drawn 720x400 chart has a third or more of its box in ink and hundreds of colours (anti-aliased text
    // and lines); a blank box has one colour and no ink, and a box with a lone filled rectangle a handful.
    public const double MinInkShare = 0.10;
    public const int MinColours = 64;
    public const double MinWidth = 200, MinHeight = 150;

    /// <summary>Why a reader would not see this chart, or null when it is drawn.</summary>
    public string? Problem =>
        !Visible ? "it is not visible (hidden, or a box of no size)"
        : !Drawn ? "plotly.js did not draw it (no .main-svg in the box)"
        : Traces == 0 ? "plotly.js drew no trace into it"
        : Width < MinWidth || Height < MinHeight ? $"its box is {Width:F0}x{Height:F0} px, too small to show a chart"
        : ScreenshotError is not null ? $"its screenshot failed: {ScreenshotError}"
        : InkShare < MinInkShare || Colours < MinColours ? $"it is a blank box: {InkShare:P1} of its pixels differ from the background (at least {MinInkShare:P0} wanted), {Colours} colours (at least {MinColours} wanted)"
        : null;

    public override string ToString() => $"chart {Index + 1} '{Title}' ({Id})";
}

/// <summary>One quiz or check card on the page, as a reader sees it.</summary>
public sealed record QuizPicture(int Index, string Head, bool HasPrompt, bool HasList, int Choices, string Badge, bool Visible)
{
    /// <summary>A claim or fact card: the lesson's statement checked against the run ("Claim") or shown as a fact ("Fact"); it has a statement and no choices.</summary>
    public bool IsClaim => Head.Contains(" · Claim · ", StringComparison.Ordinal) || Head.Contains(" · Fact · ", StringComparison.Ordinal);

    /// <summary>A question (it has a prompt or calls itself one); checks and claims show no choices.</summary>
    public bool IsQuestion => !IsClaim && (HasPrompt || HasList || Head.Contains("Question", StringComparison.Ordinal));

    /// <summary>Why a reader would not see this card as it should be, or null.</summary>
    public string? Problem =>
        !Visible ? "it is not visible"
        : Badge.Trim().Length == 0 ? "it has no status badge"
        : IsQuestion && (!HasList || Choices < 2) ? $"it shows no numbered choices (an <ol> with at least two <li>; found {(HasList ? $"{Choices} item(s)" : "no <ol>")})"
        : null;

    public override string ToString() => $"quiz card {Index + 1} '{Head}'";
}

/// <summary>Everything measured on one notebook's page, and the problems a reader would meet there.</summary>
public sealed record PictureReport(string Name, int Cells, int ChartOutputs, int QuizOutputs, IReadOnlyList<ChartPicture> Charts, IReadOnlyList<QuizPicture> Quizzes,
    IReadOnlyList<string> ObjectTables, IReadOnlyList<string> Refused, IReadOnlyList<string> Fetched, IReadOnlyList<string> ScriptErrors)
{
    public IReadOnlyList<string> Problems
    {
        get
        {
            var problems = new List<string>();
            if (Cells == 0) problems.Add("the page shows no notebook cells");
            if (Charts.Count != ChartOutputs) problems.Add($"the notebook has {ChartOutputs} chart output(s) but the page shows {Charts.Count} chart box(es) (div.textgen-chart)");
            problems.AddRange(Charts.Where(c => c.Problem is not null).Select(c => $"{c}: {c.Problem}"));
            if (Quizzes.Count < QuizOutputs) problems.Add($"the notebook has {QuizOutputs} quiz output(s) but the page shows {Quizzes.Count} quiz card(s) (div.textgen-quiz)");
            problems.AddRange(Quizzes.Where(q => q.Problem is not null).Select(q => $"{q}: {q.Problem}"));
            problems.AddRange(ObjectTables.Select(t => $"a quiz shown as an object table (dni- element): {t}"));
            problems.AddRange(Fetched.Select(u => $"fetched over the network: {u}"));
            return problems;
        }
    }

    /// <summary>What was measured, one line per chart and card, for the test output.</summary>
    public string Summary() => string.Join("\n", [$"{Name}: {Cells} cells, {Charts.Count}/{ChartOutputs} charts, {Quizzes.Count}/{QuizOutputs} quiz cards, {Refused.Count} request(s) refused",
        .. Charts.Select(c => $"  {c}: drawn {c.Drawn}, {c.Traces} trace(s), {c.Width:F0}x{c.Height:F0} px, ink {c.InkShare:P1}, {c.Colours} colours"),
        .. Quizzes.Select(q => $"  {q}: {(q.HasList ? $"{q.Choices} choices" : "no list")}, badge '{q.Badge}'")]);

    /// <summary>The problems, with what explains them, for an assertion message.</summary>
    public string Describe() => $"{Name}: {string.Join("\n  ", ["", .. Problems])}" +
        (ScriptErrors.Count > 0 ? $"\n  script errors: {string.Join(" | ", ScriptErrors.Take(5))}" : "") +
        (Refused.Count > 0 ? $"\n  requests refused by the network wall: {string.Join(", ", Refused.Take(5))}" : "");
}

/// <summary>Takes a <see cref="PictureReport"/> of a notebook's HTML export.</summary>
public static class NotebookPicture
{
    /// <summary>The first line of a quiz result's text form, "[id] title — badge" (QuizResult.Headline).</summary>
    public static readonly Regex Headline = new(@"^\[[^\]\s]+\] .+ — ", RegexOptions.Compiled);

    private const string ChartSelector = "div.textgen-chart";

    private const string WaitForCharts = "() => [...document.querySelectorAll('div.textgen-chart')].every(el => el.querySelector('.main-svg'))";

    // One pass over the DOM. Quiz headlines inside dni- elements (the kernel's default object formatter) are
    // reported once, for the outermost such element.
    private const string ReadPage = """
        () => {
          const headline = /\[[^\]\s]+\] [^\n]*? — /;
          const text = el => (el ? el.textContent : '').trim();
          const charts = [...document.querySelectorAll('div.textgen-chart')].map(el => {
            const r = el.getBoundingClientRect();
            return { id: el.id, title: text(el.querySelector('.gtitle')), visible: el.checkVisibility(), drawn: el.querySelector('.main-svg') !== null,
                     traces: el.querySelectorAll('.main-svg .trace, .main-svg .hm').length, width: r.width, height: r.height };
          });
          const quizzes = [...document.querySelectorAll('div.textgen-quiz')].map(q => ({
            head: text(q.firstElementChild), prompt: q.querySelector(':scope > p') !== null, list: q.querySelector(':scope > ol') !== null,
            choices: q.querySelectorAll(':scope > ol > li').length, badge: text(q.querySelector('.textgen-badge')), visible: q.checkVisibility() }));
          const hits = [...document.querySelectorAll('[class^="dni-"], [class*=" dni-"]')].filter(e => headline.test(e.textContent));
          const tables = hits.filter(e => !hits.some(o => o !== e && o.contains(e))).map(e => text(e).slice(0, 120));
          return { cells: document.querySelectorAll('.jp-Cell, div.cell').length, charts, quizzes, tables };
        }
        """;

    /// <summary>Counts the notebook's chart outputs (those with the static SVG beside them) and quiz outputs (text headline "[id] title — badge").</summary>
    public static (int Charts, int Quizzes) CountOutputs(string ipynb)
    {
        var outputs = JsonNode.Parse(File.ReadAllText(ipynb))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? []).Select(o => o!["data"]).OfType<JsonObject>().ToList();
        int charts = outputs.Count(d => d.ContainsKey("image/svg+xml"));
        int quizzes = outputs.Count(d => d["text/plain"] is { } t && Headline.IsMatch(TextGen.Notebooks.OutputCheck.Join(t)));
        return (charts, quizzes);
    }

    /// <summary>Opens <paramref name="html"/> (the export of <paramref name="ipynb"/>), waits for the charts, measures them and the quiz cards; writes a full-page screenshot to <paramref name="screenshot"/> when given.</summary>
    public static async Task<PictureReport> TakeAsync(HeadlessBrowser browser, string ipynb, string html, string? screenshot = null)
    {
        var (chartOutputs, quizOutputs) = CountOutputs(ipynb);
        await using var page = await browser.OpenAsync(new Uri(html));
        // Every inline script has run by the load event, the first chart's plotly.js included, so a chart draws at
        // once or, when its script waits for window.Plotly, within a poll; one still empty after a few seconds never draws.
        try { await page.Page.WaitForFunctionAsync(WaitForCharts, null, new() { Timeout = 5_000, PollingInterval = 100 }); }
        catch (TimeoutException) { /* reported below, with the other charts */ }
        // plotly.js finishes a plot over a few frames after its first SVG appears.
        await page.Page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");

        var facts = await page.Page.EvaluateAsync<JsonElement>(ReadPage);
        var charts = new List<ChartPicture>();
        var boxes = page.Page.Locator(ChartSelector);
        int index = 0;
        foreach (var c in facts.GetProperty("charts").EnumerateArray())
        {
            double ink = 0; int colours = 0; string? error = null;
            try { (ink, colours) = PngImage.Decode(await boxes.Nth(index).ScreenshotAsync(new() { Timeout = 10_000, Animations = ScreenshotAnimations.Disabled })).Ink(); }
            catch (Exception e) when (e is PlaywrightException or TimeoutException) { error = e.Message.Split('\n')[0]; }
            charts.Add(new ChartPicture(index++, c.GetProperty("id").GetString() ?? "", c.GetProperty("title").GetString() ?? "",
                c.GetProperty("visible").GetBoolean(), c.GetProperty("drawn").GetBoolean(),
                c.GetProperty("traces").GetInt32(), c.GetProperty("width").GetDouble(), c.GetProperty("height").GetDouble(), ink, colours, error));
        }
        var quizzes = facts.GetProperty("quizzes").EnumerateArray().Select((q, i) => new QuizPicture(i, q.GetProperty("head").GetString() ?? "",
            q.GetProperty("prompt").GetBoolean(), q.GetProperty("list").GetBoolean(), q.GetProperty("choices").GetInt32(),
            q.GetProperty("badge").GetString() ?? "", q.GetProperty("visible").GetBoolean())).ToList();
        var tables = facts.GetProperty("tables").EnumerateArray().Select(t => t.GetString() ?? "").ToList();

        if (screenshot is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(screenshot))!);
            await page.Page.ScreenshotAsync(new() { Path = screenshot, FullPage = true, Timeout = 60_000, Animations = ScreenshotAnimations.Disabled });
        }
        return new PictureReport(Path.GetFileName(ipynb), facts.GetProperty("cells").GetInt32(), chartOutputs, quizOutputs, charts, quizzes, tables,
            page.Refused, page.Fetched, page.ScriptErrors);
    }
}
