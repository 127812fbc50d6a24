namespace Earworm.Evaluation.OffPolicy;

/// <summary>An off-policy evaluation: each target policy's estimates per estimator (over seeds when simulated, with the
/// truth, bias and coverage), and, for the simulator, the drift race's cumulative-reward curves.</summary>
/// <param name="Source">"simulated" or the log file's name.</param>
/// <param name="Description">What was logged, estimated and compared, in words.</param>
public sealed record OffPolicyReport(string Source, string Description, string LoggingPolicy, int DecisionsPerRun, IReadOnlyList<int> Seeds,
    IReadOnlyList<TargetEstimates> Targets, DriftRace? Race = null);

/// <summary>One target policy: its name and version, the mean truth over seeds (simulator only) and each estimator.</summary>
public sealed record TargetEstimates(string Policy, string Version, double? Truth, IReadOnlyList<EstimatorSummary> Estimators);

/// <summary>One estimator of one target: the mean estimate, interval bounds and effective sample size over runs; with a
/// truth also the bias (mean estimate − truth) with its 95 % interval over seeds (mean ± 1.96 standard errors) and the
/// coverage (the share of runs whose bootstrap interval holds the truth).</summary>
public sealed record EstimatorSummary(string Estimator, double Value, double Lower, double Upper, double EffectiveSampleSize,
    double? Bias, double? BiasLower, double? BiasUpper, double? Coverage, IReadOnlyList<RunEstimate> Runs);

/// <summary>One run's estimate (one seed or the one log).</summary>
public sealed record RunEstimate(int Seed, double Value, double Lower, double Upper, double EffectiveSampleSize, double? Truth);

/// <summary>The drift race: every policy on-policy over the same listeners, whose tastes drift, learning as it goes.</summary>
/// <param name="Checkpoints">Decision counts at which the curves are sampled.</param>
public sealed record DriftRace(string Description, IReadOnlyList<int> Checkpoints, IReadOnlyList<RaceCurve> Curves);

/// <summary>A policy's cumulative reward at each checkpoint (mean over seeds) and its final total's mean and standard deviation.</summary>
public sealed record RaceCurve(string Policy, string Version, IReadOnlyList<double> CumulativeReward, double FinalMean, double FinalStd);
