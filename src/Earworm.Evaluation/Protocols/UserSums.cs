using Earworm.Evaluation.Metrics;

namespace Earworm.Evaluation.Protocols;

/// <summary>
/// Per-user metrics summed over a group of users (a chunk of <see cref="SplitMeasurement"/>, then the whole run),
/// with how many users each kind of metric averages over: accuracy over every user measured, AUC over those with a
/// non-relevant candidate, novelty and popularity over those given a list, diversity over those given two items.
/// </summary>
internal sealed class UserSums
{
    // Slots of the scalar sums; the three curves (precision, recall, NDCG at 1..CurveMaxK) follow them.
    public const int PrecisionSlot = 0, RecallSlot = 1, F1Slot = 2, NdcgSlot = 3, MapSlot = 4, MrrSlot = 5,
        HitSlot = 6, AucSlot = 7, NoveltySlot = 8, PopularitySlot = 9, DiversitySlot = 10, ScalarSlots = 11;

    private readonly int _curveK;

    public UserSums(int curveK)
    {
        _curveK = curveK;
        Sum = new double[ScalarSlots + 3 * curveK];
    }

    public double[] Sum { get; }

    /// <summary>Users measured (every accuracy metric averages over them).</summary>
    public int Users { get; private set; }

    public int AucUsers { get; private set; }

    /// <summary>Users given at least one item: novelty and popularity average over them.</summary>
    public int ListUsers { get; private set; }

    /// <summary>Users given at least two items: diversity averages over them.</summary>
    public int PairUsers { get; private set; }

    /// <summary>Adds one user's accuracy at K and curves (and counts the user).</summary>
    public void AddAccuracy(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant, int k)
    {
        Sum[PrecisionSlot] += RankingMetrics.Precision(ranked, relevant, k);
        Sum[RecallSlot] += RankingMetrics.Recall(ranked, relevant, k);
        Sum[F1Slot] += RankingMetrics.F1(ranked, relevant, k);
        Sum[NdcgSlot] += RankingMetrics.Ndcg(ranked, relevant, k);
        Sum[MapSlot] += RankingMetrics.AveragePrecision(ranked, relevant, k);
        Sum[MrrSlot] += RankingMetrics.ReciprocalRank(ranked, relevant, k);
        Sum[HitSlot] += RankingMetrics.HitRate(ranked, relevant, k);
        RankingCurves.Accumulate(ranked, relevant, Curve(0), Curve(1), Curve(2));
        Users++;
    }

    public void AddAuc(double auc)
    {
        Sum[AucSlot] += auc;
        AucUsers++;
    }

    public void AddListMetrics(double novelty, double averagePopularity)
    {
        Sum[NoveltySlot] += novelty;
        Sum[PopularitySlot] += averagePopularity;
        ListUsers++;
    }

    public void AddDiversity(double diversity)
    {
        Sum[DiversitySlot] += diversity;
        PairUsers++;
    }

    /// <summary>A slot's sum divided by the users measured (0 when none).</summary>
    public double MeanOverUsers(int slot) => Users == 0 ? 0 : Sum[slot] / Users;

    /// <summary>Precision, recall and NDCG at 1..CurveMaxK, averaged over the users measured.</summary>
    public MetricCurves Curves()
    {
        double[] Mean(int curve) => [.. Sum.AsSpan(ScalarSlots + curve * _curveK, _curveK).ToArray().Select(x => Users == 0 ? 0 : x / Users)];
        return new MetricCurves(Mean(0), Mean(1), Mean(2));
    }

    /// <summary>The chunks added up in the order given (so the floating-point result does not depend on threads).</summary>
    public static UserSums Total(IReadOnlyList<UserSums> chunks, int curveK)
    {
        var total = new UserSums(curveK);
        foreach (var chunk in chunks)
        {
            for (int j = 0; j < total.Sum.Length; j++) total.Sum[j] += chunk.Sum[j];
            total.Users += chunk.Users;
            total.AucUsers += chunk.AucUsers;
            total.ListUsers += chunk.ListUsers;
            total.PairUsers += chunk.PairUsers;
        }
        return total;
    }

    private Span<double> Curve(int curve) => Sum.AsSpan(ScalarSlots + curve * _curveK, _curveK);
}
