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
/// uniformly, shared by its positions (one equal to a position's target is left out of that position's loss); SASRec
/// learns by binary cross-entropy, GRU4Rec by BPR-max, either by sampled softmax when asked
/// (<see cref="SequenceModelOptions.Loss"/>). With a validation share (<see cref="SequenceModelOptions.Validation"/>)
/// some sequences are kept out of training, the epoch ranking their last entries best (NDCG@10 over all items) is kept
/// and training stops after <see cref="SequenceModelOptions.Patience"/> epochs without a better one. Adam; the seed
/// fixes the validation share, the initial weights, the order of windows, dropout and the negatives of every epoch, so
/// a run repeats, and a run resumed from its checkpoint continues as if never stopped.
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

    /// <summary>Why training stopped before its last epoch (early stopping, the time budget), or null.</summary>
    public string? Stop { get; private set; }

    /// <summary>The epoch whose weights the model has: the best on validation, else the last.</summary>
    public int BestEpoch { get; private set; }

    public ISequenceModel Fit(IReadOnlyList<Sequence> sequences, int itemCount, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        foreach (var s in sequences) s.Validate(itemCount);
        TorchRuntime.EnsureLoaded(_o.Threads);
        var (fitting, held) = SplitValidation(sequences, _o.Validation, _o.Seed);
        var windows = Windows(fitting, _o.MaxLength);
        if (windows.Count == 0) throw new UsageException($"{Name} needs sequences of at least two entries with a played one after the first");
        WindowCount = windows.Count;
        var validation = ValidationSet.Of(held, _o.MaxLength);
        Stop = null;
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
            if (validation is not null && state.BadEpochs >= _o.Patience) break;
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
            double? ndcg = validation?.Ndcg(network, itemCount);
            state.Epoch = epoch;
            var record = new EpochRecord(epoch, lossSum / batches, null, ndcg, _o.LearningRate, epochClock.Elapsed.TotalSeconds);
            state.History.Add(record);
            // the best epoch is the one of the highest validation NDCG (kept as −NDCG, lower being better), else the last
            bool improved = ndcg is not { } m || -m < state.BestLoss - 1e-9;
            if (improved)
            {
                state.BestLoss = ndcg is { } v ? -v : state.BestLoss;
                state.BestEpoch = epoch;
                state.BadEpochs = 0;
            }
            else state.BadEpochs++;
            checkpoint?.Save(network, optimizer, state, improved && validation is not null);
            if (improved && validation is not null && checkpoint is null) state.BestWeights = Snapshot(network);
            progress?.Report(new TrainingProgress(Name, epoch, _o.Epochs, record.TrainLoss, clock.Elapsed));
            if (validation is not null && state.BadEpochs >= _o.Patience)
            {
                Stop = $"early stopping: {_o.Patience} epochs without a better validation NDCG@10 than epoch {state.BestEpoch}'s";
                break;
            }
            if (_o.Minutes is { } minutes && clock.Elapsed.TotalMinutes >= minutes && state.Epoch < _o.Epochs)
            {
                Stop = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the time budget of {minutes} minutes");
                break;
            }
        }
        History = [.. state.History];
        BestEpoch = state.BestEpoch == 0 ? state.Epoch : state.BestEpoch;
        if (validation is not null)
        {
            if (checkpoint is not null) checkpoint.LoadBest(network);
            else if (state.BestWeights is { } best)
            {
                network.load_state_dict(best);
                foreach (var t in best.Values) t.Dispose();
            }
        }
        optimizer.Dispose();
        network.eval();
        return new NeuralSequenceModel(Name, network, _o.MaxLength, itemCount);
    }

    private static Dictionary<string, Tensor> Snapshot(SequenceNetwork network) =>
        network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    /// <summary>The held-out share of the sequences (by the seed; none when the share is 0 or fewer than 10 sequences),
    /// and the rest, both in their given order.</summary>
    internal static (IReadOnlyList<Sequence> Fit, IReadOnlyList<Sequence> Validation) SplitValidation(IReadOnlyList<Sequence> sequences, double share, int seed)
    {
        int count = (int)Math.Round(sequences.Count * share, MidpointRounding.AwayFromZero);
        if (share <= 0 || sequences.Count < 10 || count < 1) return (sequences, []);
        var order = Enumerable.Range(0, sequences.Count).ToArray();
        new Random(seed * 104_729 + 17).Shuffle(order);
        var held = order.Take(count).ToHashSet();
        return ([.. sequences.Where((_, i) => !held.Contains(i))], [.. sequences.Where((_, i) => held.Contains(i))]);
    }

    /// <summary>The validation questions: each held-out sequence's last played entry after the (up to maxLength) entries
    /// before it, as left-padded tensors.</summary>
    private sealed class ValidationSet(long[] tokens, long[] flags, long[] targets, int length)
    {
        public static ValidationSet? Of(IReadOnlyList<Sequence> held, int length)
        {
            var tokens = new List<long>();
            var flags = new List<long>();
            var targets = new List<long>();
            foreach (var s in held)
            {
                int p = s.Length - 1;
                while (p >= 1 && s.IsSkipped(p)) p--;
                if (p < 1) continue;
                int from = Math.Max(0, p - length), n = p - from;
                tokens.AddRange(Enumerable.Repeat(0L, length - n));
                flags.AddRange(Enumerable.Repeat(0L, length - n));
                for (int i = from; i < p; i++)
                {
                    tokens.Add(s.Items[i] + 1);
                    flags.Add(s.IsSkipped(i) ? 1 : 0);
                }
                targets.Add(s.Items[p]);
            }
            return targets.Count == 0 ? null : new ValidationSet([.. tokens], [.. flags], [.. targets], length);
        }

        /// <summary>Mean NDCG@10 of the targets ranked among all items (ties counted in the target's favour).</summary>
        public double Ndcg(SequenceNetwork network, int itemCount)
        {
            network.eval();
            using var noGrad = no_grad();
            int total = targets.Length;
            double sum = 0;
            const int chunk = 256;
            for (int from = 0; from < total; from += chunk)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(chunk, total - from);
                var t = torch.tensor(tokens.AsSpan(from * length, n * length).ToArray(), [n, length]);
                var f = torch.tensor(flags.AsSpan(from * length, n * length).ToArray(), [n, length]);
                var hidden = network.forward(t, f).select(1, length - 1);                     // (n, d)
                var logits = hidden.matmul(network.OutputWeights.narrow(0, 1, itemCount).t());   // (n, items)
                if (network.OutputBias is { } bias) logits = logits + bias.narrow(0, 1, itemCount);
                var target = torch.tensor(targets.AsSpan(from, n).ToArray(), [n, 1]);
                var rank = logits.gt(logits.gather(1, target)).sum(1).to_type(ScalarType.Float64);
                sum += torch.where(rank.lt(10), (rank + 2).log2().reciprocal(), torch.zeros_like(rank)).sum().item<double>();
            }
            return sum / total;
        }
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
        if (_o.EffectiveLoss == SequenceLoss.BinaryCrossEntropy)
        {
            perPosition = -(nn.functional.logsigmoid(positive) + nn.functional.logsigmoid(-negative).sum(-1));
        }
        else if (_o.EffectiveLoss == SequenceLoss.SampledSoftmax)
        {
            // the target's log-probability among itself and the negatives
            perPosition = torch.cat([positive.unsqueeze(-1), negative], -1).logsumexp(-1) - positive;
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
