using System.Buffers.Binary;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Evaluation.Tests.Fakes;
using Earworm.Evaluation.Tests.Protocols;
using Earworm.Testing;

namespace Earworm.Evaluation.Tests.Reports;

public class ReportTests
{
    private static readonly Lazy<EvaluationReport> Report = new(() => ProtocolRunner.Run(
        ProtocolRunnerTests.Skewed(), [new PopularityTrainer(), new RandomTrainer()], EvaluationProtocol.Warm,
        new EvaluationOptions { Seeds = 2 }));

    [Fact]
    public void MarkdownWritesTheProtocolAboveATableOfMeanAndStd()
    {
        var report = Report.Value;
        var md = MarkdownReport.Write(report, ["metrics-vs-k.png"]);
        var lines = md.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int header = lines.FindIndex(l => l.StartsWith("| model |", StringComparison.Ordinal));
        int protocol = lines.FindIndex(l => l.StartsWith("**Protocol.**", StringComparison.Ordinal));
        Assert.InRange(protocol, 0, header - 1);
        Assert.Contains(report.Description, lines[protocol], StringComparison.Ordinal);
        Assert.Contains("| NDCG@10 |", lines[header], StringComparison.Ordinal);
        Assert.Contains("| AUC |", lines[header], StringComparison.Ordinal);
        var pop = lines[header + 2];
        Assert.StartsWith("| pop |", pop, StringComparison.Ordinal);
        var ndcg = report.Model("pop")!.Get(MetricNames.Ndcg)!;
        Assert.Contains($"{MetricNames.Format(MetricNames.Ndcg, ndcg.Mean)} ± {MetricNames.Format(MetricNames.Ndcg, ndcg.Std)}", pop, StringComparison.Ordinal);
        Assert.StartsWith("| random |", lines[header + 3], StringComparison.Ordinal);
        // one cell per metric on every row
        Assert.All(lines.Skip(header).Take(4), l => Assert.Equal(report.Metrics.Count + 2, l.Count(ch => ch == '|')));
        Assert.Contains("![metrics-vs-k](metrics-vs-k.png)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void OneRunShowsItsFiguresWithoutASpread()
    {
        var report = ProtocolRunner.Run(ProtocolRunnerTests.Skewed(), [new PopularityTrainer()], EvaluationProtocol.Warm,
            new EvaluationOptions { Seeds = 1 });
        var row = MarkdownReport.Write(report).Split('\n').Single(l => l.StartsWith("| pop |", StringComparison.Ordinal));
        var ndcg = report.Model("pop")!.Get(MetricNames.Ndcg)!;
        Assert.Contains($"| {MetricNames.Format(MetricNames.Ndcg, ndcg.Mean)} |", row, StringComparison.Ordinal);
        Assert.DoesNotContain("±", row, StringComparison.Ordinal);   // was "± 0.0000", as if seeds had agreed
    }

    [Fact]
    public void JsonCarriesTheSameResults()
    {
        var report = Report.Value;
        var json = JsonReport.Write(report);
        Assert.Contains("\"protocol\": \"warm\"", json, StringComparison.Ordinal);
        var back = JsonReport.Read(json);
        Assert.Equal(report.Description, back.Description);
        Assert.Equal(report.Metrics, back.Metrics);
        for (int m = 0; m < report.Models.Count; m++)
        {
            Assert.Equal(report.Models[m].Summary, back.Models[m].Summary);
            Assert.Equal(report.Models[m].Curves.Ndcg, back.Models[m].Curves.Ndcg);
            Assert.Equal(report.Models[m].Runs[1].Metrics, back.Models[m].Runs[1].Metrics);
        }
        Assert.Equal(report.HeldOutPopularity.Counts, back.HeldOutPopularity.Counts);
    }

    [Fact]
    public void PlotsRenderToPngFiles()
    {
        using var dir = new TempDirectory("earworm-eval-");
        var files = ReportWriter.Write(Report.Value, dir.File("report"));
        Assert.Equal(["report.md", "report.json", ReportPlots.MetricsVersusKFile, ReportPlots.RecommendedPopularityFile],
            files.Select(Path.GetFileName));
        AssertPng(files[2], 1600, 480);
        AssertPng(files[3], 1000, 540);
    }

    private static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        // signature, then the IHDR chunk: width and height big-endian at bytes 16 and 20
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.True(bytes.Length > 10_000, $"{path} is only {bytes.Length} bytes: a blank image?");
    }
}
