using Earworm.Content.Sequences;
using Earworm.Learning.Sequences;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Tests.Sequences;

/// <summary>The future-window target (<see cref="SequenceTarget.Window"/>) and the read of the last positions
/// (<see cref="SequenceModelOptions.Read"/>).</summary>
public sealed class SequenceTargetTests
{
    private static SequenceModelOptions Small => new()
    {
        EmbeddingSize = 32, Layers = 1, MaxLength = 12, Dropout = 0.1, Threads = 1, LearningRate = 0.005, BatchSize = 16,
        MinCount = 1, Init = SequenceInit.Random,
    };

    // chain items 0..19, each followed two places later by its successor (i + 7) mod 20, with a random noise item 20..59
    // between them: a chain item's next entry says nothing, the one after it everything
    private const int Chain = 20, Noise = 40;

    private static List<Sequence> TwoAhead(int count, int seed)
    {
        var rng = new Random(seed);
        var list = new List<Sequence>();
        for (int s = 0; s < count; s++)
        {
            int a = rng.Next(Chain), steps = rng.Next(4, 8);
            var items = new List<int>();
            for (int k = 0; k < steps; k++)
            {
                items.Add(a);
                items.Add(Chain + rng.Next(Noise));
                a = (a + 7) % Chain;
            }
            items.Add(a);
            list.Add(new Sequence([.. items]));
        }
        return list;
    }

    /// <summary>How often the chain item two places ahead is among the first 5 after a history ending at a chain item.</summary>
    private static double TwoAheadHits(ISequenceModel model, IReadOnlyList<Sequence> probe)
    {
        var scores = new float[model.ItemCount];
        var popularity = new int[model.ItemCount];
        int hits = 0, n = 0;
        foreach (var s in probe)
            for (int p = 0; p + 2 < s.Length; p += 2)
            {
                model.Score(s.Items.AsSpan(0, p + 1), default, scores);
                if (NextItems.Rank(scores, popularity, [], 5).Contains(s.Items[p + 2])) hits++;
                n++;
            }
        return (double)hits / n;
    }

    [Fact]
    public void TheWindowTargetLearnsWhatComesTwoPlacesAheadWhereTheNextTargetCannot()
    {
        Torch.Load();
        var train = TwoAhead(300, 1);
        var probe = TwoAhead(60, 2);
        int items = Chain + Noise;
        var next = Small with { Epochs = 8 };
        using var nextModel = (NeuralSequenceModel)new SequenceModelTrainer(next).Fit(train, items, null, default);
        using var windowModel = (NeuralSequenceModel)new SequenceModelTrainer(next with { Target = SequenceTarget.Window, Window = 2 })
            .Fit(train, items, null, default);
        double byNext = TwoAheadHits(nextModel, probe), byWindow = TwoAheadHits(windowModel, probe);
        // after a chain item the next target is always noise, so the next-item model ranks the 40 noise items first; the
        // window of 2 holds the successor at every chain position
        Assert.True(byWindow > 0.8 && byWindow > byNext + 0.5, $"two ahead in the first 5: window {byWindow:P0}, next {byNext:P0}");
    }

    [Fact]
    public void AWindowOfOneTrainsAsTheNextTarget()
    {
        Torch.Load();
        var train = MarkovSequences.Generate(new MarkovSequenceOptions { Sequences = 80, Skip = 0.1, Seed = 3 }, out int items);
        var options = Small with { Epochs = 2, MinCount = 2 };
        var next = new SequenceModelTrainer(options);
        var window = new SequenceModelTrainer(options with { Target = SequenceTarget.Window, Window = 1 });
        using var a = (NeuralSequenceModel)next.Fit(train, items, null, default);
        using var b = (NeuralSequenceModel)window.Fit(train, items, null, default);
        for (int e = 0; e < 2; e++) Assert.Equal(next.History[e].TrainLoss, window.History[e].TrainLoss, 4);
    }

    [Fact]
    public void WindowsCarryTheEntriesAfterThemAsTargetsOnly()
    {
        // [4 7 9 2] in windows of 3 from the end, 3 ahead: [7 9 2] reads 7 and 9; [4 7] reads 4 and carries 9 and 2 after it
        var windows = SequenceModelTrainer.Windows([new Sequence([4, 7, 9, 2], [false, false, true, false])], maxLength: 2, ahead: 3);
        Assert.Equal(2, windows.Count);
        Assert.Equal([8L, 10, 3], windows[0].Tokens);
        Assert.Equal(2, windows[0].Inputs);
        Assert.Equal([5L, 8, 10, 3], windows[1].Tokens);
        Assert.Equal(1, windows[1].Inputs);

        // every token is its own class but 8 (item 7), outside the vocabulary; 10 (item 9) is skipped
        var classOfToken = Enumerable.Range(0, 12).Select(t => t == 8 ? -1L : t).ToArray();
        var (classes, mask) = SequenceModelTrainer.FutureTargets(windows, [0, 1], length: 3, ahead: 3, classOfToken);
        var c = classes.data<long>().ToArray();
        var m = mask.data<float>().ToArray();
        // window 0, left-padded by one: position 1 reads 7 → 9 (skipped), 2; position 2 reads 9 → 2
        Assert.Equal([0f, 0, 0, 0, 1, 0, 1, 0, 0], m[..9]);
        Assert.Equal(3L, c[4]);
        Assert.Equal(3L, c[6]);
        // window 1, left-padded by two: position 2 reads 4 → 7 (outside), 9 (skipped), 2
        Assert.Equal([0f, 0, 0, 0, 0, 0, 0, 0, 1], m[9..]);
        Assert.Equal(3L, c[17]);
    }

    [Fact]
    public void ReadingSeveralPositionsScoresByTheMeanOfTheirScores()
    {
        Torch.Load();
        var train = MarkovSequences.Generate(new MarkovSequenceOptions { Sequences = 40, Seed = 4 }, out int items);
        using var one = (NeuralSequenceModel)new SequenceModelTrainer(Small with { Epochs = 1, MinCount = 1 }).Fit(train, items, null, default);
        using var three = one.Reading(3);
        int[] history = [3, 8, 5, 1, 2];
        var byOne = new float[items];
        var byThree = new float[items];
        one.Score(history, default, byOne);
        three.Score(history, default, byThree);

        // the network's scores at each of the last three positions, by hand
        var expected = new double[items];
        using (no_grad())
        {
            var tokens = new long[one.MaxLength];
            for (int p = 0; p < history.Length; p++) tokens[one.MaxLength - history.Length + p] = history[p] + 1;
            var output = one.Network.forward(tensor(tokens, [1, one.MaxLength]), zeros(1, one.MaxLength, dtype: ScalarType.Int64))[0];
            var all = output.matmul(one.Network.OutputWeights.t()) + one.Network.OutputBias!;                // (L, items + 1)
            for (int i = 0; i < items; i++)
            {
                for (int p = one.MaxLength - 3; p < one.MaxLength; p++) expected[i] += all[p, i + 1].item<float>() / 3;
                Assert.Equal(all[one.MaxLength - 1, i + 1].item<float>(), byOne[i], 3);
            }
        }
        for (int i = 0; i < items; i++) Assert.Equal(expected[i], byThree[i], 3);
        Assert.Contains(Enumerable.Range(0, items), i => Math.Abs(byOne[i] - byThree[i]) > 1e-3);

        // more than the history holds: all of it
        using var many = one.Reading(50);
        using var five = one.Reading(5);
        var byMany = new float[items];
        var byFive = new float[items];
        many.Score(history, default, byMany);
        five.Score(history, default, byFive);
        Assert.Equal(byFive, byMany);

        // a reading shares the network: disposing it leaves the model whole; reading as the model does is the model
        many.Dispose();
        var again = new float[items];
        one.Score(history, default, again);
        Assert.Equal(byOne, again);
        Assert.Same(one, one.Reading(1));
        // unset, the read is the question's: the last position for the next track, the whole history for a playlist's rest
        var options = new SequenceModelOptions();
        Assert.Equal((1, options.MaxLength), (options.ReadOfNext, options.ReadOfRest));
        Assert.Equal((4, 4), ((options with { Read = 4 }).ReadOfNext, (options with { Read = 4 }).ReadOfRest));
    }

    [Fact]
    public void TheWindowTargetNeedsTheFullSoftmax()
    {
        var windowed = new SequenceModelOptions { Target = SequenceTarget.Window, Loss = SequenceLoss.BinaryCrossEntropy };
        var e = Assert.Throws<UsageException>(() => windowed.Validated());
        Assert.Contains("Target window needs the full softmax (Loss full)", e.Message);            // by the properties' names
        e = Assert.Throws<UsageException>(() => windowed.Validated(p => "--" + p.ToLowerInvariant()));
        Assert.Contains("--target window needs the full softmax (--loss full)", e.Message);        // by a front end's
        Assert.Throws<UsageException>(() => new SequenceModelOptions { Read = 0 }.Validated());
        Assert.Equal(SequenceTarget.Window, SequenceModelOptions.ParseTarget("window"));
        Assert.Throws<UsageException>(() => SequenceModelOptions.ParseTarget("set"));
    }
}
