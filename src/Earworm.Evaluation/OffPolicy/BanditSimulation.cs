using System.Globalization;
using Earworm.Learning.Bandits;
using Earworm.Learning.Numerics;

namespace Earworm.Evaluation.OffPolicy;

/// <summary>
/// The off-policy simulator. Per seed: a <see cref="ListenerWorld"/>; each learning target learns on-policy for
/// <see cref="BanditSimulationOptions.WarmupDecisions"/> decisions and is frozen; the logging policy then makes
/// <see cref="BanditSimulationOptions.LoggedDecisions"/> decisions, logging each with its propensity and a play drawn
/// from the hidden probability; every target is estimated from that log by each estimator, and run on-policy on the
/// same decisions for the truth (its expected reward there: Σₐ π(a|x)·P(play)). Over seeds: bias and coverage. Then
/// the drift race (<see cref="Race"/>).
/// </summary>
public static class BanditSimulation
{
    /// <param name="targets">policy specs (<see cref="BanditPolicies.Parse"/>).</param>
    /// <param name="progress">a line per seed.</param>
    public static OffPolicyReport Run(BanditSimulationOptions options, IReadOnlyList<string> targets, IReadOnlyList<int> seeds,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(seeds);
        options.Validate();
        if (seeds.Count == 0) throw new UsageException("no seeds to simulate");
        if (targets.Count == 0) throw new UsageException("no target policy to evaluate");
        int features = options.Dimensions + 1;
        _ = BanditPolicies.Parse(options.LoggingPolicy, features);
        foreach (var t in targets) _ = BanditPolicies.Parse(t, features);
        var runs = targets.Select(_ => new List<(int, IReadOnlyList<OffPolicyEstimate>, double?)>()).ToArray();
        IBanditPolicy[] shown = [];
        foreach (var seed in seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var world = new ListenerWorld(options, seed);
            var policies = targets.Select(t => BanditPolicies.Parse(t, features)).ToArray();
            for (int t = 0; t < policies.Length; t++)
                if (policies[t].Learns) Play(world, policies[t], options.WarmupDecisions, 0, new Random(SeedMix.Mix(seed, 1, t)));
            var log = Log(world, BanditPolicies.Parse(options.LoggingPolicy, features), options.LoggedDecisions, new Random(SeedMix.Mix(seed, 2)));
            double Truth(BanditContext ctx, ReadOnlySpan<double> pi)
            {
                double v = 0;
                for (int a = 0; a < pi.Length; a++) if (pi[a] > 0) v += pi[a] * world.PlayProbability(ctx.User, ctx.Arms[a].Item);
                return v;
            }
            for (int t = 0; t < policies.Length; t++)
            {
                var (estimates, truth) = OffPolicyEvaluator.Run(log, policies[t], SeedMix.Mix(seed, 3, t), Truth);
                runs[t].Add((seed, estimates, truth));
            }
            shown = policies;
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"off-policy: seed {seed} done ({runs[0].Count}/{seeds.Count})"));
        }
        var summaries = shown.Select((p, t) => OffPolicyEvaluator.Summarise(p, runs[t])).ToList();
        var race = options.RaceDecisions > 0 ? Race(options, seeds, progress, cancellationToken) : null;
        return new OffPolicyReport("simulated", Describe(options, seeds.Count), options.LoggingPolicy,
            options.LoggedDecisions, seeds, summaries, race);
    }

    /// <summary>
    /// Every race policy, fresh, on-policy for <see cref="BanditSimulationOptions.RaceDecisions"/> decisions per seed in a
    /// world whose tastes drift; all policies meet the same listeners, candidates and drift (their own plays differ).
    /// </summary>
    public static DriftRace Race(BanditSimulationOptions options, IReadOnlyList<int> seeds, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int features = options.Dimensions + 1, n = options.RaceDecisions;
        int step = Math.Max(1, n / 100);
        var checkpoints = Enumerable.Range(1, n / step).Select(k => k * step).ToArray();
        var curves = new List<RaceCurve>();
        for (int p = 0; p < options.RacePolicies.Count; p++)
        {
            var sums = new double[checkpoints.Length];
            var finals = new List<double>();
            IBanditPolicy? policy = null;
            foreach (var seed in seeds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var world = new ListenerWorld(options, seed);
                policy = BanditPolicies.Parse(options.RacePolicies[p], features, options.RaceDiscount);
                var cumulative = Play(world, policy, n, options.RaceDrift, new Random(SeedMix.Mix(seed, 4, p)), new Random(SeedMix.Mix(seed, 5)));
                for (int c = 0; c < checkpoints.Length; c++) sums[c] += cumulative[checkpoints[c] - 1];
                finals.Add(cumulative[^1]);
            }
            double mean = finals.Average(), std = finals.Count > 1 ? Math.Sqrt(finals.Sum(f => (f - mean) * (f - mean)) / (finals.Count - 1)) : 0;
            curves.Add(new RaceCurve(options.RacePolicies[p], policy!.Version, [.. sums.Select(s => s / seeds.Count)], mean, std));
            progress?.Report($"off-policy: race, {options.RacePolicies[p]} done");
        }
        string description = (
            Inv($"Drift race: each policy starts fresh and makes {n:N0} decisions on-policy per seed ({Counted.Of(seeds.Count, "seed")}), learning from every play or miss at once; ") +
            Inv($"a listener's taste moves at each of their decisions (ρ = {options.RaceDrift}), the model's scores stay as trained at the start. ") +
            Inv($"Thompson sampling and LinUCB forget with γ = {options.RaceDiscount} per update; linucb:0 is LinUCB without the confidence bonus (greedy ridge regression)."));
        return new DriftRace(description, checkpoints, curves);
    }

    /// <summary>One seed's log as the simulator writes it (the logging policy's decisions with their propensities).</summary>
    public static (IReadOnlyList<LoggedDecision> Log, IBanditPolicy Logging) SampleLog(BanditSimulationOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var logging = BanditPolicies.Parse(options.LoggingPolicy, options.Dimensions + 1);
        return (Log(new ListenerWorld(options, seed), logging, options.LoggedDecisions, new Random(SeedMix.Mix(seed, 2))), logging);
    }

    /// <summary>The logging policy's decisions, each with its propensity and a play drawn from the hidden probability.</summary>
    internal static List<LoggedDecision> Log(ListenerWorld world, IBanditPolicy logging, int decisions, Random random)
    {
        var log = new List<LoggedDecision>(decisions);
        for (int i = 0; i < decisions; i++)
        {
            var context = world.NextContext(random);
            var choice = logging.Choose(context, random);
            double reward = random.NextDouble() < world.PlayProbability(context.User, context.Arms[choice.Index].Item) ? 1 : 0;
            logging.Update(context, choice.Index, reward);
            log.Add(new LoggedDecision(context, choice.Index, choice.Propensity, reward));
        }
        return log;
    }

    /// <summary>The policy on-policy for <paramref name="decisions"/> decisions, learning as it goes; returns the
    /// cumulative reward after each. Contexts and drift come from <paramref name="worldRandom"/> (the same for every
    /// policy given the same seed), choices and plays from <paramref name="random"/>.</summary>
    private static double[] Play(ListenerWorld world, IBanditPolicy policy, int decisions, double drift, Random random, Random? worldRandom = null)
    {
        worldRandom ??= random;
        var cumulative = new double[decisions];
        double total = 0;
        for (int i = 0; i < decisions; i++)
        {
            var context = world.NextContext(worldRandom);
            world.Drift(context.User, drift, worldRandom);
            var choice = policy.Choose(context, random);
            double reward = random.NextDouble() < world.PlayProbability(context.User, context.Arms[choice.Index].Item) ? 1 : 0;
            policy.Update(context, choice.Index, reward);
            cumulative[i] = total += reward;
        }
        return cumulative;
    }

    private static string Describe(BanditSimulationOptions o, int seeds) =>
        Inv($"Simulated listeners: {o.Users} listeners with hidden {o.Dimensions}-dimensional tastes, {o.Items} tracks; a listener plays a track shown with probability σ({o.TasteStrength}·u·v + b). ") +
        Inv($"The recommender's model knows tastes, tracks and biases with noise {o.ModelNoise} (in units of their spread). Each decision picks one of {o.Candidates} random candidates. ") +
        Inv($"Per seed ({seeds}), the logging policy {o.LoggingPolicy} makes {o.LoggedDecisions:N0} decisions with known propensities; ") +
        Inv($"learning targets first learn on-policy for {o.WarmupDecisions:N0} decisions, then are frozen. Each target is estimated from the log and run on-policy ") +
        "on the same decisions for the truth (its expected reward there). Bias = mean estimate − truth over seeds with its 95 % interval (± 1.96 standard errors); " +
        "coverage = the share of seeds whose bootstrap 95 % interval holds the truth. ESS: Kish's effective sample size (replay: the decisions it kept).";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
