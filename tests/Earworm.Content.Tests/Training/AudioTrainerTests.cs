using Earworm.Audio.Excerpts;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Network;
using Earworm.Content.Training;
using Earworm.Testing;

namespace Earworm.Content.Tests.Training;

public sealed class AudioTrainerTests
{
    public AudioTrainerTests() => Torch.Load();

    /// <summary>Tracks of random "log-mel" (16 bands), each with its own spectral profile, two windows of 60 frames.</summary>
    internal static WindowBank RandomBank(int tracks, int seed = 5)
    {
        var rng = new Random(seed);
        var bank = new WindowBank(16);
        for (int t = 0; t < tracks; t++)
        {
            var profile = Enumerable.Range(0, 16).Select(_ => (float)(rng.NextDouble() * 40 - 60)).ToArray();
            var windows = Enumerable.Range(0, 2).Select(w =>
            {
                var data = new float[16 * 60];
                for (int m = 0; m < 16; m++)
                    for (int f = 0; f < 60; f++) data[m * 60 + f] = profile[m] + (float)(rng.NextDouble() * 6);
                return new Excerpt(w * 100_000L, 60, data);
            }).ToList();
            bank.Add(t + 1, new ExcerptSet(22050, 512, 16, windows));
        }
        return bank;
    }

    private static Dictionary<long, float[]> RandomTargets(WindowBank bank, int dims, int seed = 9)
    {
        var rng = new Random(seed);
        return bank.TrackIds.ToDictionary(id => id, _ => Enumerable.Range(0, dims).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray());
    }

    [Fact]
    public void Overfits_a_tiny_batch_of_regression_targets()
    {
        var bank = RandomBank(6);
        var targets = RandomTargets(bank, 8);
        var options = new AudioTrainingOptions
        {
            Objective = AudioObjective.Cf, Network = Torch.Tiny(), BatchSize = 6, MaxEpochs = 120, CropsPerTrack = 1,
            ValidationFraction = 0, EarlyStoppingPatience = 1000, LearningRatePatience = 1000, LearningRate = 3e-3, WeightDecay = 0,
        };
        var result = new AudioTrainer(options).Train(bank, targets, checkpointFolder: null);
        double first = result.History[0].TrainLoss, last = result.History[^1].TrainLoss;
        Assert.True(last < 0.1 * first, $"loss {first:0.0000} → {last:0.0000}");
        Assert.Equal(120, result.History.Count);
    }

    [Fact]
    public void An_interrupted_run_resumes_from_its_last_checkpoint()
    {
        using var dir = new TempDirectory();
        var bank = RandomBank(10);
        var options = new AudioTrainingOptions
        {
            Network = Torch.Tiny(dropout: 0.2), BatchSize = 4, MaxEpochs = 4, CropsPerTrack = 1, EarlyStoppingPatience = 100,
        };
        var folder = dir.File("ckpt");
        var reference = new AudioTrainer(options).Train(bank, null, dir.File("other"));

        using var cts = new CancellationTokenSource();
        var stopAtEpoch3 = new SyncProgress<AudioTrainingProgress>(p => { if (p.Epoch == 3) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new AudioTrainer(options).Train(bank, null, folder, "", stopAtEpoch3, cts.Token));
        Assert.True(File.Exists(Path.Combine(folder, "state.json")));
        Assert.True(File.Exists(Path.Combine(folder, "weights-2.dat")));

        var resumed = new AudioTrainer(options).Train(bank, null, folder);
        Assert.True(resumed.Resumed);
        Assert.Equal([1, 2, 3, 4], resumed.History.Select(h => h.Epoch));
        for (int i = 0; i < 4; i++)
            Assert.Equal(reference.History[i].TrainLoss, resumed.History[i].TrainLoss, 2e-3 * Math.Abs(reference.History[i].TrainLoss) + 1e-5);

        // another fingerprint (other data) starts afresh
        var fresh = new AudioTrainer(options).Train(bank, null, folder, "other data");
        Assert.False(fresh.Resumed);
    }

    [Fact]
    public void Fine_tuning_starts_from_saved_weights_says_whether_it_helped_and_resumes_after_a_kill()
    {
        using var dir = new TempDirectory();
        var bank = RandomBank(12);
        var pretrain = new AudioTrainingOptions { Network = Torch.Tiny() with { BatchNorm = true }, BatchSize = 4, MaxEpochs = 3, CropsPerTrack = 1 };
        var start = new AudioTrainer(pretrain).Train(bank, null, null);
        var saved = dir.File("pretrained");
        Directory.CreateDirectory(saved);
        start.Network.save(Path.Combine(saved, AudioModelInfo.WeightsFile));
        new AudioModelInfo { Network = start.Network.Options, Objective = AudioObjective.Contrastive }.Save(saved);

        var tune = pretrain with { InitialModel = saved, InitialModelVersion = "v1", MaxEpochs = 4, LearningRate = 1e-4, Seed = 2 };
        var reference = new AudioTrainer(tune).Train(bank, null, dir.File("reference"));
        Assert.NotNull(reference.Initial);
        // the start is the saved network: its validation loss is far below a random network's on the same split
        var scratch = new AudioTrainer(tune with { InitialModel = null, InitialModelVersion = null }).Train(bank, null, null);
        Assert.True(reference.Initial!.Value.Loss < scratch.Initial!.Value.Loss,
            $"start {reference.Initial.Value.Loss:0.000} vs random {scratch.Initial.Value.Loss:0.000}");
        Assert.Equal(reference.BestLoss < reference.Initial.Value.Loss - 1e-6, reference.Improved);

        var folder = dir.File("ckpt");
        using var cts = new CancellationTokenSource();
        var stop = new SyncProgress<AudioTrainingProgress>(p => { if (p.Epoch == 3) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new AudioTrainer(tune).Train(bank, null, folder, "", stop, cts.Token));
        var resumed = new AudioTrainer(tune).Train(bank, null, folder);
        Assert.True(resumed.Resumed);
        Assert.Equal(reference.Initial.Value.Loss, resumed.Initial!.Value.Loss, 6);
        Assert.Equal(reference.History.Select(h => h.TrainLoss), resumed.History.Select(h => h.TrainLoss),
            new ToleranceComparer(2e-3));
    }

    [Fact]
    public void The_cosine_schedule_falls_from_the_initial_rate_towards_zero_whatever_the_validation_says()
    {
        var options = new AudioTrainingOptions
        {
            Network = Torch.Tiny(), BatchSize = 4, MaxEpochs = 4, CropsPerTrack = 1, Schedule = LearningRateSchedule.Cosine, LearningRate = 0.002,
        };
        var result = new AudioTrainer(options).Train(RandomBank(8), null, null);
        Assert.Equal([0.002, 0.001 * (1 + Math.Cos(Math.PI / 4)), 0.001, 0.001 * (1 + Math.Cos(3 * Math.PI / 4))],
            result.History.Select(h => h.LearningRate), new ToleranceComparer(1e-9));
    }

    [Fact]
    public void Early_stopping_and_the_time_budget_end_training()
    {
        var bank = RandomBank(8);
        var options = new AudioTrainingOptions
        {
            Network = Torch.Tiny(), BatchSize = 4, MaxEpochs = 50, CropsPerTrack = 1, EarlyStoppingPatience = 2,
            LearningRate = 1e-9, // nothing improves after the first epoch
        };
        var result = new AudioTrainer(options).Train(bank, null, null);
        Assert.StartsWith("early stopping", result.StopReason);
        Assert.InRange(result.History.Count, 2, 6);
        var budget = new AudioTrainer(options with { TimeBudget = TimeSpan.FromTicks(1), EarlyStoppingPatience = 100 }).Train(bank, null, null);
        Assert.StartsWith("time budget", budget.StopReason);
        Assert.Single(budget.History);
    }
}

internal sealed class ToleranceComparer(double relative) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= relative * Math.Max(Math.Abs(x), Math.Abs(y)) + 1e-5;
    public int GetHashCode(double obj) => 0;
}

/// <summary>IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
