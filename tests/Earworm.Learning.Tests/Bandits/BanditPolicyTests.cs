using Earworm.Learning.Bandits;

namespace Earworm.Learning.Tests.Bandits;

public class BanditPolicyTests
{
    private static BanditContext Scores(params double[] scores) =>
        new(0, [.. scores.Select((s, i) => new BanditArm(i, s, [1.0, i]))]);

    private static double[] Pi(IBanditPolicy policy, BanditContext context, int seed = 1)
    {
        var p = new double[context.Count];
        policy.Probabilities(context, p, new Random(seed));
        return p;
    }

    [Fact]
    public void EpsilonGreedyGivesEachArmItsShareAndTheBestTheRest()
    {
        var p = Pi(new EpsilonGreedyPolicy(0.2), Scores(0.1, 0.9, 0.3, 0.5));
        Assert.Equal([0.05, 0.85, 0.05, 0.05], p, (a, b) => Math.Abs(a - b) < 1e-12);
        // ties share the greedy part
        var tied = Pi(new GreedyPolicy(), Scores(0.9, 0.2, 0.9));
        Assert.Equal([0.5, 0, 0.5], tied);
    }

    [Fact]
    public void SoftmaxIsTheBoltzmannDistributionAndTemperatureMovesItBetweenGreedyAndUniform()
    {
        var p = Pi(new SoftmaxPolicy(0.5), Scores(0, 1, 2));
        double z = 1 + Math.Exp(2) + Math.Exp(4);
        Assert.Equal([1 / z, Math.Exp(2) / z, Math.Exp(4) / z], p, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.All(Pi(new SoftmaxPolicy(1e6), Scores(0, 1, 2)), x => Assert.Equal(1.0 / 3, x, 1e-5));
        Assert.Equal(1.0, Pi(new SoftmaxPolicy(1e-3), Scores(0, 1, 2))[2], 1e-9);
    }

    [Theory]
    [InlineData("epsilon-greedy:0.3")]
    [InlineData("softmax:0.7")]
    public void ChoicesFollowTheDistributionAndReportItsPropensity(string spec)
    {
        var policy = BanditPolicies.Parse(spec, 2);
        var context = Scores(0.2, 1.0, 0.4, 0.8);
        var p = Pi(policy, context);
        var counts = new int[context.Count];
        var random = new Random(3);
        const int n = 40_000;
        for (int i = 0; i < n; i++)
        {
            var choice = policy.Choose(context, random);
            Assert.Equal(p[choice.Index], choice.Propensity, 1e-12);
            counts[choice.Index]++;
        }
        // within 4 binomial standard deviations
        for (int a = 0; a < p.Length; a++) Assert.InRange(counts[a] / (double)n, p[a] - 4 * Math.Sqrt(p[a] * (1 - p[a]) / n), p[a] + 4 * Math.Sqrt(p[a] * (1 - p[a]) / n));
    }

    [Fact]
    public void ThompsonCountsPlaysAndMissesAndTheDiscountFadesThem()
    {
        var policy = new ThompsonPolicy(discount: 0.5);
        var context = Scores(0, 0);
        policy.Update(context, 0, 1);
        policy.Update(context, 0, 1);
        policy.Update(context, 1, 0);
        // item 0: two plays, the first faded twice, the second once: 0.25 + 0.5; item 1 one miss (this step)
        Assert.Equal((1 + 0.75, 1.0), policy.Posterior(0));
        Assert.Equal((1.0, 2.0), policy.Posterior(1));
        var undiscounted = new ThompsonPolicy();
        for (int i = 0; i < 3; i++) undiscounted.Update(context, 1, i % 2);
        Assert.Equal((2.0, 3.0), undiscounted.Posterior(1));
    }

    [Fact]
    public void ThompsonPropensityIsTheChanceItsDrawIsLargest()
    {
        // Beta(2, 1) against Beta(1, 1): P(X > Y) = ∫ 2x · x dx = 2/3
        var policy = new ThompsonPolicy(propensityDraws: 6000);
        var context = Scores(0, 0);
        policy.Update(context, 0, 1);
        var p = Pi(policy, context);
        Assert.Equal(2.0 / 3, p[0], 0.025);
        Assert.Equal(1.0, p[0] + p[1], 1e-9);
        var random = new Random(9);
        var wins = Enumerable.Range(0, 4000).Select(_ => policy.Choose(context, random)).ToList();
        Assert.Equal(2.0 / 3, wins.Count(c => c.Index == 0) / 4000.0, 0.03);
        Assert.All(wins, c => Assert.Equal(c.Index == 0 ? 2.0 / 3 : 1.0 / 3, c.Propensity, 0.03));
    }

    [Fact]
    public void LinUcbLearnsALinearRewardPerListenerAndItsBonusShrinksWithData()
    {
        // features (1, x); listener 0's reward is 0.2 + 0.5·x, listener 1 has no data
        var policy = new LinUcbPolicy(2, alpha: 1, regularization: 1e-3);
        var random = new Random(2);
        for (int i = 0; i < 400; i++)
        {
            double x = random.NextDouble();
            var ctx = new BanditContext(0, [new BanditArm(0, 0, [1, x])]);
            policy.Update(ctx, 0, 0.2 + 0.5 * x);
        }
        var probe = new BanditContext(0, [new BanditArm(0, 0, [1, 0.0]), new BanditArm(1, 0, [1, 1.0])]);
        var greedy = new LinUcbPolicy(2, alpha: 0, regularization: 1e-3);
        var bounds = policy.Bounds(probe);
        Assert.InRange(bounds[0] - 0.2, 0, 0.3); // the mean, plus a small bonus after 400 observations
        Assert.InRange(bounds[1] - 0.7, 0, 0.3);
        var choice = policy.Choose(probe, random);
        Assert.Equal((1, 1.0), (choice.Index, choice.Propensity));
        // listener 1 knows nothing: every arm has the prior's bonus, the mean 0
        var stranger = new BanditContext(1, probe.Arms);
        Assert.Equal(0, greedy.Bounds(stranger)[1], 12);
        Assert.True(policy.Bounds(stranger)[1] > bounds[1] - 0.7 + 1, "an unseen listener's bonus is the prior's");
    }

    [Fact]
    public void DiscountedLinUcbFollowsARewardThatChanges()
    {
        var fading = new LinUcbPolicy(1, alpha: 0, discount: 0.9);
        var steady = new LinUcbPolicy(1, alpha: 0);
        var ctx = new BanditContext(0, [new BanditArm(0, 0, [1.0])]);
        foreach (var policy in new[] { fading, steady })
        {
            for (int i = 0; i < 200; i++) policy.Update(ctx, 0, 1);
            for (int i = 0; i < 50; i++) policy.Update(ctx, 0, 0);
        }
        Assert.InRange(fading.Bounds(ctx)[0], 0, 0.05);
        Assert.InRange(steady.Bounds(ctx)[0], 0.75, 0.85);
    }

    [Fact]
    public void ClonesLearnApart()
    {
        var policy = new ThompsonPolicy();
        var ctx = Scores(0, 0);
        policy.Update(ctx, 0, 1);
        var copy = (ThompsonPolicy)policy.Clone();
        copy.Update(ctx, 0, 1);
        Assert.Equal((2.0, 1.0), policy.Posterior(0));
        Assert.Equal((3.0, 1.0), copy.Posterior(0));
    }

    [Fact]
    public void DrawsHaveTheirDistributionsMoments()
    {
        var random = new Random(4);
        foreach (var shape in new[] { 0.5, 3.0 })
        {
            var xs = Enumerable.Range(0, 40_000).Select(_ => Draws.Gamma(random, shape)).ToArray();
            double mean = xs.Average();
            Assert.Equal(shape, mean, 0.05 * shape + 0.01);
            Assert.Equal(shape, xs.Sum(x => (x - mean) * (x - mean)) / xs.Length, 0.08 * shape + 0.01);
        }
        Assert.Equal(2.0 / 7, Enumerable.Range(0, 40_000).Average(_ => Draws.Beta(random, 2, 5)), 0.01);
    }

    [Theory]
    [InlineData("greedy", "greedy", "1")]
    [InlineData("epsilon-greedy", "epsilon-greedy", "epsilon=0.1")]
    [InlineData("Softmax:2", "softmax", "tau=2")]
    [InlineData("thompson:0.9", "thompson", "beta(1,1),gamma=0.9")]
    [InlineData("linucb:0.5", "linucb", "d=3,alpha=0.5,lambda=1,gamma=1,per-user")]
    public void PoliciesParseByName(string spec, string name, string version)
    {
        var policy = BanditPolicies.Parse(spec, 3);
        Assert.Equal((name, version), (policy.Name, policy.Version));
    }

    [Theory]
    [InlineData("ucb1")]
    [InlineData("epsilon-greedy:1.5")]
    [InlineData("softmax:x")]
    [InlineData("greedy:1")]
    public void UnknownPoliciesAndBadParametersAreUsageErrors(string spec) =>
        Assert.Throws<UsageException>(() => BanditPolicies.Parse(spec, 3));

    [Theory]
    [InlineData("softmax:-1", "policy \"softmax:-1\": temperature must be positive and finite, got -1")]
    [InlineData("epsilon-greedy:1.5", "policy \"epsilon-greedy:1.5\": epsilon ")]
    [InlineData("thompson:2", "policy \"thompson:2\": discount must lie in (0, 1], got 2")]
    public void AParameterOutOfRangeIsSaidInOneLineWithoutDotNetsParameterText(string spec, string start)
    {
        var e = Assert.Throws<UsageException>(() => BanditPolicies.Parse(spec, 3));
        Assert.StartsWith(start, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter '", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void LinUcbWithoutFeaturesIsAUsageError() => Assert.Throws<UsageException>(() => BanditPolicies.Parse("linucb", 0));
}
