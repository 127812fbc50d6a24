using System.Diagnostics;
using Earworm.Content.Data;
using Earworm.Content.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Training;

/// <summary>What training produced: the network with its best epoch's weights, and how it went.</summary>
public sealed record AudioTrainingResult(AudioNetwork Network, IReadOnlyList<EpochRecord> History, int BestEpoch,
    string StopReason, int TrainTracks, int ValidationTracks, bool Resumed);

/// <summary>
/// Trains an <see cref="AudioNetwork"/> on a <see cref="WindowBank"/> with one of the <see cref="AudioObjective"/>s:
/// a validation split by track, Adam or SGD-Nesterov, learning-rate reduction on plateau, early stopping, a time
/// budget, and a checkpoint after every epoch (<see cref="TrainingCheckpoint"/>) from which an interrupted run
/// resumes. Every batch runs in a dispose scope.
/// </summary>
public sealed class AudioTrainer
{
    private readonly AudioTrainingOptions _o;

    public AudioTrainer(AudioTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _o = options;
    }

    /// <param name="bank">The tracks (for cf/track2vec: only those with a target).</param>
    /// <param name="targets">Target vectors by track id (cf/track2vec); null for contrastive.</param>
    /// <param name="checkpointFolder">Where checkpoints go (and an earlier run's are resumed from); null: none.</param>
    /// <param name="fingerprint">Identifies the data and target (with the options): a checkpoint of another
    /// fingerprint is not resumed.</param>
    public AudioTrainingResult Train(WindowBank bank, IReadOnlyDictionary<long, float[]>? targets, string? checkpointFolder,
        string fingerprint = "", IProgress<AudioTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bank);
        bool regression = _o.Objective != AudioObjective.Contrastive;
        if (regression && targets is null) throw new ArgumentException($"the {_o.Objective} objective needs targets", nameof(targets));
        int minTracks = regression ? 2 : 4;
        if (bank.Count < minTracks)
            throw new UsageException($"training the audio model needs at least {minTracks} tracks with cached excerpts{(regression ? " and targets" : "")}; found {bank.Count}");
        int dims = regression ? targets!.Values.First().Length : _o.Network.OutputDims;
        var netOptions = _o.Network with { OutputDims = dims };

        var (trainIdx, valIdx) = Split(bank.Count);
        torch.manual_seed(_o.Seed);
        var network = new AudioNetwork(netOptions);
        var (mean, std) = bank.Statistics();
        network.InputNormalisation = (mean, 1 / std);
        using var optimizer = MakeOptimizer(network);

        var checkpoint = checkpointFolder is null ? null : new TrainingCheckpoint(checkpointFolder,
            TrainingCheckpoint.Fingerprint(_o, fingerprint, bank.TrackIds));
        var state = checkpoint?.TryResume(network, optimizer) ?? new TrainingState();
        bool resumed = state.Epoch > 0;
        if (!resumed) checkpoint?.Clear();
        SetLearningRate(optimizer, state.LearningRate ?? _o.EffectiveLearningRate);
        state.LearningRate ??= _o.EffectiveLearningRate;

        int crops = _o.CropsPerTrack > 0 ? _o.CropsPerTrack
            : Math.Clamp((int)Math.Round(Enumerable.Range(0, bank.Count).Average(bank.WindowCount)), 1, 8);
        var validation = valIdx.Length == 0 ? null : ValidationSet(bank, valIdx, targets);
        int frames = netOptions.Frames, bands = bank.MelBands;
        int stepsPerEpoch = crops * ((trainIdx.Length + _o.BatchSize - 1) / _o.BatchSize);
        var clock = Stopwatch.StartNew();
        string stop = $"reached {_o.MaxEpochs} epochs";
        double meanEpochSeconds = 0;

        while (state.Epoch < _o.MaxEpochs)
        {
            if (_o.TimeBudget is { } budget && state.Epoch > 0 && meanEpochSeconds > 0
                && clock.Elapsed.TotalSeconds + meanEpochSeconds > budget.TotalSeconds)
            {
                stop = $"time budget ({budget.TotalMinutes:0.#} min)";
                break;
            }
            int epoch = state.Epoch + 1;
            var epochClock = Stopwatch.StartNew();
            var rng = new Random(unchecked(_o.Seed * 7919 + epoch));
            torch.manual_seed(_o.Seed * 7919L + epoch); // dropout
            network.train();
            double lossSum = 0;
            int steps = 0;
            var x1 = new float[_o.BatchSize * bands * frames];
            var x2 = regression ? null : new float[_o.BatchSize * bands * frames];
            for (int round = 0; round < crops; round++)
            {
                var order = trainIdx.ToArray();
                rng.Shuffle(order);
                for (int b0 = 0; b0 < order.Length; b0 += _o.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int n = Math.Min(_o.BatchSize, order.Length - b0);
                    if (!regression && n < 2) continue;
                    using var scope = NewDisposeScope();
                    Tensor loss;
                    if (regression)
                    {
                        var y = new float[n * dims];
                        for (int i = 0; i < n; i++)
                        {
                            int t = order[b0 + i];
                            int w = rng.Next(bank.WindowCount(t));
                            bank.Crop(t, w, bank.RandomStart(t, w, frames, rng), frames, x1.AsSpan(i * bands * frames, bands * frames));
                            targets![bank.TrackIds[t]].CopyTo(y, i * dims);
                        }
                        var output = network.forward(Batch(x1, n, bands, frames));
                        var target = tensor(y, [n, dims]);
                        loss = _o.Objective == AudioObjective.Cf ? Objectives.Mse(output, target) : Objectives.CosineProximity(output, target);
                    }
                    else
                    {
                        for (int i = 0; i < n; i++)
                        {
                            int t = order[b0 + i];
                            View(bank, t, frames, rng, x1.AsSpan(i * bands * frames, bands * frames));
                            View(bank, t, frames, rng, x2.AsSpan(i * bands * frames, bands * frames));
                        }
                        var z1 = network.forward(Batch(x1, n, bands, frames));
                        var z2 = network.forward(Batch(x2!, n, bands, frames));
                        loss = Objectives.NtXent(z1, z2, _o.Temperature);
                    }
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    lossSum += loss.item<float>();
                    steps++;
                    progress?.Report(new AudioTrainingProgress(epoch, _o.MaxEpochs, steps, stepsPerEpoch, lossSum / steps,
                        state.History.LastOrDefault(), clock.Elapsed,
                        Remaining(epoch, steps, stepsPerEpoch, epochClock.Elapsed, meanEpochSeconds, clock.Elapsed)));
                }
            }
            var (valLoss, valMetric) = validation is null ? (null, null) : Validate(network, validation, regression);
            var record = new EpochRecord(epoch, steps > 0 ? lossSum / steps : double.NaN, valLoss, valMetric,
                state.LearningRate.Value, epochClock.Elapsed.TotalSeconds);
            state.History.Add(record);
            state.Epoch = epoch;
            int epochsThisRun = epoch - state.ResumedAt;
            meanEpochSeconds = state.History.TakeLast(epochsThisRun).Average(e => e.Seconds);

            double score = valLoss ?? record.TrainLoss;
            bool improved = score < state.BestLoss - 1e-6;
            if (improved)
            {
                state.BestLoss = score;
                state.BestEpoch = epoch;
                state.BadEpochs = 0;
            }
            else state.BadEpochs++;
            checkpoint?.Save(network, optimizer, state, improved);
            if (!improved && state.BadEpochs % _o.LearningRatePatience == 0)
            {
                state.LearningRate *= _o.LearningRateFactor;
                SetLearningRate(optimizer, state.LearningRate.Value);
            }
            progress?.Report(new AudioTrainingProgress(epoch, _o.MaxEpochs, steps, stepsPerEpoch, record.TrainLoss, record,
                clock.Elapsed, Remaining(epoch, stepsPerEpoch, stepsPerEpoch, epochClock.Elapsed, meanEpochSeconds, clock.Elapsed)));
            if (state.BadEpochs >= _o.EarlyStoppingPatience)
            {
                stop = $"early stopping ({_o.EarlyStoppingPatience} epochs without a better {(validation is null ? "training" : "validation")} loss)";
                break;
            }
            if (improved && checkpoint is null) state.BestWeights = Snapshot(network);
        }
        if (checkpoint is not null) checkpoint.LoadBest(network);
        else if (state.BestWeights is not null) Restore(network, state.BestWeights);
        network.eval();
        return new AudioTrainingResult(network, state.History, state.BestEpoch, stop, trainIdx.Length, valIdx.Length, resumed);
    }

    /// <summary>ETA: the rest of this epoch at its pace so far, then the epochs left at the mean epoch's (or this
    /// epoch's projected) length, capped by the time budget.</summary>
    private TimeSpan Remaining(int epoch, int step, int stepsPerEpoch, TimeSpan inEpoch, double meanEpochSeconds, TimeSpan elapsed)
    {
        double perStep = inEpoch.TotalSeconds / Math.Max(1, step);
        double epochSeconds = meanEpochSeconds > 0 ? meanEpochSeconds : perStep * stepsPerEpoch;
        double left = Math.Max(0, stepsPerEpoch - step) * perStep + (_o.MaxEpochs - epoch) * epochSeconds;
        if (_o.TimeBudget is { } budget) left = Math.Min(left, Math.Max(0, budget.TotalSeconds - elapsed.TotalSeconds));
        return TimeSpan.FromSeconds(left);
    }

    private (int[] Train, int[] Validation) Split(int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(_o.Seed).Shuffle(order);
        int val = count >= 4 ? Math.Max(1, (int)Math.Round(_o.ValidationFraction * count)) : 0;
        if (_o.ValidationFraction == 0) val = 0;
        if (_o.Objective == AudioObjective.Contrastive && val is > 0 and < 2) val = 2;
        return (order[val..], order[..val]);
    }

    private void View(WindowBank bank, int track, int frames, Random rng, Span<float> destination)
    {
        int w = rng.Next(bank.WindowCount(track));
        bank.Crop(track, w, bank.RandomStart(track, w, frames, rng), frames, destination);
        Augmentation.Apply(destination, bank.MelBands, frames, _o.Augmentation, rng);
    }

    private static Tensor Batch(float[] data, int n, int bands, int frames) =>
        tensor(data.AsSpan(0, n * bands * frames).ToArray(), [n, bands, frames]);

    private TorchSharp.Modules.OptimizerHelper MakeOptimizer(AudioNetwork network) => _o.Optimizer == OptimizerKind.Adam
        ? optim.Adam(network.parameters(), _o.EffectiveLearningRate, weight_decay: _o.WeightDecay)
        : optim.SGD(network.parameters(), _o.EffectiveLearningRate, momentum: _o.Momentum, weight_decay: _o.WeightDecay, nesterov: true);

    private static void SetLearningRate(TorchSharp.Modules.OptimizerHelper optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }

    // ---- validation: fixed crops (and, for contrastive, fixed views), the same every epoch ----

    private sealed record ValidationData(int[] Tracks, float[] First, float[]? Second, int[] Owner, int Count, float[][]? Targets);

    private ValidationData ValidationSet(WindowBank bank, int[] valIdx, IReadOnlyDictionary<long, float[]>? targets)
    {
        int frames = _o.Network.Frames, bands = bank.MelBands, size = bands * frames;
        var rng = new Random(_o.Seed ^ 0x5eed);
        if (_o.Objective == AudioObjective.Contrastive)
        {
            var first = new float[valIdx.Length * size];
            var second = new float[valIdx.Length * size];
            for (int i = 0; i < valIdx.Length; i++)
            {
                View(bank, valIdx[i], frames, rng, first.AsSpan(i * size, size));
                View(bank, valIdx[i], frames, rng, second.AsSpan(i * size, size));
            }
            return new ValidationData(valIdx, first, second, Enumerable.Range(0, valIdx.Length).ToArray(), valIdx.Length, null);
        }
        // regression: the centre crop of up to three windows per track
        var crops = new List<(int Owner, int Track, int Window)>();
        for (int i = 0; i < valIdx.Length; i++)
            for (int w = 0; w < Math.Min(3, bank.WindowCount(valIdx[i])); w++) crops.Add((i, valIdx[i], w));
        var data = new float[crops.Count * size];
        for (int c = 0; c < crops.Count; c++)
        {
            var (_, t, w) = crops[c];
            int start = Math.Max(0, (bank.FramesOf(t, w) - frames) / 2);
            bank.Crop(t, w, start, frames, data.AsSpan(c * size, size));
        }
        return new ValidationData(valIdx, data, null, crops.Select(c => c.Owner).ToArray(), crops.Count,
            valIdx.Select(i => targets![bank.TrackIds[i]]).ToArray());
    }

    private (double?, double?) Validate(AudioNetwork network, ValidationData v, bool regression)
    {
        network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int bands = network.Options.MelBands, frames = network.Options.Frames, size = bands * frames;
        Tensor Embed(float[] data)
        {
            var parts = new List<Tensor>();
            for (int b0 = 0; b0 < v.Count; b0 += 64)
            {
                int n = Math.Min(64, v.Count - b0);
                parts.Add(network.forward(tensor(data.AsSpan(b0 * size, n * size).ToArray(), [n, bands, frames])));
            }
            return cat(parts, 0);
        }
        var z1 = Embed(v.First);
        network.train();
        if (!regression)
        {
            var z2 = Embed(v.Second!);
            double loss = Objectives.NtXent(z1, z2, _o.Temperature).item<float>();
            return (loss, Objectives.PairAccuracy(z1, z2));
        }
        var (regLoss, cosine) = RegressionMetrics(z1, v.Owner, v.Tracks.Length, v.Targets!, _o.Objective);
        return (regLoss, cosine);
    }

    /// <summary>Regression validation needs the targets; kept apart so <see cref="Validate"/> stays small.</summary>
    internal static (double Loss, double MeanCosine) RegressionMetrics(Tensor crops, int[] owner, int tracks, float[][] targets, AudioObjective objective)
    {
        using var scope = NewDisposeScope();
        int dims = targets[0].Length;
        var sums = new float[tracks * dims];
        var z = crops.data<float>().ToArray();
        for (int c = 0; c < owner.Length; c++)
            for (int d = 0; d < dims; d++) sums[owner[c] * dims + d] += z[c * dims + d];
        var pred = tensor(sums, [tracks, dims]);
        var target = tensor(targets.SelectMany(t => t).ToArray(), [tracks, dims]);
        double loss = (objective == AudioObjective.Cf ? Objectives.Mse(nn.functional.normalize(pred, 2, 1), target)
            : Objectives.CosineProximity(pred, target)).item<float>();
        double cos = (nn.functional.normalize(pred, 2, 1) * nn.functional.normalize(target, 2, 1)).sum(1).mean().item<float>();
        return (loss, cos);
    }

    private static Dictionary<string, Tensor> Snapshot(AudioNetwork network) =>
        network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    private static void Restore(AudioNetwork network, Dictionary<string, Tensor> weights) => network.load_state_dict(weights);
}
