using Earworm.Learning.Bandits;

namespace Earworm.Evaluation.OffPolicy;

/// <summary>Estimates of target policies from one log, and their summaries over runs.</summary>
public static class OffPolicyEvaluator
{
    /// <summary>Every estimator of <paramref name="target"/> on <paramref name="log"/>; with <paramref name="truth"/> (a
    /// function of the target's π(·|x) and the context) also its on-policy value on the same decisions.</summary>
    public static (IReadOnlyList<OffPolicyEstimate> Estimates, double? Truth) Run(IReadOnlyList<LoggedDecision> log, IBanditPolicy target, int seed,
        Func<BanditContext, ReadOnlySpan<double>, double>? truth = null, bool learnInReplay = false)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Count == 0) throw new ArgumentException("an empty log", nameof(log));
        double truthSum = 0;
        var terms = OffPolicyEstimators.Terms(log, target, new Random(seed), learnInReplay,
            truth is null ? null : (ctx, pi) => truthSum += truth(ctx, pi));
        return (OffPolicyEstimators.Estimate(terms, seed), truth is null ? null : truthSum / log.Count);
    }

    /// <summary>Every target (<see cref="BanditPolicies.Parse"/> specs) estimated from a log read from a file. Learning
    /// targets start from their priors: the weighted estimators evaluate them as they are, replay as they learn from the
    /// decisions it keeps (Li et al. 2011).</summary>
    public static OffPolicyReport EvaluateLog(DecisionLogFile log, string source, IReadOnlyList<string> targets, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0) throw new UsageException("no target policy to evaluate: name one or more with --policy");
        var policies = targets.Select(t => BanditPolicies.Parse(t, log.FeatureDimensions)).ToArray();
        var summaries = policies.Select((p, t) =>
        {
            var (estimates, _) = Run(log.Decisions, p, Learning.Numerics.SeedMix.Mix(seed, t), learnInReplay: true);
            return Summarise(p, [(seed, estimates, null)]);
        }).ToList();
        string description = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Logged decisions of {log.Users.Count:N0} listeners over {log.Items.Count:N0} tracks. ") +
            "Each target policy's mean reward is estimated from the log by replay (rejection sampling to the target's choices, learning targets learning from the kept decisions), " +
            "IPS, SNIPS and doubly robust (reward model: a logistic curve of the logged score with per-track corrections, cross-fitted on two halves), " +
            "each with a percentile-bootstrap 95 % interval and the effective sample size.";
        return new OffPolicyReport(source, description, log.LoggingPolicy, log.Decisions.Count, [seed], summaries);
    }

    /// <summary>One target's summary over runs (seeds): each estimator's means, and bias and coverage where the runs know the truth.</summary>
    public static TargetEstimates Summarise(IBanditPolicy target, IReadOnlyList<(int Seed, IReadOnlyList<OffPolicyEstimate> Estimates, double? Truth)> runs)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(runs);
        bool known = runs.All(r => r.Truth is not null);
        var summaries = Enum.GetValues<Estimator>().Select(e =>
        {
            var rs = runs.Select(r => (r.Seed, E: r.Estimates.Single(x => x.Estimator == e), r.Truth)).ToList();
            var per = rs.Select(r => new RunEstimate(r.Seed, r.E.Value, r.E.Lower, r.E.Upper, r.E.EffectiveSampleSize, r.Truth)).ToList();
            double? bias = null, lo = null, hi = null, coverage = null;
            if (known)
            {
                var errors = rs.Where(r => !double.IsNaN(r.E.Value)).Select(r => r.E.Value - r.Truth!.Value).ToArray();
                if (errors.Length > 0)
                {
                    bias = errors.Average();
                    double se = errors.Length > 1 ? Math.Sqrt(errors.Sum(x => (x - bias.Value) * (x - bias.Value)) / (errors.Length - 1) / errors.Length) : double.NaN;
                    (lo, hi) = (bias - 1.96 * se, bias + 1.96 * se);
                }
                coverage = rs.Count(r => r.E.Lower <= r.Truth && r.Truth <= r.E.Upper) / (double)rs.Count;
            }
            return new EstimatorSummary(OffPolicyEstimators.Label(e), Mean(per.Select(p => p.Value)), Mean(per.Select(p => p.Lower)),
                Mean(per.Select(p => p.Upper)), Mean(per.Select(p => p.EffectiveSampleSize)), bias, lo, hi, coverage, per);
        }).ToList();
        return new TargetEstimates(target.Name, target.Version, known ? runs.Average(r => r.Truth!.Value) : null, summaries);
    }

    private static double Mean(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return finite.Length == 0 ? double.NaN : finite.Average();
    }
}
