using Earworm.Evaluation.ColdStart;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Learning;
using Earworm.Learning.Baselines;
using Earworm.Learning.Factorization;

namespace Earworm.Evaluation.Tests.ColdStart;

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
