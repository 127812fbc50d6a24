using Earworm.Content.Sequences;
using Earworm.Learning.Sequences;
using Earworm.Testing;

namespace Earworm.Content.Tests.Sequences;

public sealed class NeuralSequenceTests
{
    // the Markov structure of MarkovSequences: 10 topics × 20 items, each item's successor followed 80 % of the time
    private static readonly MarkovSequenceOptions Train = new() { Sequences = 400, Skip = 0.1, Seed = 1 };
    private static readonly MarkovSequenceOptions Probe = new() { Sequences = 80, Skip = 0.1, Seed = 2 };

    private static SequenceModelOptions Small(SequenceArchitecture architecture) => new()
    {
        Architecture = architecture, EmbeddingSize = 32, Layers = 1, MaxLength = 12, Dropout = 0.1, Threads = 1, LearningRate = 0.005,
        Epochs = architecture == SequenceArchitecture.SasRec ? 20 : 30, BatchSize = architecture == SequenceArchitecture.SasRec ? 16 : 32,
        Negatives = architecture == SequenceArchitecture.SasRec ? 16 : 32,
    };

    /// <summary>NDCG@10 of the next played entry at every played position of the probe sequences, and how often the
    /// first of the ranking was the history's last entry (the chain moves on: about 1 % of the time it stays).</summary>
    private static (double Ndcg, double LastFirst) Measure(ISequenceModel model, IReadOnlyList<Sequence> probe, int[] popularity)
    {
        var scores = new float[model.ItemCount];
        double sum = 0;
        int n = 0, lastFirst = 0;
        foreach (var s in probe)
            for (int p = 1; p < s.Length; p++)
            {
                if (s.IsSkipped(p)) continue;
                model.Score(s.Items.AsSpan(0, p), s.Skipped is null ? default : s.Skipped.AsSpan(0, p), scores);
                var ranked = NextItems.Rank(scores, popularity, [], 10);
                int rank = Array.IndexOf(ranked, s.Items[p]);
                if (rank >= 0) sum += 1 / Math.Log2(rank + 2);
                if (ranked[0] == s.Items[p - 1]) lastFirst++;
                n++;
            }
        return (sum / n, (double)lastFirst / n);
    }

    [Fact]
    public void SasRecAndGru4RecLearnTheOrderThatOrderBlindModelsCannot()
    {
        Torch.Load();
        var train = MarkovSequences.Generate(Train, out int items);
        var probe = MarkovSequences.Generate(Probe, out _);
        var popularity = new int[items];
        double sknn = Measure(new SessionKnnTrainer().Fit(train, items, null, default), probe, popularity).Ndcg;
        double pop = Measure(new PopularityNextTrainer().Fit(train, items, null, default), probe, popularity).Ndcg;
        foreach (var o in new[] { Small(SequenceArchitecture.SasRec), Small(SequenceArchitecture.Gru4Rec) })
        {
            var trainer = new SequenceModelTrainer(o);
            using var model = (NeuralSequenceModel)trainer.Fit(train, items, null, default);
            var (ndcg, lastFirst) = Measure(model, probe, popularity);
            // the successor is the next entry 80 % of the time: an order model nears that, while a set model can only find the
            // topic (1 in 20 per place); measured: sasrec 0.70, gru4rec 0.79, sknn 0.27, pop 0.02
            Assert.True(ndcg > 1.5 * sknn && ndcg > sknn + 0.15, $"{model.Name} NDCG@10 {ndcg:F3}, sknn {sknn:F3}, pop {pop:F3}");
            // SASRec scoring with its input embeddings ranked the last entry first 36 % of the time (TiedEmbeddings)
            Assert.True(lastFirst < 0.05, $"{model.Name} ranks the history's last entry first for {lastFirst:P0} of the questions");
        }
    }

    [Fact]
    public void ItemsPlayedFewerTimesThanTheCutOffRankBelowEveryItemOfTheVocabulary()
    {
        Torch.Load();
        var train = MarkovSequences.Generate(Train with { Sequences = 60 }, out int items);
        // one more item, played once, after the chain's items 0 and 1
        int once = items;
        var data = train.Append(new Sequence([0, 1, once])).ToList();
        var counts = new int[items + 1];
        foreach (var s in data) foreach (var i in s.Played()) counts[i]++;
        using var model = (NeuralSequenceModel)new SequenceModelTrainer(Small(SequenceArchitecture.SasRec) with { Epochs = 1, MinCount = 2 })
            .Fit(data, items + 1, null, default);
        var scores = new float[items + 1];
        model.Score([0, 1], [], scores);
        var kept = Enumerable.Range(0, items).Where(i => counts[i] >= 2).ToList();
        Assert.True(kept.Count > items / 2);
        Assert.All(kept, i => Assert.True(scores[i] > scores[once], $"item {i} ({counts[i]} plays) scores {scores[i]}, the one played once {scores[once]}"));
    }

    /// <summary>A training while another thread collects garbage: before the optimisers and losses took live scalars
    /// (LiveOptimizers, LiveScalars), 3 of 6 such trainings failed with "Expected false to be true" (a scalar finalised
    /// mid-call); since, none of 16.</summary>
    [Fact]
    public void TrainingSurvivesCollectionsOnAnotherThread()
    {
        Torch.Load();
        var train = MarkovSequences.Generate(Train, out int items);
        var failures = new List<string>();
        Torch.WhileCollecting(() =>
        {
            foreach (var architecture in new[] { SequenceArchitecture.SasRec, SequenceArchitecture.Gru4Rec })
            {
                try
                {
                    using var model = new SequenceModelTrainer(Small(architecture) with { Epochs = 8, BatchSize = 16 }).Fit(train, items, null, default) as IDisposable;
                }
                catch (Exception e) { failures.Add($"{architecture}: {e.Message}"); }
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void ASkippedEntryIsInputButNeverATarget()
    {
        var windows = SequenceModelTrainer.Windows([new Sequence([4, 7, 9, 2], [false, true, false, false]), new Sequence([3, 5], [false, true])], maxLength: 2);
        // [4 7 9 2] in windows of 3 from the end: [7 9 2], then [4 7]; [4 7] has no played target (7 was skipped); [3 5] neither
        var only = Assert.Single(windows);
        Assert.Equal([8L, 10, 3], only.Tokens);
        Assert.Equal([true, false, false], only.Skipped);
    }

    [Fact]
    public void AnInterruptedTrainingResumesFromItsCheckpointAndEndsAsAnUninterruptedOne()
    {
        Torch.Load();
        using var dir = new TempDirectory();
        var train = MarkovSequences.Generate(Train with { Sequences = 120 }, out int items);
        var options = Small(SequenceArchitecture.SasRec) with { Epochs = 4, BatchSize = 32 };
        var whole = new SequenceModelTrainer(options);
        using var reference = (NeuralSequenceModel)whole.Fit(train, items, null, default);

        using var cts = new CancellationTokenSource();
        var stopAfterTwo = new InlineProgressTo(p => { if (p.Iteration == 2) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new SequenceModelTrainer(options, dir.File("checkpoint")).Fit(train, items, stopAfterTwo, cts.Token));
        var resumed = new SequenceModelTrainer(options, dir.File("checkpoint"));
        using var model = (NeuralSequenceModel)resumed.Fit(train, items, null, default);
        Assert.Equal(2, resumed.ResumedAfterEpoch);
        Assert.Equal(4, resumed.History.Count);
        for (int e = 0; e < 4; e++) Assert.Equal(whole.History[e].TrainLoss, resumed.History[e].TrainLoss, 3);
        var a = new float[items];
        var b = new float[items];
        reference.Score([1, 2, 3], [], a);
        model.Score([1, 2, 3], [], b);
        for (int i = 0; i < items; i++) Assert.Equal(a[i], b[i], 2);

        // another configuration does not pick up this checkpoint
        var other = new SequenceModelTrainer(options with { EmbeddingSize = 16 }, dir.File("checkpoint"));
        using var _ = (NeuralSequenceModel)other.Fit(train, items, null, default);
        Assert.Equal(0, other.ResumedAfterEpoch);
    }

    [Fact]
    public void WithAValidationShareTheBestEpochIsKeptAndTrainingStopsAfterThePatience()
    {
        Torch.Load();
        var train = MarkovSequences.Generate(Train with { Sequences = 200 }, out int items);
        // a large step over few sequences: validation peaks within a few epochs, then falls or stalls
        // histories up to 24 entries: every sequence (8..20) is one window, so validation asks what Score is asked below
        var options = Small(SequenceArchitecture.Gru4Rec) with { Epochs = 40, Validation = 0.25, Patience = 2, LearningRate = 0.03, MaxLength = 24 };
        var (fit, held) = SequenceModelTrainer.SplitValidation(train, options.Validation, options.Seed);
        Assert.Equal(50, held.Count);
        Assert.Equal(train.Count, fit.Concat(held).Distinct().Count());

        var trainer = new SequenceModelTrainer(options);
        using var model = (NeuralSequenceModel)trainer.Fit(train, items, null, default);
        var metrics = trainer.History.Select(h => h.ValidationMetric ?? double.NaN).ToList();
        Assert.All(metrics, m => Assert.InRange(m, 0, 1));
        Assert.Equal(metrics.Max(), metrics[trainer.BestEpoch - 1]);
        if (trainer.History.Count < options.Epochs)
        {
            Assert.Equal(trainer.BestEpoch + options.Patience, trainer.History.Count);
            Assert.Contains("early stopping", trainer.Stop);
        }

        // the model is the best epoch's, not the last one's: it scores every played entry of the held-out sequences (after
        // the first) as that epoch did
        var scores = new float[items];
        double sum = 0;
        int n = 0;
        foreach (var s in held)
            for (int p = 1; p < s.Length; p++)
            {
                if (s.IsSkipped(p)) continue;
                model.Score(s.Items.AsSpan(0, p), s.Skipped is null ? default : s.Skipped.AsSpan(0, p), scores);
                float target = scores[s.Items[p]];
                int rank = scores.Count(x => x > target);
                if (rank < 10) sum += 1 / Math.Log2(rank + 2);
                n++;
            }
        Assert.Equal(metrics[trainer.BestEpoch - 1], sum / n, 3);
    }

    private sealed class InlineProgressTo(Action<Learning.TrainingProgress> report) : IProgress<Learning.TrainingProgress>
    {
        public void Report(Learning.TrainingProgress value) => report(value);
    }
}
