using System.Globalization;

namespace Earworm.Learning.Factorization;

/// <summary>
/// The confidence and regularisation ALS uses when none is given, chosen by what the counts are: play counts, or
/// binary implicit data (every (user, item) pair counted once: likes, follows, an artist list without plays).
/// </summary>
/// <remarks>
/// Both chosen by validation NDCG@10 on HetRec Last.fm 2K (1 892 users × 17 632 artists; bench/README.md, "CF
/// hyper-parameters"), among the configurations that also hold up on small catalogs (a few dozen listeners and items,
/// where a λ of 30 with little confidence flattens every factor):
/// <list type="bullet">
/// <item>play counts: c = 1 + 1·log(1 + r), λ 10 (Hu, Koren &amp; Volinsky 2008, eq. 6: the log keeps one obsessive
/// listen from drowning the rest). NDCG@10 0.233 on the warm splits where the former 1 + 10·log(1 + r), λ 0.05 reached
/// 0.182; the searched best is 0.242.</item>
/// <item>binary data (every count 1): on a single 1 log scaling only rescales α by log 2, so c = 1 + 5·r (eq. 1),
/// λ 30. NDCG@10 0.2395 on Last.fm 2K with every count set to 1, where the play-count defaults reached 0.223.</item>
/// </list>
/// </remarks>
/// <param name="Reason">one sentence saying which defaults these are and why, for the output of a training run.</param>
public sealed record AlsDataDefaults(ConfidenceScaling Scaling, float Alpha, float Regularization, string Reason)
{
    /// <summary>The defaults for play counts (any count other than 1).</summary>
    public static AlsDataDefaults PlayCounts { get; } = new(ConfidenceScaling.Log, 1f, 10f,
        "confidence 1 + log(1 + plays), λ 10 (chosen by validation on Last.fm 2K's play counts)");

    /// <summary>The defaults for binary data (every count 1).</summary>
    public static AlsDataDefaults Binary { get; } = new(ConfidenceScaling.Linear, 5f, 30f,
        "every count is 1 (binary implicit data: no play counts to scale), so linear confidence 1 + 5·r and λ 30 " +
        "(the best by validation on Last.fm 2K binarised) instead of the play-count defaults 1 + log(1 + r), λ 10");

    /// <summary>True when every stored weight of <paramref name="userItems"/> is exactly 1 (an empty matrix is not binary:
    /// there is nothing to tell). Repeated records of one pair are summed by the matrix, so a pair heard twice counts 2.</summary>
    public static bool IsBinary(InteractionMatrix userItems)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        if (userItems.NonZeros == 0) return false;
        for (int r = 0; r < userItems.Rows; r++)
            foreach (var v in userItems.RowValues(r))
                if (v != 1f) return false;
        return true;
    }

    /// <summary><see cref="Binary"/> when every count of <paramref name="userItems"/> is 1, else <see cref="PlayCounts"/>.</summary>
    public static AlsDataDefaults For(InteractionMatrix userItems) => IsBinary(userItems) ? Binary : PlayCounts;

    /// <summary>"ALS defaults for binary data: …" — which defaults and why, as a training run says it.</summary>
    public string Statement => $"ALS defaults for {(this == Binary ? "binary data" : "play counts")}: {Reason}";

    /// <summary>"log α 1 λ 10" — the values in a few words.</summary>
    public string Values => string.Create(CultureInfo.InvariantCulture,
        $"{(Scaling == ConfidenceScaling.Log ? "log" : "linear")} α {Alpha:0.###} λ {Regularization:0.###}");
}
