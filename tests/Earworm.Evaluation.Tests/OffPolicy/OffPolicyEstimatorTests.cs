using Earworm.Evaluation.OffPolicy;
using Earworm.Learning.Bandits;

namespace Earworm.Evaluation.Tests.OffPolicy;

public class OffPolicyEstimatorTests
{
    // two arms; the logger picked uniformly (propensity 0.5); the greedy target always picks arm 1 (score 1)
    private static readonly BanditContext Ctx = new(0, [new BanditArm(10, 0), new BanditArm(11, 1)]);

    private static List<LoggedDecision> UniformLog() =>
    [
        new(Ctx, 1, 0.5, 1), new(Ctx, 0, 0.5, 0), new(Ctx, 1, 0.5, 0), new(Ctx, 0, 0.5, 1),
        new(Ctx, 1, 0.5, 1), new(Ctx, 1, 0.5, 1), new(Ctx, 0, 0.5, 0), new(Ctx, 1, 0.5, 1),
    ];

    [Fact]
    public void IpsSnipsAndReplayHaveTheirTextbookValues()
    {
        var log = UniformLog();
        var terms = OffPolicyEstimators.Terms(log, new GreedyPolicy(), new Random(1));
        // five decisions chose arm 1 (w = 2), four of them played: IPS = 4·2/8, SNIPS = 8/10
        Assert.Equal(1.0, OffPolicyEstimators.Value(Estimator.Ips, terms), 12);
        Assert.Equal(0.8, OffPolicyEstimators.Value(Estimator.Snips, terms), 12);
        // uniform logger, deterministic target: replay keeps exactly the decisions where the target agrees (Li et al. 2011)
        Assert.Equal([true, false, true, false, true, true, false, true], terms.Select(t => t.Accepted));
        Assert.Equal(0.8, OffPolicyEstimators.Value(Estimator.Replay, terms), 12);
        var estimates = OffPolicyEstimators.Estimate(terms, 1);
        Assert.Equal(5, estimates.Single(e => e.Estimator == Estimator.Replay).EffectiveSampleSize);
        // Kish: (Σw)² / Σw² = 10² / (5·4)
        Assert.Equal(5, estimates.Single(e => e.Estimator == Estimator.Ips).EffectiveSampleSize, 12);
        Assert.All(estimates, e => Assert.True(e.Lower <= e.Value && e.Value <= e.Upper, $"{e.Estimator}: {e.Lower} ≤ {e.Value} ≤ {e.Upper}"));
    }

    [Fact]
    public void DoublyRobustIsTheDirectValuePlusTheWeightedResidual()
    {
        var log = UniformLog();
        var terms = OffPolicyEstimators.Terms(log, new EpsilonGreedyPolicy(0.5), new Random(1));
        double expected = terms.Average(t => t.Direct + t.Weight * (t.Reward - t.Predicted));
        Assert.Equal(expected, OffPolicyEstimators.Value(Estimator.DoublyRobust, terms), 12);
        // π = (0.25, 0.75): the weights are 0.5 and 1.5
        Assert.Equal([1.5, 0.5, 1.5, 0.5, 1.5, 1.5, 0.5, 1.5], terms.Select(t => t.Weight), (a, b) => Math.Abs(a - b) < 1e-12);
        // the direct part uses the model of the other half; with q̂ = the truth DR would be exact, here it is within the rewards
        Assert.All(terms, t => Assert.InRange(t.Direct, 0, 1));
    }

    [Fact]
    public void TheTargetTheLoggerIsHasWeightOneEverywhere()
    {
        var (log, logging) = BanditSimulation.SampleLog(new BanditSimulationOptions { LoggedDecisions = 300 }, 3);
        var terms = OffPolicyEstimators.Terms(log, logging, new Random(1));
        Assert.All(terms, t => Assert.Equal(1, t.Weight, 9));
        Assert.Equal(log.Average(d => d.Reward), OffPolicyEstimators.Value(Estimator.Ips, terms), 12);
    }

    [Fact]
    public void EstimatorsCoverTheTruthOnTheSimulator()
    {
        // 20 seeds, the four targets with exact propensities (Thompson sampling's are estimated by drawing: slower, in the CLI's report)
        var report = BanditSimulation.Run(new BanditSimulationOptions { RaceDecisions = 0 },
            ["greedy", "epsilon-greedy:0.1", "softmax:0.5", "linucb:0.3"], [.. Enumerable.Range(1, 20)]);
        foreach (var target in report.Targets)
        {
            var by = target.Estimators.ToDictionary(e => e.Estimator);
            Assert.True(by["SNIPS"].Coverage >= 0.85, $"{target.Policy}: SNIPS coverage {by["SNIPS"].Coverage}");
            Assert.True(by["DR"].Coverage >= 0.85, $"{target.Policy}: DR coverage {by["DR"].Coverage}");
            // IPS is unbiased: its mean error over seeds lies within the 95 % interval of that mean
            Assert.True(by["IPS"].BiasLower <= 0 && 0 <= by["IPS"].BiasUpper, $"{target.Policy}: IPS bias {by["IPS"].Bias} [{by["IPS"].BiasLower}, {by["IPS"].BiasUpper}]");
            Assert.Equal(20, by["DR"].Runs.Count);
        }
    }

    [Fact]
    public void TheBanditBeatsGreedyWhenTastesDrift()
    {
        var race = BanditSimulation.Race(new BanditSimulationOptions { RacePolicies = ["greedy", "linucb:0.3"] }, [1, 2, 3]);
        var greedy = race.Curves.Single(c => c.Policy == "greedy");
        var bandit = race.Curves.Single(c => c.Policy == "linucb:0.3");
        Assert.True(bandit.FinalMean > greedy.FinalMean + greedy.FinalStd, $"LinUCB {bandit.FinalMean} ± {bandit.FinalStd}, greedy {greedy.FinalMean} ± {greedy.FinalStd}");
        Assert.Equal(race.Checkpoints.Count, bandit.CumulativeReward.Count);
        Assert.True(bandit.CumulativeReward.Zip(bandit.CumulativeReward.Skip(1)).All(p => p.First <= p.Second), "cumulative reward never falls");
    }
}
