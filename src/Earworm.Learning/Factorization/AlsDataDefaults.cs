using System.Globalization;

namespace Earworm.Learning.Factorization;

/// <summary>
/// The confidence and regularisation ALS uses when none is given, chosen by what the counts are: play counts, or
/// binary implicit data (every (user, item) pair counted once: likes, follows, an artist list without plays).
/// </summary>
/// <remarks>
/// Play counts get 1 + 10·log(1 + r), λ 0.05: the log keeps one obsessive listen from drowning the rest (chosen on
/// HetRec Last.fm 2K's play counts). On binary data log scaling only rescales α (log 2 per pair), and the weight
/// chosen for counts in the hundreds is not the one that suits a single 1: confidence c = 1 + α·r (Hu, Koren &amp;
/// Volinsky 2008, eq. 1) with α 5 and λ 30, the 64-factor configuration with the best validation NDCG@10 in the
/// search on Last.fm 2K with every count set to 1 (+7 % NDCG@10 on its test splits over the play-count defaults;
/// bench/README.md, "CF hyper-parameters").
/// </remarks>
/// <param name="Reason">one sentence saying which defaults these are and why, for the output of a training run.</param>
public sealed record AlsDataDefaults(ConfidenceScaling Scaling, float Alpha, float Regularization, string Reason)
{
    /// <summary>The defaults for play counts (any count other than 1).</summary>
    public static AlsDataDefaults PlayCounts { get; } = new(ConfidenceScaling.Log, 10f, 0.05f,
        "play counts: confidence 1 + 10·log(1 + plays), λ 0.05");

    /// <summary>The defaults for binary data (every count 1).</summary>
    public static AlsDataDefaults Binary { get; } = new(ConfidenceScaling.Linear, 5f, 30f,
        "every count is 1 (binary implicit data: no play counts to scale), so linear confidence 1 + 5·r and λ 30 " +
        "(the best by validation on Last.fm 2K binarised) instead of the play-count defaults 1 + 10·log(1 + r), λ 0.05");

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

    /// <summary>"log α 10 λ 0.05" — the values in a few words.</summary>
    public string Values => string.Create(CultureInfo.InvariantCulture,
        $"{(Scaling == ConfidenceScaling.Log ? "log" : "linear")} α {Alpha:0.###} λ {Regularization:0.###}");
}
