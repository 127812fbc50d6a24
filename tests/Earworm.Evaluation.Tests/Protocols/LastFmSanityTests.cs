using Earworm.Testing;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Evaluation.Tests.Fakes;
using Earworm.Learning;
using Xunit.Abstractions;

namespace Earworm.Evaluation.Tests.Protocols;

/// <summary>The harness on a HetRec-format folder with planted taste groups (tests/fixtures/lastfm-2k-sample); the
/// same checks on the real Last.fm 2K are bench's <c>shared-data</c> verb, the full evaluation is <c>earworm evaluate</c>.</summary>
public class LastFmSanityTests(ITestOutputHelper output)
{
    private static readonly Lazy<InteractionDataset> Sample = new(() =>
        LastFmUserArtists.ReadFile(TestData.FixtureFile("lastfm-2k-sample", "user_artists.dat")).Dataset);

    [Fact]
    public void KnnAndPopularityBeatRandom()
    {
        var report = ProtocolRunner.Run(Sample.Value, [new PopularityTrainer(), new ItemKnnTrainer(), new RandomTrainer()],
            EvaluationProtocol.LeaveOneOut, new EvaluationOptions { Seeds = 1, RankingDepth = 100 });
        output.WriteLine(MarkdownReport.Write(report));
        double Ndcg(string model) => report.Model(model)!.Get(MetricNames.Ndcg)!.Mean;
        Assert.True(Ndcg("pop") > 5 * Ndcg("random"), $"pop {Ndcg("pop")}, random {Ndcg("random")}");
        Assert.True(Ndcg("itemknn") > 5 * Ndcg("random"), $"itemknn {Ndcg("itemknn")}, random {Ndcg("random")}");
        Assert.True(Ndcg("itemknn") > Ndcg("pop"), $"the taste groups are what item-kNN finds: itemknn {Ndcg("itemknn")}, pop {Ndcg("pop")}");
    }

    [Fact]
    public void TemporalIsRefusedWithoutTimestamps() =>
        Assert.Throws<UsageException>(() => ProtocolRunner.Run(Sample.Value.FirstUsers(10), [new PopularityTrainer()], EvaluationProtocol.Temporal));
}
