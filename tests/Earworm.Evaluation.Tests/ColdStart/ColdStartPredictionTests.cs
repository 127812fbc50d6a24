using Earworm.Evaluation.ColdStart;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Learning;
using Earworm.Learning.Baselines;
using Earworm.Learning.Factorization;

namespace Earworm.Evaluation.Tests.ColdStart;

public sealed class RidgeRegressionTests
{
    [Fact]
    public void Recovers_a_known_linear_map_with_bias()
    {
        var rng = new Random(3);
        var w = new double[4, 3] { { 1, -2, 0.5 }, { 0, 3, -1 }, { 2, 0, 0 }, { -1, 1, 1 } };
        double[] b = [0.3, -0.7, 2];
        var x = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 4).Select(_ => rng.NextDouble() * 10 - 5).ToArray()).ToList();
        float[] Map(double[] row) => [.. Enumerable.Range(0, 3).Select(o => (float)(b[o] + Enumerable.Range(0, 4).Sum(i => row[i] * w[i, o])))];
        var y = x.Select(Map).ToList();

        var model = RidgeRegression.Fit(x, y, lambda: 1e-6);

        var fresh = new double[] { 1.5, -2.5, 0.25, 4 };
        var expected = Map(fresh);
        var actual = model.Predict(fresh);
        for (int o = 0; o < 3; o++) Assert.Equal(expected[o], actual[o], 3);
    }

    [Fact]
    public void Cross_validation_picks_a_small_penalty_for_noiseless_data_and_a_large_one_for_pure_noise()
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, 80).Select(_ => Enumerable.Range(0, 6).Select(_ => rng.NextDouble()).ToArray()).ToList();
        var linear = x.Select(r => new[] { (float)(3 * r[0] - 2 * r[5]) }).ToList();
        var noise = x.Select(_ => new[] { (float)(rng.NextDouble() * 2 - 1) }).ToList();
        Assert.True(RidgeRegression.Fit(x, linear).Lambda <= 0.1);
        Assert.True(RidgeRegression.Fit(x, noise).Lambda >= 10);
    }

    [Fact]
    public void With_more_features_than_samples_the_kernel_solve_gives_the_same_predictions_as_the_gram_solve()
    {
        var rng = new Random(8);
        var x = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, 30).Select(_ => rng.NextDouble()).ToArray()).ToList();
        var y = x.Select(r => new[] { (float)(r[0] - r[7] + 0.1 * rng.NextDouble()), (float)r[3] }).ToList();
        var dual = RidgeRegression.Fit(x, y, lambda: 2);             // 30 features > 12 samples: kernel side
        var fresh = Enumerable.Range(0, 30).Select(_ => rng.NextDouble()).ToArray();
        var a = dual.Predict(fresh);
        var b = Primal(x, y, 2).Predict(fresh);
        for (int o = 0; o < 2; o++) Assert.Equal(b[o], a[o], 4);
    }

    /// <summary>The feature-side solution of the same problem: every sample three times (36 samples, more than the 30
    /// features) and λ three times leave the mean, the deviation and (XᵀX + λI)⁻¹XᵀY unchanged.</summary>
    private static RidgeRegression Primal(List<double[]> x, List<float[]> y, double lambda)
    {
        var xs = x.Concat(x).Concat(x).ToList();
        var ys = y.Concat(y).Concat(y).ToList();
        return RidgeRegression.Fit(xs, ys, lambda: 3 * lambda);
    }

    [Fact]
    public void A_constant_feature_is_ignored_rather_than_dividing_by_zero()
    {
        var x = Enumerable.Range(0, 10).Select(i => new double[] { i, 7 }).ToList();
        var y = x.Select(r => new[] { (float)(2 * r[0] + 1) }).ToList();
        var model = RidgeRegression.Fit(x, y, lambda: 1e-6);
        Assert.Equal(21f, model.Predict([10, 7])[0], 2);
    }
}

public sealed class ColdStartProtocolTests
{
    /// <summary>Two groups of users and items with a one-dimensional "content" feature telling the groups apart.</summary>
    private static (InteractionDataset Data, double[][] Features) TwoGroups()
    {
        var rng = new Random(11);
        const int users = 60, items = 40;
        var interactions = new List<Interaction>();
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
            {
                bool same = u % 2 == i % 2;
                if (rng.NextDouble() < (same ? 0.5 : 0.03)) interactions.Add(new Interaction(u, i, 1 + rng.Next(5)));
            }
        var features = Enumerable.Range(0, items).Select(i => new[] { i % 2 == 0 ? 1.0 : -1.0, rng.NextDouble() }).ToArray();
        return (new InteractionDataset("two-groups", users, items, interactions), features);
    }

    private sealed class Spy(IColdStartItemPredictor inner) : IColdStartItemPredictor
    {
        public List<(int[] Train, int[] Query)> Calls { get; } = [];

        public string Name => inner.Name;

        public IReadOnlyList<float[]> Predict(IReadOnlyList<int> trainItems, IReadOnlyList<float[]> targets, IReadOnlyList<int> queryItems,
            int seed, CancellationToken cancellationToken)
        {
            Calls.Add(([.. trainItems], [.. queryItems]));
            foreach (var t in targets) Assert.Equal(1.0, Math.Sqrt(t.Sum(v => (double)v * v)), 4);
            return inner.Predict(trainItems, targets, queryItems, seed, cancellationToken);
        }
    }

    [Fact]
    public void Held_out_items_are_never_trained_on_and_content_lands_between_random_and_the_true_factors()
    {
        var (data, features) = TwoGroups();
        var protocol = EvaluationProtocol.ColdStart with { ColdItemFraction = 0.25 };
        var als = new AlsOptions { Factors = 4, Iterations = 10, Regularization = 0.1f, Threads = 1 };
        var all = InteractionMatrix.FromInteractions(data.Interactions, data.UserCount, data.ItemCount);
        var spy = new Spy(new FeatureRegressionPredictor("descriptors", i => features[i]));
        var options = new EvaluationOptions { Seeds = 2, K = 5, MaxDegreeOfParallelism = 1 };
        IReadOnlyList<IRecommenderTrainer> Trainers(int seed) =>
            [new ColdStartFactorTrainer(spy, als with { Seed = seed }, seed), new RandomTrainer(seed), new TrueFactorsTrainer(all, als with { Seed = seed })];

        var report = ProtocolRunner.Run(data, Trainers, protocol, options);

        Assert.Equal(2, spy.Calls.Count);
        foreach (var (seed, call) in options.SeedList.Zip(spy.Calls))
        {
            var split = protocol.Split(data, seed);
            Assert.Equal(split.ColdItems, call.Query);                  // every held-out item is predicted…
            Assert.Empty(call.Train.Intersect(split.ColdItems));        // …and none is trained on
            var trainedItems = split.Train.Select(x => x.Item).Distinct().Order().ToArray();
            Assert.Equal(trainedItems, call.Train);
        }
        double Auc(string model) => report.Models.Single(m => m.Model == model).Summary.Single(m => m.Metric == MetricNames.Auc).Mean;
        Assert.True(Auc("true-factors") >= Auc("random"), $"true factors {Auc("true-factors"):0.000}, random {Auc("random"):0.000}");
        Assert.True(Auc("descriptors") > Auc("random") + 0.2, $"descriptors {Auc("descriptors"):0.000}, random {Auc("random"):0.000}");
        Assert.True(Auc("true-factors") > 0.7, $"true factors {Auc("true-factors"):0.000}");
    }

    [Fact]
    public void Label_listeners_are_seeded_and_play_mostly_their_favourite_soundtracks()
    {
        var labels = Enumerable.Range(0, 60).Select(i => $"s{i % 5}").ToList();
        var options = new LabelListenerOptions { Users = 50, Seed = 3 };
        var a = LabelListeners.Generate(labels, options, out var description);
        Assert.Equal(a.Interactions, LabelListeners.Generate(labels, options, out _).Interactions);
        Assert.NotEqual(a.Interactions, LabelListeners.Generate(labels, options with { Seed = 4 }, out _).Interactions);
        Assert.Equal(60, a.ItemCount);
        Assert.Contains("5 soundtracks", description);
        // a listener's plays concentrate on one or two labels: her top label holds far more than the 1/5 of chance
        double top = a.Interactions.GroupBy(x => x.User).Average(g =>
            (double)g.GroupBy(x => labels[x.Item]).Max(l => l.Sum(x => x.Count)) / g.Sum(x => x.Count));
        Assert.True(top > 0.45, $"{top:0.00} of a listener's plays from her top soundtrack");
    }

    [Fact]
    public void Simulated_listeners_are_seeded_and_follow_their_favourite_styles()
    {
        var options = new SimulatedListenerOptions { TracksPerStyle = 3, Users = 40, Seed = 4 };
        var a = SimulatedListeners.Generate(options);
        var b = SimulatedListeners.Generate(options);
        Assert.Equal(a.Dataset.Interactions, b.Dataset.Interactions);
        Assert.Equal(21, a.Tracks.Count);
        Assert.NotEqual(a.Dataset.Interactions, SimulatedListeners.Generate(options with { Seed = 5 }).Dataset.Interactions);
        double favourite = 0, total = 0;
        foreach (var x in a.Dataset.Interactions)
        {
            total += x.Count;
            if (a.Listeners[x.User].Styles.Contains(a.Tracks[x.Item].Style)) favourite += x.Count;
        }
        Assert.True(favourite / total > 0.5, $"{favourite / total:0.00} of plays in a favourite style");
        Assert.All(Enumerable.Range(0, 40), u => Assert.Contains(a.Dataset.Interactions, x => x.User == u));
    }
}
