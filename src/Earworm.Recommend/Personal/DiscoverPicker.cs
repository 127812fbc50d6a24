using Earworm.Learning.Bandits;

namespace Earworm.Recommend.Personal;

/// <summary>A candidate for a discovery list: its CF candidate, its score for the listener and its artist (a folded
/// name; null when unknown, which no spacing rule can hold back).</summary>
public sealed record DiscoverCandidate(Candidate Candidate, float Score, string? Artist);

/// <summary>An exploration arm (BaRT's "treatment": one way of finding something new, with its own explanation): its
/// name and candidates, best first, and — when a contextual bandit scores them — each candidate's upper confidence
/// bound under this arm (<see cref="DiscoverPicker"/> then draws a candidate and arm together by them).</summary>
public sealed record DiscoverArm(string Name, IReadOnlyList<DiscoverCandidate> Candidates, IReadOnlyList<double>? Bounds = null);

/// <summary>One pick: the candidate, its position, the arm it came from (null: the exploitation ranking) and the
/// probability with which the picker put it there, given the picks before it (its propensity).</summary>
public sealed record DiscoverPick(DiscoverCandidate Candidate, int Position, string? Arm, double Propensity);

/// <summary>How a discovery list is drawn.</summary>
/// <param name="Count">list length, ≥ 1.</param>
/// <param name="Explore">the share of positions, in expectation, given to exploration (0..1).</param>
/// <param name="Diversity">maximal marginal relevance on the exploitation picks (0 = by score; 0..1).</param>
/// <param name="ArtistGap">positions between two tracks by one artist (≥ 1; the list's length or more: each artist once).</param>
/// <param name="Temperature">how sharply an explored pick follows the arms' bounds (&gt; 0; Boltzmann: π ∝ exp(bound / τ)).</param>
public sealed record DiscoverOptions(int Count = 30, double Explore = 0.2, double Diversity = 0.3, int ArtistGap = int.MaxValue, double Temperature = 0.1)
{
    public void Validate()
    {
        if (!(Temperature > 0) || double.IsInfinity(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be positive");
        if (Count < 1) throw new ArgumentOutOfRangeException(nameof(Count), Count, "at least 1");
        if (!(Explore >= 0 && Explore <= 1)) throw new ArgumentOutOfRangeException(nameof(Explore), Explore, "must lie in 0..1");
        if (!(Diversity >= 0 && Diversity <= 1)) throw new ArgumentOutOfRangeException(nameof(Diversity), Diversity, "must lie in 0..1");
        if (ArtistGap < 1) throw new ArgumentOutOfRangeException(nameof(ArtistGap), ArtistGap, "at least 1");
    }
}

/// <summary>
/// Draws a discovery list position by position. Each position explores with probability ε (<see
/// cref="DiscoverOptions.Explore"/>): the bandit (<see cref="IBanditPolicy"/>, one arm per way of exploring — McInerney
/// et al., "Explore, Exploit, and Explain", RecSys 2018) gives each arm with a candidate left a probability π(a), an arm
/// is drawn from π and a candidate uniformly among that arm's eligible ones; otherwise the position takes the next
/// pick of the exploitation ranking by maximal marginal relevance (<see cref="MarginalRelevance"/>, whose variety also
/// counts the explored picks). A candidate is eligible while its artist is not within <see cref="DiscoverOptions.ArtistGap"/>
/// positions before. The exploitation pool and the arms are disjoint, so a pick's propensity is exact:
/// (1 − ε) for an exploitation pick, ε · Σₐ π(a) · 1/|eligible(a)| over the arms holding it for an explored one
/// (with no arm left, exploitation takes the position with probability 1; with no exploitation pick left, the arms do).
/// When the arms carry bounds (a contextual bandit's, per candidate and arm: BaRT's reward model of an item under an
/// explanation), an explored position draws a (candidate, arm) pair among the eligible ones with π ∝ exp(bound / τ)
/// instead, and a pick's propensity is ε · Σ π over the pairs holding it: still exact, and never zero for an eligible
/// candidate, so every list can be evaluated off-policy.
/// </summary>
public static class DiscoverPicker
{
    /// <param name="bandit">the policy over arms when the arms carry no bounds (unused when they do).</param>
    public static IReadOnlyList<DiscoverPick> Pick(IReadOnlyList<DiscoverCandidate> exploit, IReadOnlyList<DiscoverArm> arms,
        DiscoverOptions options, IBanditPolicy? bandit, Random random)
    {
        ArgumentNullException.ThrowIfNull(exploit);
        ArgumentNullException.ThrowIfNull(arms);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        bool contextual = arms.Count > 0 && arms.All(a => a.Bounds is not null);
        if (!contextual && arms.Any(a => a.Bounds is not null)) throw new ArgumentException("either every arm carries bounds or none does", nameof(arms));
        if (arms.Any(a => a.Bounds is { } b && (b.Count != a.Candidates.Count || b.Any(x => !double.IsFinite(x)))))
            throw new ArgumentException("an arm's bounds are one finite number per candidate", nameof(arms));
        if (!contextual && bandit is null) throw new ArgumentNullException(nameof(bandit), "arms without bounds need a bandit over arms");
        var exploitKeys = exploit.Select(c => c.Candidate.Key).ToHashSet();
        if (arms.Any(a => a.Candidates.Any(c => exploitKeys.Contains(c.Candidate.Key))))
            throw new ArgumentException("an arm holds a candidate of the exploitation pool: they must be disjoint", nameof(arms));

        var mmr = new MarginalRelevance([.. exploit.Select(c => c.Candidate.Factors)], [.. exploit.Select(c => c.Score)], 1 - options.Diversity);
        var picks = new List<DiscoverPick>(options.Count);
        var used = new HashSet<long>();
        var lastAt = new Dictionary<string, int>(StringComparer.Ordinal); // artist → latest position
        bool Spaced(DiscoverCandidate c) =>
            c.Artist is null || !lastAt.TryGetValue(c.Artist, out int at) || picks.Count - at > options.ArtistGap;
        bool Eligible(DiscoverCandidate c) => !used.Contains(c.Candidate.Key) && Spaced(c);

        while (picks.Count < options.Count)
        {
            int next = mmr.Next(i => Eligible(exploit[i]));
            var open = arms.Select(a => a.Candidates.Where(Eligible).ToList()).ToList();
            var openArms = Enumerable.Range(0, arms.Count).Where(a => open[a].Count > 0).ToList();
            if (next < 0 && openArms.Count == 0) break;

            bool explore = openArms.Count > 0 && (next < 0 || random.NextDouble() < options.Explore);
            DiscoverPick pick;
            if (!explore)
            {
                mmr.Take(next);
                pick = new DiscoverPick(exploit[next], picks.Count, null, openArms.Count > 0 ? 1 - options.Explore : 1);
            }
            else if (contextual)
            {
                double share = next < 0 ? 1 : options.Explore;
                var (chosen, arm, within) = DrawPair(arms, Eligible, options.Temperature, random);
                mmr.Add(chosen.Candidate.Factors);
                pick = new DiscoverPick(chosen, picks.Count, arms[arm].Name, Math.Min(1, share * within));
            }
            else
            {
                var context = new BanditContext(0, [.. openArms.Select(a => new BanditArm(a, 0))]);
                var pi = new double[openArms.Count];
                bandit!.Probabilities(context, pi, random);
                int drawn = Draw(pi, random);
                if (pi[drawn] <= 0) drawn = Array.FindIndex(pi, p => p > 0); // a draw of probability 0 never happens: guard rounding
                var pool = open[openArms[drawn]];
                var chosen = pool[random.Next(pool.Count)];
                double share = next < 0 ? 1 : options.Explore, within = 0;
                for (int k = 0; k < openArms.Count; k++)
                    if (open[openArms[k]].Any(c => c.Candidate.Key == chosen.Candidate.Key)) within += pi[k] / open[openArms[k]].Count;
                mmr.Add(chosen.Candidate.Factors);
                // Σ π(a)/|eligible(a)| over the arms holding the pick is at most 1; its rounding may pass 1 by an ulp
                pick = new DiscoverPick(chosen, picks.Count, arms[openArms[drawn]].Name, Math.Min(1, share * within));
            }
            used.Add(pick.Candidate.Candidate.Key);
            if (pick.Candidate.Artist is { } artist) lastAt[artist] = picks.Count;
            picks.Add(pick);
        }
        return picks;
    }

    /// <summary>A (candidate, arm) pair drawn among the eligible ones with π ∝ exp(bound / τ); the candidate, its arm
    /// and Σ π over the pairs holding that candidate.</summary>
    private static (DiscoverCandidate Chosen, int Arm, double Within) DrawPair(IReadOnlyList<DiscoverArm> arms, Func<DiscoverCandidate, bool> eligible,
        double temperature, Random random)
    {
        var pairs = new List<(int Arm, int Index)>();
        double best = double.NegativeInfinity;
        for (int a = 0; a < arms.Count; a++)
            for (int j = 0; j < arms[a].Candidates.Count; j++)
                if (eligible(arms[a].Candidates[j]))
                {
                    pairs.Add((a, j));
                    best = Math.Max(best, arms[a].Bounds![j]);
                }
        var pi = new double[pairs.Count];
        double sum = 0;
        for (int k = 0; k < pairs.Count; k++) sum += pi[k] = Math.Exp((arms[pairs[k].Arm].Bounds![pairs[k].Index] - best) / temperature);
        for (int k = 0; k < pi.Length; k++) pi[k] /= sum;
        var (arm, index) = pairs[Draws.Categorical(random, pi)];
        var chosen = arms[arm].Candidates[index];
        double within = 0;
        for (int k = 0; k < pairs.Count; k++)
            if (arms[pairs[k].Arm].Candidates[pairs[k].Index].Candidate.Key == chosen.Candidate.Key) within += pi[k];
        return (chosen, arm, within);
    }

    /// <summary>An index drawn with the given probabilities (they sum to 1, up to rounding).</summary>
    private static int Draw(double[] p, Random random)
    {
        double u = random.NextDouble() * p.Sum(), acc = 0;
        for (int i = 0; i < p.Length; i++)
        {
            acc += p[i];
            if (u < acc) return i;
        }
        return p.Length - 1;
    }
}
