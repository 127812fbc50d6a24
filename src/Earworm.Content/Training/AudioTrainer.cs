using System.Diagnostics;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Native;
using Earworm.Content.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Training;

/// <summary>What training produced: the network with its best epoch's weights, and how it went.</summary>
/// <param name="Initial">The validation loss and metric of the network before its first step (for a network started
/// from other weights: how good those already were); null without a validation split.</param>
public sealed record AudioTrainingResult(AudioNetwork Network, IReadOnlyList<EpochRecord> History, int BestEpoch,
    string StopReason, int TrainTracks, int ValidationTracks, bool Resumed, (double Loss, double? Metric)? Initial = null)
{
    /// <summary>The best epoch's validation (else training) loss.</summary>
    public double? BestLoss => History.FirstOrDefault(h => h.Epoch == BestEpoch) is { } e ? e.ValidationLoss ?? e.TrainLoss : null;

    /// <summary>Whether training made the network better on the validation split than it started (always true for a
    /// network trained from scratch, whose start is random; for a started one, its best epoch beat the start).</summary>
    public bool Improved => Initial is not { } start || BestLoss is not { } best || best < start.Loss - 1e-6;
}

/// <summary>
/// Trains an <see cref="AudioNetwork"/> on a <see cref="WindowBank"/> with one of the <see cref="AudioObjective"/>s:
/// a validation split by track, Adam or SGD-Nesterov, learning-rate reduction on plateau, early stopping, a time
/// budget, and a checkpoint after every epoch (<see cref="TrainingCheckpoint"/>) from which an interrupted run
/// resumes. A network can start from a saved model's weights (<see cref="AudioTrainingOptions.InitialModel"/>:
/// fine-tuning). Every batch runs in a dispose scope; the next batch is filled on another thread meanwhile.
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

    private bool Regression => _o.Objective != AudioObjective.Contrastive;

    /// <summary>Contrastive: the group of each track of the bank (index i), for the supervised term
    /// (<see cref="AudioTrainingOptions.GroupWeight"/>); null: none.</summary>
    public IReadOnlyList<int>? Groups { get; init; }

    /// <summary>Everything one training run holds between its steps.</summary>
    private sealed class Run : IDisposable
    {
        public required AudioNetwork Network { get; init; }
        public required TorchSharp.Modules.OptimizerHelper Optimizer { get; init; }
        public required TrainingBatches Batches { get; init; }
        public required int[] TrainIdx { get; init; }
        public required int[] ValIdx { get; init; }
        public required ValidationData? Validation { get; init; }
        public required TrainingCheckpoint? Checkpoint { get; init; }
        public required TrainingState State { get; init; }
        public required int Crops { get; init; }
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        public string Stop { get; set; } = "";
        public double MeanEpochSeconds { get; set; }

        public void Dispose() => Optimizer.Dispose();
    }

    /// <param name="bank">The tracks (for cf/track2vec: only those with a target).</param>
    /// <param name="targets">Target vectors by track id (cf/track2vec); null for contrastive.</param>
    /// <param name="checkpointFolder">Where checkpoints go (and an earlier run's are resumed from); null: none.</param>
    /// <param name="fingerprint">Identifies the data and target (with the options): a checkpoint of another
    /// fingerprint is not resumed.</param>
    public AudioTrainingResult Train(WindowBank bank, IReadOnlyDictionary<long, float[]>? targets, string? checkpointFolder,
        string fingerprint = "", IProgress<AudioTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var run = Setup(bank, targets, checkpointFolder, fingerprint);
        run.Stop = $"reached {_o.MaxEpochs} epochs";
        while (run.State.Epoch < _o.MaxEpochs && !OutOfTime(run))
        {
            var (record, steps) = TrainEpoch(run, progress, cancellationToken);
            if (EndEpoch(run, record, steps, progress)) break;
        }
        return Finish(run);
    }

    // ---- the steps ----

    /// <summary>The split, the network (fresh, or started from <see cref="AudioTrainingOptions.InitialModel"/>), its
    /// input normalisation, the optimiser, the validation inputs, and an earlier run's state when one is resumed.</summary>
    private Run Setup(WindowBank bank, IReadOnlyDictionary<long, float[]>? targets, string? checkpointFolder, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(bank);
        if (Groups is not null && Groups.Count != bank.Count) throw new ArgumentException($"{Groups.Count} groups for {bank.Count} tracks");
        if (Regression && targets is null) throw new ArgumentException($"the {_o.Objective} objective needs targets", nameof(targets));
        int minTracks = Regression ? 2 : 4;
        if (bank.Count < minTracks)
            throw new UsageException($"training the audio model needs at least {minTracks} tracks with cached excerpts{(Regression ? " and targets" : "")}; found {bank.Count}");
        int dims = Regression ? targets!.Values.First().Length : _o.Network.OutputDims;
        var netOptions = _o.Network with { OutputDims = dims };

        var (trainIdx, valIdx) = Split(bank.Count);
        torch.manual_seed(_o.Seed);
        var network = new AudioNetwork(netOptions);
        if (_o.InitialModel is { } init) StartFrom(network, init);
        else
        {
            var (mean, std) = bank.Statistics();
            network.InputNormalisation = (mean, 1 / std);
        }
        var optimizer = MakeOptimizer(network);
        var checkpoint = checkpointFolder is null ? null : new TrainingCheckpoint(checkpointFolder,
            TrainingCheckpoint.Fingerprint(_o, fingerprint, bank.TrackIds));
        var state = checkpoint?.TryResume(network, optimizer) ?? new TrainingState();
        if (state.Epoch == 0) checkpoint?.Clear();
        state.LearningRate ??= _o.EffectiveLearningRate;
        SetLearningRate(optimizer, state.LearningRate.Value);

        int crops = _o.CropsPerTrack > 0 ? _o.CropsPerTrack
            : Math.Clamp((int)Math.Round(Enumerable.Range(0, bank.Count).Average(bank.WindowCount)), 1, 8);
        var batches = new TrainingBatches(bank, _o, netOptions.Frames, targets);
        var run = new Run
        {
            Network = network, Optimizer = optimizer, Batches = batches, TrainIdx = trainIdx, ValIdx = valIdx,
            Validation = valIdx.Length == 0 ? null : batches.Validation(valIdx), Checkpoint = checkpoint, State = state, Crops = crops,
        };
        if (state.Initial is null && run.Validation is { } validation && Validate(network, validation) is (double loss, var metric))
            state.Initial = new InitialValidation(loss, metric);
        return run;
    }

    /// <summary>Copies a saved model's weights into <paramref name="network"/>: every tensor whose name and shape agree
    /// (the convolutions, batch norms and input normalisation; the head too when the output size is the same).</summary>
    private static void StartFrom(AudioNetwork network, string folder)
    {
        var (source, _) = AudioEmbedder.LoadNetwork(folder);
        using (source)
        using (no_grad())
        {
            var from = source.state_dict();
            foreach (var (name, tensor) in network.state_dict())
                if (from.TryGetValue(name, out var t) && t.shape.SequenceEqual(tensor.shape)) tensor.copy_(t);
        }
    }

    private bool OutOfTime(Run run)
    {
        if (_o.TimeBudget is not { } budget || run.State.Epoch == 0 || run.MeanEpochSeconds <= 0
            || run.Clock.Elapsed.TotalSeconds + run.MeanEpochSeconds <= budget.TotalSeconds) return false;
        run.Stop = $"time budget ({budget.TotalMinutes:0.#} min)";
        return true;
    }

    /// <summary>One epoch of optimisation steps (the next batch filled on the thread pool meanwhile), then validation.</summary>
    private (EpochRecord Record, int Steps) TrainEpoch(Run run, IProgress<AudioTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int epoch = run.State.Epoch + 1;
        if (_o.Schedule == LearningRateSchedule.Cosine)
        {
            run.State.LearningRate = _o.EffectiveLearningRate * CosineSchedule.Factor((epoch - 1) / (double)_o.MaxEpochs);
            SetLearningRate(run.Optimizer, run.State.LearningRate.Value);
        }
        var epochClock = Stopwatch.StartNew();
        torch.manual_seed(_o.Seed * 7919L + epoch); // dropout
        run.Network.train();
        var plan = run.Batches.EpochPlan(run.TrainIdx, run.Crops, epoch);
        Task<PreparedBatch> Fill(int b) => Task.Run(() => run.Batches.Prepare(plan[b], run.TrainIdx, TrainingBatches.BatchRandom(_o.Seed, epoch, b)));
        double lossSum = 0;
        int steps = 0;
        var next = plan.Count > 0 ? Fill(0) : null;
        for (int b = 0; b < plan.Count; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = next!.GetAwaiter().GetResult();
            next = b + 1 < plan.Count ? Fill(b + 1) : null;
            lossSum += Step(run, batch);
            steps++;
            progress?.Report(new AudioTrainingProgress(epoch, _o.MaxEpochs, steps, plan.Count, lossSum / steps, run.State.History.LastOrDefault(),
                run.Clock.Elapsed, Remaining(epoch, steps, plan.Count, epochClock.Elapsed, run.MeanEpochSeconds, run.Clock.Elapsed)));
        }
        var (valLoss, valMetric) = run.Validation is null ? (null, null) : Validate(run.Network, run.Validation);
        return (new EpochRecord(epoch, steps > 0 ? lossSum / steps : double.NaN, valLoss, valMetric, run.State.LearningRate!.Value,
            epochClock.Elapsed.TotalSeconds), steps);
    }

    /// <summary>One optimisation step on a batch; returns its loss.</summary>
    private double Step(Run run, PreparedBatch batch)
    {
        using var scope = NewDisposeScope();
        int bands = run.Network.Options.MelBands, frames = run.Network.Options.Frames, n = batch.Count;
        Tensor loss;
        if (Regression)
        {
            var output = run.Network.forward(tensor(batch.First, [n, bands, frames]));
            var target = tensor(batch.Targets!, [n, batch.Targets!.Length / n]);
            loss = _o.Objective == AudioObjective.Cf ? Objectives.Mse(output, target) : Objectives.CosineProximity(output, target);
        }
        else
        {
            Tensor Views(float[] crops) => PairView(run.Network, tensor(crops, [n, bands, frames]));
            var z1 = Views(batch.First);
            var z2 = Views(batch.Second!);
            loss = ContrastiveLoss(z1, z2, batch.Tracks);
        }
        run.Optimizer.zero_grad();
        loss.backward();
        run.Optimizer.step();
        return loss.item<float>();
    }

    /// <summary>NT-Xent, with the supervised term over the tracks' groups when asked; or VICReg.</summary>
    private Tensor ContrastiveLoss(Tensor z1, Tensor z2, int[] tracks)
    {
        if (_o.PairLoss == PairLoss.VicReg) return Objectives.VicReg(z1, z2);
        if (_o.GroupWeight <= 0 || Groups is null) return Objectives.NtXent(z1, z2, _o.Temperature);
        using var scope = NewDisposeScope();
        var groups = tracks.Select(t => Groups[t]).ToArray();
        var supervised = Objectives.SupervisedContrastive(z1, z2, groups, _o.Temperature);
        if (_o.GroupWeight >= 1) return supervised.MoveToOuterDisposeScope();
        var weight = tensor((float)_o.GroupWeight);
        return ((ones_like(weight) - weight) * Objectives.NtXent(z1, z2, _o.Temperature)).Plus(weight * supervised).MoveToOuterDisposeScope();
    }

    /// <summary>Records the epoch, keeps the best weights, checkpoints, lowers the learning rate on a plateau; true
    /// when early stopping ends training.</summary>
    private bool EndEpoch(Run run, EpochRecord record, int steps, IProgress<AudioTrainingProgress>? progress)
    {
        var state = run.State;
        state.History.Add(record);
        state.Epoch = record.Epoch;
        run.MeanEpochSeconds = state.History.TakeLast(record.Epoch - state.ResumedAt).Average(e => e.Seconds);
        double score = record.ValidationLoss ?? record.TrainLoss;
        bool improved = score < state.BestLoss - 1e-6;
        if (improved)
        {
            state.BestLoss = score;
            state.BestEpoch = record.Epoch;
            state.BadEpochs = 0;
        }
        else state.BadEpochs++;
        run.Checkpoint?.Save(run.Network, run.Optimizer, state, improved);
        if (improved && run.Checkpoint is null) state.BestWeights = Snapshot(run.Network);
        if (_o.Schedule == LearningRateSchedule.Plateau && !improved && state.BadEpochs % _o.LearningRatePatience == 0)
        {
            state.LearningRate *= _o.LearningRateFactor;
            SetLearningRate(run.Optimizer, state.LearningRate!.Value);
        }
        progress?.Report(new AudioTrainingProgress(record.Epoch, _o.MaxEpochs, steps, steps, record.TrainLoss, record, run.Clock.Elapsed,
            Remaining(record.Epoch, steps, steps, TimeSpan.FromSeconds(record.Seconds), run.MeanEpochSeconds, run.Clock.Elapsed)));
        if (state.BadEpochs < _o.EarlyStoppingPatience) return false;
        run.Stop = $"early stopping ({_o.EarlyStoppingPatience} epochs without a better {(run.Validation is null ? "training" : "validation")} loss)";
        return true;
    }

    /// <summary>The best epoch's weights back in the network, in eval mode.</summary>
    private AudioTrainingResult Finish(Run run)
    {
        if (run.Checkpoint is not null) run.Checkpoint.LoadBest(run.Network);
        else if (run.State.BestWeights is not null) run.Network.load_state_dict(run.State.BestWeights);
        run.Network.eval();
        return new AudioTrainingResult(run.Network, run.State.History, run.State.BestEpoch, run.Stop, run.TrainIdx.Length,
            run.ValIdx.Length, run.State.ResumedAt > 0, run.State.Initial is { } i ? (i.Loss, i.Metric) : null);
    }

    // ---- helpers ----

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

    /// <summary>What the pair loss reads of a view: the output layer's rows as they are for VICReg (on unit-length ones
    /// its variance term cannot hold off a collapse: a fold-3 trial's loss sat at the collapse value
    /// 25 · 2 · (1/√64 − 0.01) from epoch 10), the unit-length embedding for NT-Xent.</summary>
    private Tensor PairView(AudioNetwork network, Tensor crops) =>
        _o.PairLoss == PairLoss.VicReg ? network.Unnormalised(crops) : network.forward(crops);

    private TorchSharp.Modules.OptimizerHelper MakeOptimizer(AudioNetwork network) => _o.Optimizer == OptimizerKind.Adam
        ? LiveOptimizers.Adam(network.parameters(), _o.EffectiveLearningRate, _o.WeightDecay)
        : LiveOptimizers.Sgd(network.parameters(), _o.EffectiveLearningRate, _o.Momentum, _o.WeightDecay, nesterov: true);

    private static void SetLearningRate(TorchSharp.Modules.OptimizerHelper optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }

    /// <summary>Loss and metric on the fixed validation inputs (contrastive: NT-Xent and pair accuracy; regression: the
    /// loss on the per-track mean prediction and the mean cosine to the targets).</summary>
    private (double?, double?) Validate(AudioNetwork network, ValidationData v)
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
                var crops = tensor(data.AsSpan(b0 * size, n * size).ToArray(), [n, bands, frames]);
                parts.Add(Regression ? network.forward(crops) : PairView(network, crops));
            }
            return cat(parts, 0);
        }
        var z1 = Embed(v.First);
        network.train();
        if (!Regression)
        {
            var z2 = Embed(v.Second!);
            double loss = ContrastiveLoss(z1, z2, v.Tracks).item<float>();
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
}
