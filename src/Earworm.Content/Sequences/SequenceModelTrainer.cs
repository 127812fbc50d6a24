using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Earworm.Content.Native;
using Earworm.Content.Training;
using Earworm.Learning;
using Earworm.Learning.Sequences;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Sequences;

/// <summary>
/// Trains SASRec or GRU4Rec (<see cref="SequenceNetwork"/>) on sequences with libtorch on the CPU. Every sequence is cut
/// into windows of <see cref="SequenceModelOptions.MaxLength"/> + 1 entries (the last one, then earlier ones, so
/// every transition is seen once); at each position the target is the next entry unless that entry was skipped: a skip
/// is input, never a positive. Each batch draws <see cref="SequenceModelOptions.EffectiveNegatives"/> negatives
/// uniformly, shared by its positions (one equal to a position's target is left out of that position's loss); SASRec learns by binary cross-entropy, GRU4Rec by BPR-max. Adam; the seed fixes
/// the initial weights, the order of windows, dropout and the negatives of every epoch, so a run repeats, and a run
/// resumed from its checkpoint continues as if never stopped.
/// </summary>
/// <param name="checkpointFolder">where a checkpoint is written after every epoch (weights, optimiser, state), and
/// resumed from when its fingerprint (options and data) matches; null: none.</param>
public sealed class SequenceModelTrainer(SequenceModelOptions options, string? checkpointFolder = null) : ISequenceTrainer
{
    private readonly SequenceModelOptions _o = options.Validated();

    public string Name => _o.Name;

    /// <summary>Epoch records of the last <see cref="Fit"/>, and the epoch it resumed after (0: from scratch).</summary>
    public IReadOnlyList<EpochRecord> History { get; private set; } = [];

    public int ResumedAfterEpoch { get; private set; }

    /// <summary>The training windows of the last <see cref="Fit"/> (an epoch's examples).</summary>
    public int WindowCount { get; private set; }

    public ISequenceModel Fit(IReadOnlyList<Sequence> sequences, int itemCount, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        foreach (var s in sequences) s.Validate(itemCount);
        TorchRuntime.EnsureLoaded(_o.Threads);
        var windows = Windows(sequences, _o.MaxLength);
        if (windows.Count == 0) throw new UsageException($"{Name} needs sequences of at least two entries with a played one after the first");
        WindowCount = windows.Count;
        torch.manual_seed(_o.Seed);
        var network = SequenceNetwork.Create(_o, itemCount);
        var optimizer = optim.Adam(network.parameters(), _o.LearningRate);
        var checkpoint = checkpointFolder is null ? null : new TrainingCheckpoint(checkpointFolder, Fingerprint(_o, sequences, itemCount));
        var state = checkpoint?.TryResume(network, optimizer) ?? new TrainingState();
        if (state.Epoch == 0) checkpoint?.Clear();
        ResumedAfterEpoch = state.ResumedAt;
        var clock = Stopwatch.StartNew();
        int batches = (windows.Count + _o.BatchSize - 1) / _o.BatchSize;
        while (state.Epoch < _o.Epochs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int epoch = state.Epoch + 1;
            var epochClock = Stopwatch.StartNew();
            network.train();
            torch.manual_seed(_o.Seed * 7919L + epoch);
            var order = Enumerable.Range(0, windows.Count).ToArray();
            new Random(_o.Seed * 31 + epoch).Shuffle(order);
            double lossSum = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = order.AsSpan(b * _o.BatchSize, Math.Min(_o.BatchSize, order.Length - b * _o.BatchSize));
                var (tokens, skipped, targets, mask) = Tensors(windows, batch, _o.MaxLength);
                optimizer.zero_grad();
                var loss = Loss(network, tokens, skipped, targets, mask, itemCount);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
            }
            state.Epoch = epoch;
            var record = new EpochRecord(epoch, lossSum / batches, null, null, _o.LearningRate, epochClock.Elapsed.TotalSeconds);
            state.History.Add(record);
            checkpoint?.Save(network, optimizer, state, improved: false);
            progress?.Report(new TrainingProgress(Name, epoch, _o.Epochs, record.TrainLoss, clock.Elapsed));
            if (_o.Minutes is { } minutes && clock.Elapsed.TotalMinutes >= minutes) break;
        }
        History = [.. state.History];
        optimizer.Dispose();
        network.eval();
        return new NeuralSequenceModel(Name, network, _o.MaxLength, itemCount);
    }

    /// <summary>The loss of one batch, averaged over the positions with a target.</summary>
    private Tensor Loss(SequenceNetwork network, Tensor tokens, Tensor skipped, Tensor targets, Tensor mask, int itemCount)
    {
        var hidden = network.forward(tokens, skipped);                       // (B, L, d)
        var weights = network.OutputWeights;
        long b = targets.shape[0], l = targets.shape[1];
        var flat = targets.flatten();
        var positive = (hidden * weights.index_select(0, flat).view(b, l, -1)).sum(-1);   // (B, L)
        var negatives = randint(1, itemCount + 1, [_o.EffectiveNegatives], dtype: ScalarType.Int64);
        // a negative drawn equal to the position's target is no negative: its score leaves the loss (−10⁴: no gradient)
        var negative = hidden.matmul(weights.index_select(0, negatives).t())             // (B, L, N)
            .masked_fill(negatives.view(1, 1, -1).eq(targets.unsqueeze(-1)), -1e4);
        if (network.OutputBias is { } bias)
        {
            positive = positive + bias.index_select(0, flat).view(b, l);
            negative = negative + bias.index_select(0, negatives);
        }
        Tensor perPosition;
        if (_o.Architecture == SequenceArchitecture.SasRec)
        {
            perPosition = -(nn.functional.logsigmoid(positive) + nn.functional.logsigmoid(-negative).sum(-1));
        }
        else
        {
            // BPR-max: the negatives weighted by their softmax, so the hardest count most; the score regularisation keeps them low
            var weight = negative.softmax(-1);
            var gain = (weight * (positive.unsqueeze(-1) - negative).sigmoid()).sum(-1);
            perPosition = -(gain + 1e-24).log() + _o.BprMaxRegularization * (weight * negative.pow(2)).sum(-1);
        }
        return (perPosition * mask).sum() / mask.sum().clamp_min(1);
    }

    /// <summary>A training window: up to MaxLength + 1 entries as tokens (item + 1) and skip flags.</summary>
    internal sealed record Window(long[] Tokens, bool[] Skipped);

    internal static List<Window> Windows(IReadOnlyList<Sequence> sequences, int maxLength)
    {
        var windows = new List<Window>();
        foreach (var s in sequences)
        {
            for (int end = s.Length; end >= 2; end -= maxLength)
            {
                int start = Math.Max(0, end - maxLength - 1);
                bool anyTarget = false;
                for (int p = start + 1; p < end; p++) anyTarget |= !s.IsSkipped(p);
                if (!anyTarget) continue;
                windows.Add(new Window([.. s.Items[start..end].Select(i => (long)i + 1)],
                    [.. Enumerable.Range(start, end - start).Select(s.IsSkipped)]));
            }
        }
        return windows;
    }

    /// <summary>A batch as tensors, left-padded to <paramref name="length"/>: inputs, their skip flags, targets and the
    /// mask of positions whose target is a played entry.</summary>
    private static (Tensor Tokens, Tensor Skipped, Tensor Targets, Tensor Mask) Tensors(List<Window> windows, ReadOnlySpan<int> batch, int length)
    {
        int b = batch.Length;
        var tokens = new long[b * length];
        var skipped = new long[b * length];
        var targets = new long[b * length];
        var mask = new float[b * length];
        for (int r = 0; r < b; r++)
        {
            var w = windows[batch[r]];
            int inputs = w.Tokens.Length - 1, offset = r * length + (length - inputs);
            for (int p = 0; p < inputs; p++)
            {
                tokens[offset + p] = w.Tokens[p];
                skipped[offset + p] = w.Skipped[p] ? 1 : 0;
                targets[offset + p] = w.Tokens[p + 1];
                mask[offset + p] = w.Skipped[p + 1] ? 0 : 1;
            }
        }
        return (torch.tensor(tokens, [b, length]), torch.tensor(skipped, [b, length]), torch.tensor(targets, [b, length]), torch.tensor(mask, [b, length]));
    }

    /// <summary>The options (without the time budget and thread count, which do not change what is learnt) and the data.</summary>
    private static string Fingerprint(SequenceModelOptions o, IReadOnlyList<Sequence> sequences, int itemCount)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(o with { Minutes = null, Threads = null }) + "|" + itemCount));
        foreach (var s in sequences)
        {
            foreach (var i in s.Items) hash.AppendData(BitConverter.GetBytes(i));
            foreach (var k in s.Skipped ?? []) hash.AppendData(BitConverter.GetBytes(k));
            hash.AppendData(BitConverter.GetBytes(-1));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
    }
}

/// <summary>A trained SASRec or GRU4Rec: scores every item after a history (its last <c>maxLength</c> entries).</summary>
public sealed class NeuralSequenceModel(string name, SequenceNetwork network, int maxLength, int itemCount) : ISequenceModel, IDisposable
{
    private readonly Lock _gate = new();

    public string Name => name;
    public int ItemCount => itemCount;
    public SequenceNetwork Network => network;
    public int MaxLength => maxLength;

    public void Score(ReadOnlySpan<int> history, ReadOnlySpan<bool> skipped, Span<float> scores)
    {
        if (scores.Length != itemCount) throw new ArgumentException($"expected {itemCount} scores, got {scores.Length}", nameof(scores));
        if (history.IsEmpty)
        {
            scores.Fill(float.NegativeInfinity);
            return;
        }
        int n = Math.Min(history.Length, maxLength), from = history.Length - n;
        var tokens = new long[maxLength];
        var flags = new long[maxLength];
        for (int p = 0; p < n; p++)
        {
            tokens[maxLength - n + p] = history[from + p] + 1;
            flags[maxLength - n + p] = !skipped.IsEmpty && skipped[from + p] ? 1 : 0;
        }
        // libtorch modules are not documented safe for concurrent forward passes: one at a time per model
        lock (_gate)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var hidden = network.forward(torch.tensor(tokens, [1, maxLength]), torch.tensor(flags, [1, maxLength]))[0, maxLength - 1];
            var logits = network.OutputWeights.narrow(0, 1, itemCount).matmul(hidden);
            if (network.OutputBias is { } bias) logits = logits + bias.narrow(0, 1, itemCount);
            logits.data<float>().CopyTo(scores);
        }
    }

    public void Dispose() => network.Dispose();
}
