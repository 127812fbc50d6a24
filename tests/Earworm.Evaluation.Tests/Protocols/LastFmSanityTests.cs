using Earworm.Testing;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Evaluation.Tests.Fakes;
using Earworm.Learning;
using Xunit.Abstractions;

namespace Earworm.Evaluation.Tests.Protocols;

/// <summary>The harness on real data (HetRec Last.fm 2K): a quick slice always, the full run on request.</summary>
public class LastFmSanityTests(ITestOutputHelper output)
{
    /// <summary>Set to a folder to run <see cref="FullRunWritesReports"/>: every protocol but temporal (user_artists has
    /// no timestamps), 3 seeds, reports written there.</summary>
    public const string ReportVariable = "EARWORM_LASTFM_REPORT_DIR";

    private static readonly Lazy<InteractionDataset> LastFm = new(() =>
        LastFmUserArtists.ReadFile(TestData.LastFmFile("user_artists.dat")).Dataset);

    [Fact]
    public void OnASliceKnnAndPopularityBeatRandom()
    {
        var slice = LastFm.Value.FirstUsers(300);
        var report = ProtocolRunner.Run(slice, [new PopularityTrainer(), new ItemKnnTrainer(), new RandomTrainer()],
            EvaluationProtocol.LeaveOneOut, new EvaluationOptions { Seeds = 1, RankingDepth = 100 });
        output.WriteLine(MarkdownReport.Write(report));
        double Ndcg(string model) => report.Model(model)!.Get(MetricNames.Ndcg)!.Mean;
        Assert.True(Ndcg("pop") > 5 * Ndcg("random"), $"pop {Ndcg("pop")}, random {Ndcg("random")}");
        Assert.True(Ndcg("itemknn") > 5 * Ndcg("random"), $"itemknn {Ndcg("itemknn")}, random {Ndcg("random")}");
    }

    [Fact]
    public void TemporalIsRefusedWithoutTimestamps() =>
        Assert.Throws<UsageException>(() => ProtocolRunner.Run(LastFm.Value.FirstUsers(10), [new PopularityTrainer()], EvaluationProtocol.Temporal));

    [EnvironmentFact(ReportVariable, "a folder to run the full lastfm-2k evaluation (minutes) and write its reports there")]
    public void FullRunWritesReports()
    {
        var directory = Environment.GetEnvironmentVariable(ReportVariable)!;
        foreach (var protocol in new[] { EvaluationProtocol.Warm, EvaluationProtocol.LeaveOneOut, EvaluationProtocol.ColdStart })
        {
            var report = ProtocolRunner.Run(LastFm.Value,
                seed => new IRecommenderTrainer[] { new PopularityTrainer(), new ItemKnnTrainer(), new RandomTrainer(seed) },
                protocol, new EvaluationOptions());
            var folder = Path.Combine(directory, protocol.Name);
            ReportWriter.Write(report, folder);
            output.WriteLine(MarkdownReport.Write(report));
            Assert.True(File.Exists(Path.Combine(folder, ReportWriter.MarkdownFile)), $"{protocol.Name}: no {ReportWriter.MarkdownFile}");
            Assert.True(File.Exists(Path.Combine(folder, ReportWriter.JsonFile)), $"{protocol.Name}: no {ReportWriter.JsonFile}");
            double Ndcg(string model) => report.Model(model)!.Get(MetricNames.Ndcg)!.Mean;
            // cold start: every pure-CF model sits at the random baseline by construction (no training data for the items)
            if (protocol.RanksColdItemsOnly) continue;
            Assert.True(Ndcg("pop") > 2 * Ndcg("random"), $"{protocol.Name}: pop {Ndcg("pop")}, random {Ndcg("random")}");
            Assert.True(Ndcg("itemknn") > 2 * Ndcg("random"), $"{protocol.Name}: itemknn {Ndcg("itemknn")}, random {Ndcg("random")}");
        }
    }
}
