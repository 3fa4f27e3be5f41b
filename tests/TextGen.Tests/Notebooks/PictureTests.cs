// The picture test: each committed lesson's HTML export, in headless Chromium without network, shows drawn charts and
// quiz cards with numbered choices; the harness proven on a kernel-run sample and on outputs that must fail.
using System.Diagnostics;
using System.Text.Json.Nodes;
using TextGen.Interactive;
using TextGen.Course;
using TextGen.Tests.Browser;
using TextGen.Viz;
using Xunit;

namespace TextGen.Tests.Notebooks;

/// <summary>The committed lessons exported to HTML once for the picture tests (one nbconvert run), in a temporary folder removed afterwards.</summary>
public sealed class LessonHtml : IDisposable
{
    private readonly Lazy<string> dir = new(() =>
    {
        var outDir = Directory.CreateTempSubdirectory("textgen-pictures-").FullName;
        NbConvert.ToHtml([.. Course.LessonNames.Select(n => Path.Combine(Course.NotebooksDir, n))], outDir);
        return outDir;
    });

    /// <summary>The HTML export of lesson <paramref name="name"/> (an .ipynb file name).</summary>
    public string For(string name) => NbConvert.HtmlFor(dir.Value)(name);

    public void Dispose()
    {
        if (dir.IsValueCreated) Directory.Delete(dir.Value, true);
    }
}

/// <summary>The picture test over the committed lessons, and the harness's own proof: a kernel-run sample passes, broken outputs fail.</summary>
public class PictureTests(HeadlessBrowser browser, LessonHtml lessons) : IClassFixture<LessonHtml>
{
    /// <summary>Where screenshots go when the variable is set; a relative folder is taken from the repository root.</summary>
    public const string ScreenshotsVariable = "TEXTGEN_SCREENSHOTS";

    private static string? ScreenshotFor(string name) => Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } folder
        ? Path.Combine(Path.GetFullPath(folder, Course.Root), Path.GetFileNameWithoutExtension(name) + ".png")
        : null;

    [Theory]
    [MemberData(nameof(Course.Lessons), MemberType = typeof(Course))]
    public async Task Lesson_shows_drawn_charts_and_quiz_cards_in_headless_chromium_without_network(string name)
    {
        var clock = Stopwatch.StartNew();
        var report = await NotebookPicture.TakeAsync(browser, Path.Combine(Course.NotebooksDir, name), lessons.For(name), ScreenshotFor(name));
        TestContext.Current.TestOutputHelper?.WriteLine($"{report.Summary()}\n  {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(report.Problems.Count == 0, report.Describe());
    }

    private static JsonObject Cell(string source, params JsonObject[] outputs) => new()
    {
        ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = new JsonObject(),
        ["outputs"] = new JsonArray([.. outputs]), ["source"] = source,
    };

    private static JsonObject Output(IEnumerable<(string Mime, string Data)> data) => new()
    {
        ["output_type"] = "display_data", ["metadata"] = new JsonObject(),
        ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Mime, (JsonNode?)JsonValue.Create(d.Data)))),
    };

    private static string Notebook(params JsonObject[] cells) => new JsonObject
    {
        ["cells"] = new JsonArray([.. cells]),
        ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp", ["display_name"] = ".NET (C#)", ["language"] = "C#" } },
        ["nbformat"] = 4, ["nbformat_minor"] = 5,
    }.ToJsonString();

    private async Task<PictureReport> PictureOf(string ipynb)
    {
        var htmlDir = Path.Combine(Path.GetDirectoryName(ipynb)!, "html");
        NbConvert.ToHtml([ipynb], htmlDir);
        return await NotebookPicture.TakeAsync(browser, ipynb, NbConvert.HtmlFor(htmlDir)(ipynb));
    }

    [Fact]
    public async Task Harness_passes_a_sample_notebook_run_by_the_csharp_kernel()
    {
        // The cells a lesson has: the package, the three chart kinds, a question unanswered and answered, a check, a claim, a fact.
        Course.EnsurePackage();
        Course.EnsureJupyterKernel();
        var dir = Directory.CreateTempSubdirectory("textgen-picture-sample-").FullName;
        try
        {
            var ipynb = Path.Combine(dir, "in", "sample.ipynb");
            Directory.CreateDirectory(Path.GetDirectoryName(ipynb)!);
            File.WriteAllText(ipynb, Notebook(
                Cell("#r \"nuget: TextGen, 0.1.0\""),
                Cell("using TextGen.Viz;\nusing TextGen.Course;"),
                Cell("Charts.Line(\"Loss\", \"step\", \"nats\", [0, 100, 200], [(\"train\", (IReadOnlyList<double>)[4.1, 2.2, 1.8]), (\"validation\", (IReadOnlyList<double>)[4.1, 2.3, 1.9])])"),
                Cell("Charts.Bars(\"bits per character\", \"bits\", [\"rnn\", \"gru\", \"lstm\"], [(\"600 steps\", (IReadOnlyList<double>)[2.4, 2.3, 2.5]), (\"3000 steps\", (IReadOnlyList<double>)[1.9, 1.8, 1.7])])"),
                Cell("Charts.Heatmap(\"units\", [[1, -1, 0], [0.5, 0, -0.5]], [\"a\", \"b\", \"c\"], [\"u1\", \"u2\"])"),
                Cell("Quiz.Ask(\"1.1\", answer: null)"),
                Cell($"Quiz.Ask(\"1.1\", {QuestionBank.Get("1.1").Answer})"),
                Cell("Check.Close(\"1.c\", 1.02, 1.0, 0.05, \"the loss\")"),
                Cell("Claim.That(\"1.k\", \"the loss falls\", holds: 1.8 < 4.1, evidence: \"4.1 then 1.8\", bar: \"any fall shows it\")"),
                Cell("Claim.Fact(\"1.f\", \"six is two threes\", holds: 2 * 3 == 6, evidence: $\"{2 * 3}\")")));
            // The answer key would answer the first question itself; the sample shows it unanswered.
            string executed = NbConvert.Execute(ipynb, Path.Combine(dir, "out"), new Dictionary<string, string?> { [TextGen.Course.Quiz.AnswerKeyVariable] = "0" });
            var report = await PictureOf(executed);
            TestContext.Current.TestOutputHelper?.WriteLine(report.Summary());
            Assert.True(report.Problems.Count == 0, report.Describe());
            Assert.Equal(["Loss", "bits per character", "units"], report.Charts.Select(c => c.Title));
            Assert.All(report.Charts, c => Assert.True(c.Drawn && c.InkShare >= ChartPicture.MinInkShare && c.Colours >= ChartPicture.MinColours, c.ToString()));
            Assert.Equal([4, 4, 0, 0, 0], report.Quizzes.Select(q => q.Choices));
            static string Badge(QuizStatus status) => new QuizResult("", status, "", "", [], []).Badge;
            string claimBadge = new QuizResult("", QuizStatus.Correct, "Claim", "", [], []) { Kind = QuizKind.Claim }.Badge;
            string factBadge = QuizResult.BadgeOf(QuizKind.Fact, QuizStatus.Correct);
            Assert.Equal([Badge(QuizStatus.Unanswered), Badge(QuizStatus.Correct), Badge(QuizStatus.Correct), claimBadge, factBadge], report.Quizzes.Select(q => q.Badge));
            Assert.Equal([false, false, false, true, true], report.Quizzes.Select(q => q.IsClaim));
            Assert.Equal(5, report.QuizOutputs);
            Assert.Empty(report.ObjectTables);
            Assert.Empty(report.Fetched);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>A chart output as the kernel stores one: the static SVG, <paramref name="html"/> and the text line.</summary>
    private static (string, string)[] ChartOutput(string html, Plotly.NET.GenericChart chart) =>
        [("image/svg+xml", SvgRenderer.Render(chart)), ("text/html", html), ("text/plain", ChartView.Text(chart))];

    [Fact]
    public async Task Checks_fail_on_blank_or_undrawn_chart_boxes_and_on_quizzes_without_cards()
    {
        var chart = Charts.Line("Loss", "step", "nats", [0, 100, 200], [("train", [4.1, 2.2, 1.8])]);
        var question = TextGen.Course.Quiz.Ask("1.1", 2);
        var check = Check.Close("1.c", 1.02, 1.0, 0.05, "the loss");
        // A question card whose choices are plain lines rather than a numbered list.
        var unlisted = QuizCard.Html(question).Replace("<ol", "<div", StringComparison.Ordinal).Replace("</ol>", "</div>", StringComparison.Ordinal)
            .Replace("<li>", "<div>", StringComparison.Ordinal).Replace("</li>", "</div>", StringComparison.Ordinal);
        // The kernel's default object formatter, as it shows a QuizResult when no formatter is registered for it.
        var objectTable = $"<details open=\"open\" class=\"dni-treeview\"><summary><span class=\"dni-code-hint\"><code>{NotebookFormatters.E(question.ToString())}</code></span></summary>" +
            "<div><table><thead><tr></tr></thead><tbody><tr><td>Id</td><td><div class=\"dni-plaintext\"><pre>1.1</pre></div></td></tr>" +
            "<tr><td>Title</td><td><div class=\"dni-plaintext\"><pre>Question (easy)</pre></div></td></tr></tbody></table></div></details>";
        // A card as the old outputs had it: the right text, but not the course's card.
        var oldCard = $"<div style=\"border-left:4px solid #6e7781\"><div><b>1.1</b> Question</div><div>{NotebookFormatters.E(question.Prompt)}</div></div>";

        var dir = Directory.CreateTempSubdirectory("textgen-picture-negative-").FullName;
        try
        {
            var ipynb = Path.Combine(dir, "negative.ipynb");
            File.WriteAllText(ipynb, Notebook(
                Cell("drawn", Output(ChartOutput(ChartView.Html(chart), chart))),
                Cell("blank", Output(ChartOutput("<div class=\"textgen-chart\" id=\"blank-box\" style=\"width:720px;height:400px\"><svg class=\"main-svg\" width=\"720\" height=\"400\"><g class=\"trace\"></g></svg></div>", chart))),
                Cell("undrawn", Output(ChartOutput($"<div class=\"textgen-chart\" id=\"undrawn\">{SvgRenderer.Render(chart)}</div>", chart))),
                Cell("card", Output([("text/html", QuizCard.Html(question)), ("text/plain", question.ToString())])),
                Cell("check", Output([("text/html", QuizCard.Html(check)), ("text/plain", check.ToString())])),
                Cell("unlisted", Output([("text/html", unlisted), ("text/plain", question.ToString())])),
                Cell("object table", Output([("text/html", objectTable)])),
                Cell("old card", Output([("text/html", oldCard), ("text/plain", question.ToString())]))));
            var report = await PictureOf(ipynb);
            TestContext.Current.TestOutputHelper?.WriteLine(report.Summary());

            Assert.Equal(3, report.Charts.Count);
            Assert.Null(report.Charts[0].Problem);                                   // the real chart passes ...
            Assert.Contains("blank box", report.Charts[1].Problem);                  // ... an empty plotly box does not,
            Assert.True(report.Charts[1].Drawn && report.Charts[1].Colours < ChartPicture.MinColours);   // by its pixels alone
            Assert.Contains("did not draw", report.Charts[2].Problem);               // and the static SVG alone is not a drawn chart
            Assert.Equal(3, report.Quizzes.Count);
            Assert.Null(report.Quizzes[0].Problem);                                  // the card and the check (no choices) pass
            Assert.Null(report.Quizzes[1].Problem);
            Assert.Contains("no numbered choices", report.Quizzes[2].Problem);
            Assert.Single(report.ObjectTables);
            Assert.Contains("[1.1] Question", report.ObjectTables[0]);
            Assert.Equal(4, report.QuizOutputs);                                     // the old card is a quiz output without a card
            var problems = report.Problems;
            Assert.Equal(5, problems.Count);
            Assert.Contains(problems, p => p.Contains("4 quiz output(s) but the page shows 3 quiz card(s)", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("object table", StringComparison.Ordinal));
        }
        finally { Directory.Delete(dir, true); }
    }
}
