using System.Diagnostics;
using Earworm.Content.Data;
using Earworm.Content.Native;
using Earworm.Content.Training;
using Earworm.Learning.Tagging;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Tagging;

/// <summary>How a <see cref="TagNetwork"/> is trained (<see cref="TagNetworkTrainer"/>).</summary>
public sealed record TagNetworkTrainingOptions
{
    public TagNetworkOptions Network { get; init; } = new();

    /// <summary>Frames of a training crop (431 ≈ 10 s, the excerpt cache's window); validation and tagging read each cached
    /// window in crops of this length (<see cref="TagNetworkModel.ReadFrames"/>).</summary>
    public int CropFrames { get; init; } = 431;

    /// <summary>Random crops of each training track per epoch.</summary>
    public int CropsPerTrack { get; init; } = 1;

    /// <summary>At most this many epochs (the one with the best mean validation ROC-AUC is kept).</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Stop after this many epochs without a better mean validation ROC-AUC.</summary>
    public int Patience { get; init; } = 8;

    public int BatchSize { get; init; } = 16;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>A random gain and equalisation (tilt and one bell) of up to this many dB on every training crop: a
    /// soundfont's instruments are other recordings of the same instruments.</summary>
    public double AugmentDb { get; init; } = 6;

    /// <summary>Share of training crops mixed with a crop of another training track (Zhang et al. 2018's mixup, made for
    /// many labels: the two spectrograms summed in power, the second up to 6 dB quieter, the labels joined), so the
    /// network hears each instrument in more company than the corpus holds. 0: none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double Mixup { get; init; }

    /// <summary>The step follows half a cosine from <see cref="LearningRate"/> down to nearly 0 over <see cref="Epochs"/>
    /// (Loshchilov &amp; Hutter 2017), so the last epochs settle instead of wandering; false: a constant step.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Cosine { get; init; }

    /// <summary>Every training crop's spectrum moved by up to this many mel bands (<see cref="AugmentationOptions.PitchShiftBands"/>;
    /// 2 ≈ ±1 semitone above 1 kHz): another soundfont tunes and voices its samples differently. 0: none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double PitchShiftBands { get; init; }

    /// <summary>SpecAugment frequency masks (up to 12 bands each) on every training crop: no single formant carries a tag. 0: none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int FrequencyMasks { get; init; }

    /// <summary>A tagger folder (<c>tagger.json</c>, <c>tagger.dat</c>: the same network shape) whose weights the run
    /// starts from instead of random ones — a trained tagger trained on, say with <see cref="Cosine"/> to let it settle;
    /// each tag it gives keeps its output row, a tag new to it starts afresh. Null: random weights.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? InitFrom { get; init; }

    /// <summary>Seeds the weights, the crops, their order, the augmentation and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>libtorch's intra-op threads (null: its own choice).</summary>
    public int? Threads { get; init; }

    /// <exception cref="UsageException">a value out of range, named.</exception>
    public TagNetworkTrainingOptions Validated()
    {
        Network.Validated();
        if (CropFrames < Network.MinimumFrames) throw new UsageException($"crops must hold at least {Network.MinimumFrames} frames, got {CropFrames}");
        if (CropsPerTrack < 1) throw new UsageException($"crops per track must be at least 1, got {CropsPerTrack}");
        if (Epochs is < 1 or > 10_000) throw new UsageException($"--epochs must lie in 1..10000, got {Epochs}");
        if (Patience < 1) throw new UsageException($"--patience must be at least 1, got {Patience}");
        if (BatchSize < 1) throw new UsageException($"--batch-size must be at least 1, got {BatchSize}");
        if (!(LearningRate is > 0 and < 1)) throw new UsageException($"--learning-rate must lie in (0, 1), got {LearningRate}");
        if (WeightDecay is < 0 or > 1) throw new UsageException($"--weight-decay must lie in [0, 1], got {WeightDecay}");
        if (AugmentDb is < 0 or > 24) throw new UsageException($"augmentation must lie in 0..24 dB, got {AugmentDb}");
        if (Mixup is < 0 or > 1) throw new UsageException($"--mixup must lie in [0, 1], got {Mixup}");
        if (PitchShiftBands is < 0 or > 12) throw new UsageException($"--pitch-shift must lie in 0..12 mel bands, got {PitchShiftBands}");
        if (FrequencyMasks is < 0 or > 8) throw new UsageException($"--frequency-masks must lie in 0..8, got {FrequencyMasks}");
        if (Threads is < 1) throw new UsageException($"--threads must be at least 1, got {Threads}");
        return this;
    }
}

/// <summary>Labelled tracks for a tag network: their log-mel windows (a <see cref="WindowBank"/>, track i) and a flag per tag.</summary>
public sealed record TagWindows(WindowBank Bank, IReadOnlyList<bool[]> Labels)
{
    public int Count => Bank.Count;
}

/// <summary>
/// Trains a <see cref="TagNetwork"/> in TorchSharp on labelled log-mel: binary cross-entropy on a sigmoid per tag
/// (multi-label), AdamW on random crops of the training tracks (a random gain and equalisation on each), every epoch
/// measured on the validation tracks read as tagging reads them, in crops of the training crops' length (<see cref="TagNetworkModel.Probabilities(IReadOnlyList{ValueTuple{float[], int}})"/>);
/// the epoch with the best mean validation ROC-AUC is kept (early stopping after <see cref="TagNetworkTrainingOptions.Patience"/>
/// epochs without progress), then each tag's threshold is set where its F1 on the validation tracks is best. After every
/// epoch the weights and the optimiser are checkpointed (<see cref="TrainingCheckpoint"/>) in the folder given, and a run
/// with the same fingerprint resumes from there.
/// </summary>
public static class TagNetworkTrainer
{
    public static TagNetworkModel Train(IReadOnlyList<string> tags, TagWindows train, TagWindows validation, TagNetworkTrainingOptions options,
        TagWindows? test = null, string? checkpointFolder = null, string fingerprint = "", IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        if (train.Count == 0 || validation.Count == 0) throw new UsageException("training a tag network needs training and validation tracks with cached excerpts");
        int t = tags.Count, bands = options.Network.MelBands, frames = options.CropFrames;
        if (train.Bank.MelBands != bands) throw new ArgumentException($"{train.Bank.MelBands} mel bands; the network reads {bands}");
        TorchRuntime.EnsureLoaded(options.Threads);
        var clock = Stopwatch.StartNew();

        torch.manual_seed(options.Seed);
        var network = new TagNetwork(options.Network with { Tags = t });
        var (mean, std) = train.Bank.Statistics();
        network.InputNormalisation = (mean, 1 / std);
        if (options.InitFrom is { } from && StartFrom(network, from, tags) is { Count: > 0 } fresh)
            progress?.Report($"  started from {from}; new to it, from random weights: {string.Join(", ", fresh.Take(8))}{(fresh.Count > 8 ? $" and {fresh.Count - 8} more" : "")}");
        using var optimizer = LiveOptimizers.AdamW(network.parameters(), options.LearningRate, options.WeightDecay);
        var checkpoint = checkpointFolder is null ? null : new TrainingCheckpoint(checkpointFolder, fingerprint);
        var state = checkpoint?.TryResume(network, optimizer) ?? new TrainingState();
        if (state.Epoch == 0) checkpoint?.Clear();
        if (state.ResumedAt > 0) progress?.Report($"  resumed after epoch {state.Epoch} (best {-state.BestLoss:0.000} at {state.BestEpoch})");

        var augmentation = new AugmentationOptions
        {
            GainDb = options.AugmentDb, EqualisationDb = options.AugmentDb, TimeShiftFrames = 0, PitchShiftBands = options.PitchShiftBands,
            FrequencyMasks = options.FrequencyMasks, FrequencyMaskBands = 12,
        };
        bool augment = options.AugmentDb > 0 || options.PitchShiftBands > 0 || options.FrequencyMasks > 0;
        while (state.Epoch < options.Epochs && state.Epoch - state.BestEpoch < options.Patience)
        {
            int epoch = state.Epoch + 1;
            var epochClock = Stopwatch.StartNew();
            double learningRate = LearningRateAt(options, epoch);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            var random = new Random(options.Seed * 100_003 + epoch);
            torch.manual_seed(options.Seed * 7919L + epoch);     // dropout
            network.train();
            var plan = Enumerable.Range(0, train.Count).SelectMany(i => Enumerable.Repeat(i, options.CropsPerTrack)).OrderBy(_ => random.Next()).ToArray();
            double lossSum = 0;
            var crop = new float[bands * frames];
            var other = new float[bands * frames];
            for (int start = 0; start < plan.Length; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int n = Math.Min(options.BatchSize, plan.Length - start);
                var batch = new float[n * bands * frames];
                var targets = new float[n * t];
                for (int b = 0; b < n; b++)
                {
                    int track = plan[start + b];
                    RandomCrop(train.Bank, track, frames, random, crop);
                    for (int k = 0; k < t; k++) targets[b * t + k] = train.Labels[track][k] ? 1 : 0;
                    if (options.Mixup > 0 && random.NextDouble() < options.Mixup)
                    {
                        int partner = random.Next(train.Count);
                        RandomCrop(train.Bank, partner, frames, random, other);
                        MixInPower(crop, other, -6 * random.NextDouble());
                        for (int k = 0; k < t; k++) if (train.Labels[partner][k]) targets[b * t + k] = 1;
                    }
                    if (augment) Augmentation.Apply(crop, bands, frames, augmentation, random);
                    crop.CopyTo(batch.AsSpan(b * bands * frames));
                }
                optimizer.zero_grad();
                var loss = nn.functional.binary_cross_entropy_with_logits(network.forward(tensor(batch, [n, bands, frames])), tensor(targets, [n, t]));
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * n;
            }
            var scores = Scores(network, validation.Bank, t, frames, cancellationToken);
            double auc = TagScores.MeanAuc(scores, validation.Labels, t);
            bool improved = -auc < state.BestLoss - 1e-9;
            if (improved)
            {
                state.BestLoss = -auc;
                state.BestEpoch = epoch;
                if (checkpoint is null) Keep(state, network);
            }
            state.Epoch = epoch;
            state.History.Add(new EpochRecord(epoch, lossSum / plan.Length, null, auc, learningRate, epochClock.Elapsed.TotalSeconds));
            checkpoint?.Save(network, optimizer, state, improved);
            progress?.Report($"  epoch {epoch}: loss {lossSum / plan.Length:0.0000}, validation mean ROC-AUC {auc:0.000} (best {-state.BestLoss:0.000} at {state.BestEpoch}), {epochClock.Elapsed.TotalSeconds:0} s");
        }
        if (checkpoint is not null) checkpoint.LoadBest(network);
        else if (state.BestWeights is not null) network.load_state_dict(state.BestWeights);
        network.eval();

        var final = Scores(network, validation.Bank, t, frames, cancellationToken);
        var (thresholds, validationAuc, testAuc, testPositives) = TagScores.Measure(tags, final, validation.Labels,
            test is { Count: > 0 } ? Scores(network, test.Bank, t, frames, cancellationToken) : null, test?.Labels);
        var positives = tags.Select((tag, k) => (tag, n: train.Labels.Count(l => l[k]))).ToDictionary(p => p.tag, p => p.n);
        var trainedSeconds = state.History.Sum(h => h.Seconds);
        var report = new TagHeadReport(train.Count, validation.Count, positives, validationAuc, testAuc, testPositives, state.BestEpoch,
            Math.Round(Math.Max(trainedSeconds, clock.Elapsed.TotalSeconds), 1));
        return new TagNetworkModel(network, tags, thresholds, report, frames);
    }

    /// <summary>The step of epoch <paramref name="epoch"/> (1-based): constant, or half a cosine from the step down to
    /// 1 % of it at the last epoch.</summary>
    public static double LearningRateAt(TagNetworkTrainingOptions options, int epoch)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Cosine || options.Epochs <= 1) return options.LearningRate;
        return options.LearningRate * CosineSchedule.Factor((epoch - 1) / (double)(options.Epochs - 1), floor: 0.01);
    }

    /// <summary>Loads a saved tagger's weights (its input normalisation and batch statistics too) into <paramref name="network"/>.
    /// Each tag the saved tagger gives keeps its output row (in this training's order); a tag it does not give keeps the
    /// row <paramref name="network"/> was made with, and a tag only it gives is left behind. Returns the tags new to it.</summary>
    /// <exception cref="UsageException">the folder holds no tagger, or one of another shape, or one with none of these tags.</exception>
    private static IReadOnlyList<string> StartFrom(TagNetwork network, string folder, IReadOnlyList<string> tags)
    {
        if (!TagNetworkModel.IsIn(folder)) throw new UsageException($"--init-from: no tag network (tagger.json and tagger.dat) in {folder}");
        using var start = TagNetworkModel.Load(folder);
        static string Shape(TagNetworkOptions o) => System.Text.Json.JsonSerializer.Serialize(o with { Dropout = 0, Tags = 0 });
        if (Shape(start.Options) != Shape(network.Options))
            throw new UsageException($"--init-from: the tagger in {folder} has another shape ({Shape(start.Options)}) than the network trained ({Shape(network.Options)})");
        var place = start.Tags.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => (long)x.i, StringComparer.Ordinal);
        var shared = tags.Select((t, i) => (t, i)).Where(x => place.ContainsKey(x.t)).ToArray();
        if (shared.Length == 0)
            throw new UsageException($"--init-from: the tagger in {folder} gives none of these tags (it gives {string.Join(", ", start.Tags)}; these are {string.Join(", ", tags)})");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var own = network.state_dict();
        var weights = start.Network.state_dict().ToDictionary(kv => kv.Key, kv =>
        {
            if (!IsOutput(kv.Key)) return kv.Value;
            // the output layer's rows follow the tags: a library orders them by how many training tracks carry each
            // (which more data can change), and a tag new to the saved tagger keeps this network's own row
            var rows = own[kv.Key].clone();
            rows.index_copy_(0, torch.tensor(shared.Select(x => (long)x.i).ToArray()), kv.Value.index_select(0, torch.tensor(shared.Select(x => place[x.t]).ToArray())));
            return rows;
        });
        network.load_state_dict(weights);
        return [.. tags.Where(t => !place.ContainsKey(t))];
    }

    private static bool IsOutput(string key) => key.EndsWith(".output.weight", StringComparison.Ordinal) || key.EndsWith(".output.bias", StringComparison.Ordinal);

    private static void RandomCrop(WindowBank bank, int track, int frames, Random random, float[] crop)
    {
        int window = random.Next(bank.WindowCount(track));
        bank.Crop(track, window, bank.RandomStart(track, window, frames, random), frames, crop);
    }

    /// <summary>Two log-mel spectrograms (dB) heard together: <paramref name="into"/> becomes the sum, in power, of itself and
    /// <paramref name="other"/> played <paramref name="otherGainDb"/> louder.</summary>
    public static void MixInPower(Span<float> into, ReadOnlySpan<float> other, double otherGainDb)
    {
        if (other.Length != into.Length) throw new ArgumentException($"{other.Length} values to mix into {into.Length}", nameof(other));
        float gain = (float)otherGainDb;
        for (int i = 0; i < into.Length; i++) into[i] = Augmentation.PowerSum(into[i], other[i] + gain);
    }

    private static void Keep(TrainingState state, TagNetwork network)
    {
        if (state.BestWeights is not null) foreach (var p in state.BestWeights.Values) p.Dispose();
        state.BestWeights = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    /// <summary>Each track's probabilities, read as tagging reads it: every window in crops of the training crops' length,
    /// the highest per tag.</summary>
    private static float[] Scores(TagNetwork network, WindowBank bank, int tags, int cropFrames, CancellationToken cancellationToken)
    {
        network.eval();
        var model = new TagNetworkModel(network, [.. Enumerable.Range(0, tags).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            new float[tags], null, cropFrames);
        var scores = new float[bank.Count * tags];
        for (int i = 0; i < bank.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var windows = new List<(float[], int)>();
            for (int w = 0; w < bank.WindowCount(i); w++)
            {
                int n = bank.FramesOf(i, w);
                var data = new float[bank.MelBands * n];
                bank.Crop(i, w, 0, n, data);
                windows.Add((data, n));
            }
            model.Probabilities(windows).CopyTo(scores, i * tags);
        }
        return scores;
    }

}
