using Earworm.Learning.Numerics;

namespace Earworm.Recommend.Personal;

/// <summary>Where a candidate's factors come from.</summary>
public enum FactorSource
{
    /// <summary>Learned by collaborative filtering from listening data.</summary>
    Listening,

    /// <summary>Predicted from the audio by the content model (the cold-start bridge), scaled by <see cref="ColdStartBridge"/>.</summary>
    Audio,
}

/// <summary>Something that can be recommended: a key of the caller's (e.g. catalog item or track id), its vector in
/// the CF factor space, an additive bias (BPR's item bias; 0 for ALS) and where the vector comes from.</summary>
public sealed record Candidate(long Key, float[] Factors, float Bias, FactorSource Source);

/// <summary>One of the listener's items that pulled a recommendation in, and how close it is (cosine of factors).</summary>
public readonly record struct Reason(long Key, float Similarity);

/// <summary>A recommendation: the candidate, its CF score xᵤ·yᵢ + bᵢ, and the listener's items closest to it.</summary>
public sealed record Recommendation(Candidate Candidate, float Score, IReadOnlyList<Reason> Because);

/// <summary>What to recommend and how.</summary>
/// <param name="Count">list length; ≥ 1.</param>
/// <param name="Diversity">0 = by score alone; towards 1, maximal marginal relevance trades score for variety (see
/// <see cref="PersonalRecommender"/>); in [0, 1].</param>
/// <param name="Explanations">reasons kept per recommendation (0 = none).</param>
public sealed record PersonalOptions(int Count = 20, double Diversity = 0, int Explanations = 3)
{
    public void Validate()
    {
        if (Count < 1) throw new ArgumentOutOfRangeException(nameof(Count), Count, "at least 1");
        if (!(Diversity >= 0 && Diversity <= 1)) throw new ArgumentOutOfRangeException(nameof(Diversity), Diversity, "must lie in 0..1");
        ArgumentOutOfRangeException.ThrowIfNegative(Explanations);
    }
}

/// <summary>
/// Personal recommendations from a user's CF factors: every candidate is scored xᵤ·yᵢ + bᵢ (the model's own score;
/// audio-bridged candidates carry scaled predicted factors, <see cref="ColdStartBridge"/>), excluded keys are left
/// out, then the list is picked by maximal marginal relevance (Carbonell &amp; Goldstein 1998) and each pick explained
/// by the listener's items nearest to it in factor space.
/// </summary>
/// <remarks>
/// MMR: with λ = 1 − diversity, among a pool of the best max(5·count, 50) candidates by score, each step takes the
/// candidate maximising λ·rel(c) − (1 − λ)·max over picked p of cos(c, p), rel being the score rescaled to 0..1 over
/// the pool. Diversity 0 is the plain top by score (ties to the earlier candidate). Explanations: the listener's items
/// (given with their factors) ranked by the cosine of their factors with the recommendation's — the item-item view
/// of the factor model (Hu, Koren &amp; Volinsky 2008 §5 explain ALS the same way, with a user-specific weighting).
/// </remarks>
public static class PersonalRecommender
{
    public static IReadOnlyList<Recommendation> Recommend(ReadOnlySpan<float> userFactors, IReadOnlyList<Candidate> candidates,
        IReadOnlySet<long> exclude, IReadOnlyList<Candidate> history, PersonalOptions options)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(exclude);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int k = userFactors.Length;
        foreach (var c in candidates)
            if (c.Factors.Length != k) throw new ArgumentException($"candidate {c.Key} has {c.Factors.Length} factors, the user {k}.", nameof(candidates));

        var scored = new List<(int Index, float Score)>(candidates.Count);
        for (int i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (exclude.Contains(c.Key)) continue;
            float s = Simd.Dot(userFactors, c.Factors) + c.Bias;
            if (float.IsFinite(s)) scored.Add((i, s));
        }
        // best first; ties to the earlier candidate (a stable order whatever the sort does)
        scored.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        int poolSize = options.Diversity == 0 ? Math.Min(options.Count, scored.Count) : Math.Min(scored.Count, Math.Max(5 * options.Count, 50));
        var pool = scored.GetRange(0, poolSize);
        var picked = options.Diversity == 0 ? pool : MaximalMarginalRelevance(pool, candidates, options.Count, 1 - options.Diversity);

        var historyUnit = history.Select(h => (h.Key, VectorNorm.TryUnit(h.Factors))).Where(h => h.Item2 is not null).ToList();
        var result = new List<Recommendation>(picked.Count);
        foreach (var (index, score) in picked)
        {
            var c = candidates[index];
            result.Add(new Recommendation(c, score, options.Explanations == 0 ? [] : Explain(c, historyUnit!, options.Explanations)));
        }
        return result;
    }

    /// <summary>Greedy MMR over <paramref name="pool"/> (sorted best first): λ·rel − (1 − λ)·max cosine to the picks.</summary>
    internal static List<(int Index, float Score)> MaximalMarginalRelevance(List<(int Index, float Score)> pool,
        IReadOnlyList<Candidate> candidates, int count, double lambda)
    {
        var mmr = new MarginalRelevance([.. pool.Select(p => candidates[p.Index].Factors)], [.. pool.Select(p => p.Score)], lambda);
        var result = new List<(int, float)>(Math.Min(count, pool.Count));
        while (result.Count < count && mmr.Next() is var best and >= 0)
        {
            mmr.Take(best);
            result.Add(pool[best]);
        }
        return result;
    }

    /// <summary>Scores below this, all of them, say the model placed the listener nowhere: ALS folds a listener whose items
    /// no one else played in to a vector of about 0 (1e-13 seen), where a placed one's best scores are 0.01 and more.</summary>
    public const float NothingLearnt = 1e-4f;

    /// <summary>Whether <paramref name="recommendations"/> say little: there are some, and every score is about 0
    /// (<see cref="NothingLearnt"/>), so their order is the model's noise.</summary>
    public static bool SaysLittle(IReadOnlyList<Recommendation> recommendations)
    {
        ArgumentNullException.ThrowIfNull(recommendations);
        return recommendations.Count > 0 && recommendations.All(r => Math.Abs(r.Score) < NothingLearnt);
    }

    /// <summary>The listener's items (<paramref name="history"/>) nearest to <paramref name="c"/> in factor space,
    /// at most <paramref name="count"/>; only those it leans towards (a positive cosine): an item at a right angle or
    /// pointing away did not pull it in.</summary>
    public static IReadOnlyList<Reason> Explain(Candidate c, IReadOnlyList<Candidate> history, int count)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(history);
        return Explain(c, [.. history.Select(h => (h.Key, VectorNorm.TryUnit(h.Factors))).Where(h => h.Item2 is not null).Select(h => (h.Key, h.Item2!))], count);
    }

    private static List<Reason> Explain(Candidate c, List<(long Key, float[] Unit)> history, int count)
    {
        var unit = VectorNorm.TryUnit(c.Factors);
        if (unit is null) return [];
        return history.Select(h => new Reason(h.Key, Simd.Dot(unit, h.Unit))).Where(r => r.Similarity > 0)
            .OrderByDescending(r => r.Similarity).ThenBy(r => r.Key).Take(count).ToList();
    }
}
