using Earworm.Learning.Bandits;

namespace Earworm.Evaluation.OffPolicy;

/// <summary>The off-policy estimators Earworm reports, in the order it reports them.</summary>
public enum Estimator
{
    /// <summary>Replay (Li, Chu, Langford and Wang, "Unbiased Offline Evaluation of Contextual-bandit-based News Article
    /// Recommendation Algorithms", WSDM 2011), generalised to any logging policy by rejection sampling.</summary>
    Replay,

    /// <summary>Inverse propensity scoring (Horvitz and Thompson 1952).</summary>
    Ips,

    /// <summary>Self-normalised IPS (Swaminathan and Joachims, NeurIPS 2015).</summary>
    Snips,

    /// <summary>Doubly robust (Dudík, Langford and Li, "Doubly Robust Policy Evaluation and Learning", ICML 2011).</summary>
    DoublyRobust,
}

/// <summary>An estimate of a target policy's mean reward, its bootstrap 95 % interval and the effective sample size.</summary>
public sealed record OffPolicyEstimate(Estimator Estimator, double Value, double Lower, double Upper, double EffectiveSampleSize);

/// <summary>
/// What each estimator needs of one decision under one target policy, computed once; the estimators and their
/// bootstrap are sums over these. w = π(a|x)/μ(a|x) is the importance weight of the logged arm; <see cref="Direct"/>
/// Σₐ π(a|x)·q̂(x, a) the reward model's value of the target's distribution; <see cref="Accepted"/> whether replay kept
/// the decision.
/// </summary>
public readonly record struct DecisionTerms(double Weight, double Reward, double Predicted, double Direct, bool Accepted);

/// <summary>
/// Off-policy estimates of a target policy's mean reward from a log with known propensities:
/// <list type="bullet">
/// <item>IPS: (1/n) Σ wᵢ rᵢ — unbiased when μ &gt; 0 wherever π &gt; 0, with variance growing with the weights;</item>
/// <item>SNIPS: Σ wᵢ rᵢ / Σ wᵢ — a ratio estimator, slightly biased, far less variable;</item>
/// <item>DR: (1/n) Σ [Σₐ π(a|xᵢ) q̂(xᵢ, a) + wᵢ (rᵢ − q̂(xᵢ, aᵢ))] — unbiased if either the propensities or q̂ are right;</item>
/// <item>replay: each decision is kept with probability wᵢ / M (M the largest weight in the log, so wᵢ/M ≤ 1),
/// which turns the log into a stream of the target's own choices (rejection sampling; with a uniform logger and a
/// deterministic target exactly Li et al.'s "keep the event when the policy picks the logged arm"); the estimate is the
/// mean reward of the kept decisions, and a learning target learns from them as it goes.</item>
/// </list>
/// Intervals: the percentile bootstrap over decisions (Efron and Tibshirani 1993), <see cref="BootstrapResamples"/>
/// resamples, q̂ held fixed. Effective sample size: Kish's (Σw)²/Σw² for the weighted estimators, the kept count for replay.
/// </summary>
public static class OffPolicyEstimators
{
    public const int BootstrapResamples = 400;

    /// <summary>The terms of every decision under <paramref name="target"/>, frozen as it is; with
    /// <paramref name="learnInReplay"/> a learning target learns within replay, on a copy, from the decisions it keeps
    /// (replay then evaluates the learning process, as Li et al. do; the other estimators always evaluate the frozen policy).
    /// <paramref name="onProbabilities"/> sees the frozen target's π(·|x) of each decision (the simulator's truth is computed from it).</summary>
    public static DecisionTerms[] Terms(IReadOnlyList<LoggedDecision> log, IBanditPolicy target, Random random, bool learnInReplay = false,
        Action<BanditContext, ReadOnlySpan<double>>? onProbabilities = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(target);
        var models = RewardModel.CrossFitted(log);
        bool learning = learnInReplay && target.Learns;
        int width = log.Max(d => d.Context.Count);
        var pi = new double[log.Count][];
        for (int i = 0; i < log.Count; i++)
        {
            pi[i] = new double[log[i].Context.Count];
            target.Probabilities(log[i].Context, pi[i], random);
            onProbabilities?.Invoke(log[i].Context, pi[i]);
        }
        // replay's envelope: the largest weight of the frozen target (with a learning one, a later weight above it is kept surely)
        double envelope = 0;
        for (int i = 0; i < log.Count; i++) envelope = Math.Max(envelope, pi[i][log[i].Chosen] / log[i].Propensity);
        var replayed = learning ? target.Clone() : target;
        var replayPi = new double[width];
        var terms = new DecisionTerms[log.Count];
        for (int i = 0; i < log.Count; i++)
        {
            var d = log[i];
            var p = pi[i];
            double direct = 0;
            for (int a = 0; a < p.Length; a++) if (p[a] > 0) direct += p[a] * models[i].Predict(d.Context.Arms[a]);
            double w = p[d.Chosen] / d.Propensity;
            // replay asks the copy, which has learnt from what it kept so far (the same as the frozen target when it does not learn)
            double wReplay = w;
            if (learning)
            {
                var rp = replayPi.AsSpan(0, d.Context.Count);
                replayed.Probabilities(d.Context, rp, random);
                wReplay = rp[d.Chosen] / d.Propensity;
            }
            bool accepted = envelope > 0 && random.NextDouble() < wReplay / envelope;
            if (accepted && learning) replayed.Update(d.Context, d.Chosen, d.Reward);
            terms[i] = new DecisionTerms(w, d.Reward, models[i].Predict(d.Context.Arms[d.Chosen]), direct, accepted);
        }
        return terms;
    }

    /// <summary>The point estimate of one estimator over <paramref name="terms"/> (indices <paramref name="sample"/>, or all).</summary>
    public static double Value(Estimator estimator, ReadOnlySpan<DecisionTerms> terms, ReadOnlySpan<int> sample = default)
    {
        Span<double> all = stackalloc double[Count];
        Values(terms, sample, all);
        return (int)estimator is >= 0 and < Count ? all[(int)estimator] : throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "unknown estimator");
    }

    private const int Count = 4;

    /// <summary>All four estimates in one pass (the bootstrap's inner loop), indexed by <see cref="Estimator"/>; NaN
    /// where undefined (replay that kept nothing, SNIPS without weight).</summary>
    private static void Values(ReadOnlySpan<DecisionTerms> terms, ReadOnlySpan<int> sample, Span<double> into)
    {
        int n = sample.IsEmpty ? terms.Length : sample.Length;
        double ips = 0, weights = 0, dr = 0, kept = 0, keptReward = 0;
        for (int k = 0; k < n; k++)
        {
            ref readonly var t = ref terms[sample.IsEmpty ? k : sample[k]];
            double wr = t.Weight * t.Reward;
            ips += wr;
            weights += t.Weight;
            dr += t.Direct + wr - t.Weight * t.Predicted;
            if (t.Accepted) { kept++; keptReward += t.Reward; }
        }
        into[(int)Estimator.Replay] = kept > 0 ? keptReward / kept : double.NaN;
        into[(int)Estimator.Ips] = n > 0 ? ips / n : double.NaN;
        into[(int)Estimator.Snips] = weights > 0 ? ips / weights : double.NaN;
        into[(int)Estimator.DoublyRobust] = n > 0 ? dr / n : double.NaN;
    }

    /// <summary>Every estimator's value, bootstrap 95 % interval and effective sample size.</summary>
    public static IReadOnlyList<OffPolicyEstimate> Estimate(DecisionTerms[] terms, int seed, int resamples = BootstrapResamples)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 20);
        var draws = Enumerable.Range(0, Count).Select(_ => new List<double>(resamples)).ToArray();
        var random = new Random(seed);
        var sample = new int[terms.Length];
        Span<double> values = stackalloc double[Count];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < sample.Length; i++) sample[i] = random.Next(terms.Length);
            Values(terms, sample, values);
            for (int e = 0; e < Count; e++) if (!double.IsNaN(values[e])) draws[e].Add(values[e]);
        }
        double sw = 0, sw2 = 0;
        foreach (var t in terms) { sw += t.Weight; sw2 += t.Weight * t.Weight; }
        double kish = sw2 > 0 ? sw * sw / sw2 : 0;
        double kept = terms.Count(t => t.Accepted);
        Values(terms, default, values);
        var point = values.ToArray();
        return [.. Enum.GetValues<Estimator>().Select(e =>
        {
            var sorted = draws[(int)e].Order().ToArray();
            double lo = sorted.Length == 0 ? double.NaN : Quantile(sorted, 0.025), hi = sorted.Length == 0 ? double.NaN : Quantile(sorted, 0.975);
            return new OffPolicyEstimate(e, point[(int)e], lo, hi, e == Estimator.Replay ? kept : kish);
        })];
    }

    /// <summary>The q-quantile of sorted values, linear between order statistics (type 7 of Hyndman and Fan 1996).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The name a report gives an estimator.</summary>
    public static string Label(Estimator estimator) => estimator switch
    {
        Estimator.Replay => "replay",
        Estimator.Ips => "IPS",
        Estimator.Snips => "SNIPS",
        Estimator.DoublyRobust => "DR",
        _ => estimator.ToString(),
    };
}
