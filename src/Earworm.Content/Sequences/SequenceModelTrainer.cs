using System.Diagnostics;
using System.Runtime.InteropServices;
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
/// is input, never a positive. The output vocabulary is the items played at least
/// <see cref="SequenceModelOptions.MinCount"/> times: only they are targets and negatives; the rest score below them.
/// By default both networks learn by a full softmax over the vocabulary (<see cref="SequenceModelOptions.Loss"/>); with a
/// sampled loss — binary cross-entropy (SASRec's paper), BPR-max (GRU4Rec's) or sampled softmax — each batch draws
/// <see cref="SequenceModelOptions.EffectiveNegatives"/> negatives uniformly from the vocabulary, shared by its positions
/// (one equal to a position's target is left out of that position's loss). With side features
/// (<see cref="SequenceModelOptions.SideFeatures"/>) each item's artist and album embeddings join its own, in and out
/// (<see cref="FeatureEmbeddings"/>), and an item in no training sequence reads as them alone. Item biases start at the centred log of how often each item was played;
/// embeddings at random or from the items' co-occurrence (<see cref="SequenceModelOptions.Init"/>). With a validation
/// share (<see cref="SequenceModelOptions.Validation"/>) some sequences are kept out of training, the epoch ranking
/// their played entries best (NDCG@10 over all items at every position after the first) is kept and training stops
/// after <see cref="SequenceModelOptions.Patience"/> epochs without a better one. Adam, at a constant step or warmed up
/// and decayed (<see cref="SequenceModelOptions.Schedule"/>); the seed fixes the validation share, the initial
/// weights, the order of windows, dropout and the negatives of every epoch, so a run repeats, and a run resumed from
/// its checkpoint continues as if never stopped (the step is a function of the batch's place in training).
/// </summary>
/// <param name="checkpointFolder">where a checkpoint is written after every epoch (weights, optimiser, state), and
/// resumed from when its fingerprint (options and data) matches; null: none.</param>
/// <param name="features">the items' side features (artist, album), used when <see cref="SequenceModelOptions.SideFeatures"/>
/// is on; null: none known.</param>
public sealed class SequenceModelTrainer(SequenceModelOptions options, string? checkpointFolder = null, ItemFeatures? features = null) : ISequenceTrainer
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
        int ahead = _o.Target == SequenceTarget.Window ? _o.Window : 1;
        var windows = Windows(fitting, _o.MaxLength, ahead);
        if (windows.Count == 0) throw new UsageException($"{Name} needs sequences of at least two entries with a played one after the first");
        WindowCount = windows.Count;
        var vocabulary = Vocabulary.Of(fitting, itemCount, _o.MinCount);
        if (vocabulary.Count == 0) throw new UsageException($"{Name}: no item is played {_o.MinCount} times or more (--min-count)");
        var validation = ValidationSet.Of(held, _o.MaxLength);
        Stop = null;
        torch.manual_seed(_o.Seed);
        var side = SideFeaturesFor(itemCount);
        var network = SequenceNetwork.Create(_o, itemCount, side);
        Initialise(network, fitting, itemCount, vocabulary);
        var optimizer = LiveOptimizers.Adam(network.parameters(), _o.LearningRate);
        var checkpoint = checkpointFolder is null ? null : new TrainingCheckpoint(checkpointFolder, Fingerprint(_o, sequences, itemCount, side));
        var state = checkpoint?.TryResume(network, optimizer) ?? new TrainingState();
        if (state.Epoch == 0) checkpoint?.Clear();
        ResumedAfterEpoch = state.ResumedAt;
        var clock = Stopwatch.StartNew();
        int batches = (windows.Count + _o.BatchSize - 1) / _o.BatchSize;
        double rate = _o.LearningRate;
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
                var (tokens, skipped, targets, mask) = Tensors(windows, batch, _o.MaxLength, vocabulary.ClassOfToken);
                rate = LearningRateAt((long)(epoch - 1) * batches + b, batches);
                foreach (var g in optimizer.ParamGroups) g.LearningRate = rate;
                optimizer.zero_grad();
                var loss = _o.Target == SequenceTarget.Window
                    ? WindowLoss(network, tokens, skipped, FutureTargets(windows, batch, _o.MaxLength, ahead, vocabulary.ClassOfToken), vocabulary)
                    : Loss(network, tokens, skipped, targets, mask, vocabulary);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
            }
            double? ndcg = validation?.Ndcg(network, itemCount);
            state.Epoch = epoch;
            var record = new EpochRecord(epoch, lossSum / batches, null, ndcg, rate, epochClock.Elapsed.TotalSeconds);
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
            progress?.Report(new TrainingProgress(Name, epoch, _o.Epochs, record.TrainLoss, clock.Elapsed, ValidationNdcg: ndcg));
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
        return new NeuralSequenceModel(Name, network, _o.MaxLength, itemCount, _o.ReadOfNext);
    }

    /// <summary>The side features the network is built with: the given ones when the options ask for them, else none.</summary>
    public ItemFeatures? SideFeaturesFor(int itemCount)
    {
        if (!_o.SideFeatures || features is null || features.Count == 0) return null;
        features.Validate(itemCount);
        return features;
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

    /// <summary>The validation questions: every played entry of each held-out sequence after its first, ranked after the
    /// entries before it in its training window (up to maxLength of them), as training asks it.</summary>
    private sealed class ValidationSet(List<Window> windows, int length)
    {
        public static ValidationSet? Of(IReadOnlyList<Sequence> held, int length)
        {
            var windows = Windows(held, length);
            return windows.Count == 0 ? null : new ValidationSet(windows, length);
        }

        /// <summary>Mean NDCG@10 of the targets ranked among all items (ties counted in the target's favour).</summary>
        public double Ndcg(SequenceNetwork network, int itemCount)
        {
            network.eval();
            using var noGrad = no_grad();
            double sum = 0;
            long total = 0;
            const int windowsAtOnce = 64, positionsAtOnce = 512;
            var all = Enumerable.Range(0, windows.Count).ToArray();
            var weights = network.OutputWeights.narrow(0, 1, itemCount).t();
            for (int from = 0; from < all.Length; from += windowsAtOnce)
            {
                using var scope = NewDisposeScope();
                var (tokens, skipped, targets, mask) = Tensors(windows, all.AsSpan(from, Math.Min(windowsAtOnce, all.Length - from)), length, null);
                var at = mask.flatten().nonzero().squeeze(-1);
                var hidden = network.forward(tokens, skipped).reshape(-1, network.OwnOutputWeights.shape[1]).index_select(0, at);   // (P, d)
                var target = (targets.flatten().index_select(0, at) - 1).unsqueeze(-1);                                       // item ids
                for (long p = 0; p < at.shape[0]; p += positionsAtOnce)
                {
                    long n = Math.Min(positionsAtOnce, at.shape[0] - p);
                    var logits = hidden.narrow(0, p, n).matmul(weights);                                                      // (n, items)
                    if (network.OutputBias is { } bias) logits = logits.Plus(bias.narrow(0, 1, itemCount));
                    var rank = logits.gt(logits.gather(1, target.narrow(0, p, n))).sum(1).to_type(ScalarType.Float64);
                    sum += torch.where(rank.lt(LiveScalars.Of(10L)), rank.add(LiveScalars.Of(2L), LiveScalars.One).log2().reciprocal(), torch.zeros_like(rank)).sum().item<double>();
                }
                total += at.shape[0];
            }
            return total == 0 ? 0 : sum / total;
        }
    }

    /// <summary>The output vocabulary: the items played at least minCount times in the training sequences, as tokens
    /// (item + 1), and each token's place among them (−1: none).</summary>
    private sealed class Vocabulary(long[] tokens, long[] classOfToken, int[] counts)
    {
        public static Vocabulary Of(IReadOnlyList<Sequence> sequences, int itemCount, int minCount)
        {
            var counts = new int[itemCount];
            foreach (var s in sequences)
                foreach (var i in s.Played()) counts[i]++;
            var tokens = new List<long>();
            var classes = new long[itemCount + 1];
            classes[0] = -1;
            for (int i = 0; i < itemCount; i++)
            {
                bool kept = counts[i] >= Math.Max(1, minCount);
                classes[i + 1] = kept ? tokens.Count : -1;
                if (kept) tokens.Add(i + 1);
            }
            return new Vocabulary([.. tokens], classes, counts);
        }

        public int Count => tokens.Length;
        public long[] Tokens => tokens;
        public long[] ClassOfToken => classOfToken;
        public int[] Counts => counts;
    }

    /// <summary>Items outside the vocabulary get a zero output vector and a bias of −10⁴ (below any item the network
    /// learns, and never moved: no loss reaches them); the rest start with the centred logarithm of how often each was
    /// played, so popularity is there from the first step; with <see cref="SequenceInit.Cooccurrence"/> the item
    /// embeddings start from <see cref="CooccurrenceEmbedding"/>.</summary>
    private void Initialise(SequenceNetwork network, IReadOnlyList<Sequence> fitting, int itemCount, Vocabulary vocabulary)
    {
        using var noGrad = no_grad();
        var outputs = network.OwnOutputWeights;
        var keep = new float[itemCount + 1];
        var bias = new float[itemCount + 1];
        double meanLog = vocabulary.Tokens.Average(t => Math.Log(vocabulary.Counts[t - 1]));
        for (int i = 0; i <= itemCount; i++)
        {
            bool kept = vocabulary.ClassOfToken[i] >= 0;
            keep[i] = kept ? 1 : 0;
            bias[i] = kept ? (float)(Math.Log(vocabulary.Counts[i - 1]) - meanLog) : -1e4f;
        }
        if (_o.Init == SequenceInit.Cooccurrence)
        {
            int d = _o.EmbeddingSize;
            var vectors = CooccurrenceEmbedding.Compute(fitting, itemCount, d, CooccurrenceWindow, _o.Seed, out var has);
            var rows = new float[(itemCount + 1) * d];
            Array.Copy(vectors, 0, rows, d, vectors.Length);
            var from = torch.tensor(rows, [itemCount + 1, d]);
            var hasRow = torch.tensor([false, .. has], [itemCount + 1, 1]);
            network.InputWeights.copy_(torch.where(hasRow, from, network.InputWeights));
            if (!Tied) outputs.copy_(torch.where(hasRow, from, outputs));
        }
        if (!Tied) outputs.mul_(torch.tensor(keep, [itemCount + 1, 1]));
        if (network.OutputBias is { } b) b.copy_(torch.tensor(bias));
        network.InputWeights[0].zero_();
        if (network.Features is not null)
        {
            // an item in no training sequence never moves from its start: with side features it reads as them alone
            var seen = new bool[itemCount + 1];
            seen[0] = true;
            foreach (var s in fitting)
                foreach (var i in s.Items) seen[i + 1] = true;
            network.InputWeights.mul_(torch.tensor(seen, [itemCount + 1, 1]).to_type(network.InputWeights.dtype));
        }
    }

    private bool Tied => _o.TiedEmbeddings && _o.Architecture == SequenceArchitecture.SasRec;

    /// <summary>The co-occurrence window of <see cref="SequenceInit.Cooccurrence"/>: items up to this many places apart.</summary>
    internal const int CooccurrenceWindow = 10;

    /// <summary>The step at a batch: constant, or warmed up linearly over the first epoch (at most a tenth of all steps)
    /// and then decayed along a cosine to zero at the last epoch's end.</summary>
    private double LearningRateAt(long step, int batchesPerEpoch)
    {
        if (_o.Schedule == LearningRateSchedule.Constant) return _o.LearningRate;
        long total = (long)_o.Epochs * batchesPerEpoch;
        long warmup = Math.Max(1, Math.Min(batchesPerEpoch, total / 10));
        if (step < warmup) return _o.LearningRate * (step + 1) / warmup;
        double progress = (double)(step - warmup) / Math.Max(1, total - warmup);
        return _o.LearningRate * CosineSchedule.Factor(progress);
    }

    /// <summary>The loss of one batch, averaged over the positions with a target in the vocabulary.</summary>
    private Tensor Loss(SequenceNetwork network, Tensor tokens, Tensor skipped, Tensor targets, Tensor mask, Vocabulary vocabulary)
    {
        var hidden = network.forward(tokens, skipped);                       // (B, L, d)
        var vocab = torch.tensor(vocabulary.Tokens);
        if (_o.EffectiveLoss == SequenceLoss.FullSoftmax)
        {
            // only the positions with a target: left padding and skipped targets cost nothing
            var at = mask.flatten().nonzero().squeeze(-1);
            var h = hidden.reshape(-1, hidden.shape[2]).index_select(0, at);                                   // (P, d)
            var logits = h.matmul(network.OutputWeightsOf(vocab).t());                                     // (P, V)
            if (network.OutputBias is { } fb) logits = logits.Plus(fb.index_select(0, vocab));
            var classes = torch.tensor(vocabulary.ClassOfToken).index_select(0, targets.flatten().index_select(0, at));
            return nn.functional.cross_entropy(logits, classes);
        }
        long b = targets.shape[0], l = targets.shape[1];
        var flat = targets.flatten();
        var positive = (hidden * network.OutputWeightsOf(flat).view(b, l, -1)).sum(-1);   // (B, L)
        // drawn from the vocabulary (as before it existed when it holds every item)
        var negatives = vocabulary.Count == network.OwnOutputWeights.shape[0] - 1
            ? randint(1, vocabulary.Count + 1, [_o.EffectiveNegatives], dtype: ScalarType.Int64)
            : vocab.index_select(0, randint(0, vocabulary.Count, [_o.EffectiveNegatives], dtype: ScalarType.Int64));
        // a negative drawn equal to the position's target is no negative: its score leaves the loss (−10⁴: no gradient)
        var negative = hidden.matmul(network.OutputWeightsOf(negatives).t())             // (B, L, N)
            .masked_fill(negatives.view(1, 1, -1).eq(targets.unsqueeze(-1)), LiveScalars.Of(-1e4));
        if (network.OutputBias is { } bias)
        {
            positive = positive.Plus(bias.index_select(0, flat).view(b, l));
            negative = negative.Plus(bias.index_select(0, negatives));
        }
        Tensor perPosition;
        if (_o.EffectiveLoss == SequenceLoss.BinaryCrossEntropy)
        {
            perPosition = -nn.functional.logsigmoid(positive).Plus(nn.functional.logsigmoid(-negative).sum(-1));
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
            // λ·Σ w·s² − log(gain + 10⁻²⁴), every constant a live scalar
            perPosition = (weight * negative.square()).sum(-1).mul(LiveScalars.Of(_o.BprMaxRegularization)).sub(gain.add(LiveScalars.Of(1e-24), LiveScalars.One).log());
        }
        return (perPosition * mask).sum() / mask.sum().clamp_min(LiveScalars.Of(1L));
    }

    /// <summary>A training window: up to MaxLength + 1 entries as tokens (item + 1) and skip flags, then up to
    /// <c>ahead</c> − 1 entries after it that are only targets (<see cref="SequenceTarget.Window"/>). The first
    /// <see cref="Inputs"/> entries are read.</summary>
    internal sealed record Window(long[] Tokens, bool[] Skipped, int Inputs);

    /// <param name="ahead">how many entries after a position are its targets: the window carries the ahead − 1 entries
    /// of the sequence that follow its last one (1: none).</param>
    internal static List<Window> Windows(IReadOnlyList<Sequence> sequences, int maxLength, int ahead = 1)
    {
        var windows = new List<Window>();
        foreach (var s in sequences)
        {
            for (int end = s.Length; end >= 2; end -= maxLength)
            {
                int start = Math.Max(0, end - maxLength - 1), last = Math.Min(s.Length, end + Math.Max(1, ahead) - 1);
                bool anyTarget = false;
                for (int p = start + 1; p < end; p++) anyTarget |= !s.IsSkipped(p);
                if (!anyTarget) continue;
                windows.Add(new Window([.. s.Items[start..last].Select(i => (long)i + 1)],
                    [.. Enumerable.Range(start, last - start).Select(s.IsSkipped)], end - start - 1));
            }
        }
        return windows;
    }

    /// <summary>The targets of <see cref="SequenceTarget.Window"/>, left-padded as <see cref="Tensors"/>' inputs: for each
    /// position the vocabulary classes of the next <paramref name="ahead"/> entries, (B, L, ahead), and 1 where that entry
    /// is played and in the vocabulary, else 0.</summary>
    internal static (Tensor Classes, Tensor Mask) FutureTargets(List<Window> windows, ReadOnlySpan<int> batch, int length, int ahead, long[] classOfToken)
    {
        int b = batch.Length;
        var classes = new long[b * length * ahead];
        var mask = new float[b * length * ahead];
        for (int r = 0; r < b; r++)
        {
            var w = windows[batch[r]];
            int offset = r * length + (length - w.Inputs);
            for (int p = 0; p < w.Inputs; p++)
                for (int k = 0; k < ahead && p + 1 + k < w.Tokens.Length; k++)
                {
                    int t = p + 1 + k;
                    long c = classOfToken[w.Tokens[t]];
                    if (w.Skipped[t] || c < 0) continue;
                    classes[(offset + p) * ahead + k] = c;
                    mask[(offset + p) * ahead + k] = 1;
                }
        }
        return (torch.tensor(classes, [b, length, ahead]), torch.tensor(mask, [b, length, ahead]));
    }

    /// <summary>The future-window loss: at every position with a target, the mean over its targets of their negative
    /// log-probability under one softmax over the vocabulary; averaged over all (position, target) pairs.</summary>
    private static Tensor WindowLoss(SequenceNetwork network, Tensor tokens, Tensor skipped, (Tensor Classes, Tensor Mask) future, Vocabulary vocabulary)
    {
        var hidden = network.forward(tokens, skipped);                                                         // (B, L, d)
        long ahead = future.Classes.shape[2];
        var at = future.Mask.sum(-1).flatten().gt(0).nonzero().squeeze(-1);
        var vocab = torch.tensor(vocabulary.Tokens);
        var h = hidden.reshape(-1, hidden.shape[2]).index_select(0, at);                                        // (P, d)
        var logits = h.matmul(network.OutputWeightsOf(vocab).t());                                             // (P, V)
        if (network.OutputBias is { } bias) logits = logits.Plus(bias.index_select(0, vocab));
        var logp = logits.log_softmax(-1);
        var classes = future.Classes.reshape(-1, ahead).index_select(0, at);                                   // (P, ahead)
        var mask = future.Mask.reshape(-1, ahead).index_select(0, at);
        return -(logp.gather(1, classes) * mask).sum() / mask.sum().clamp_min(LiveScalars.Of(1L));
    }

    /// <summary>A batch as tensors, left-padded to <paramref name="length"/>: inputs, their skip flags, targets and the
    /// mask of positions whose target is a played entry (and, with <paramref name="classOfToken"/>, in the vocabulary).</summary>
    private static (Tensor Tokens, Tensor Skipped, Tensor Targets, Tensor Mask) Tensors(List<Window> windows, ReadOnlySpan<int> batch, int length, long[]? classOfToken)
    {
        int b = batch.Length;
        var tokens = new long[b * length];
        var skipped = new long[b * length];
        var targets = new long[b * length];
        var mask = new float[b * length];
        for (int r = 0; r < b; r++)
        {
            var w = windows[batch[r]];
            int inputs = w.Inputs, offset = r * length + (length - inputs);
            for (int p = 0; p < inputs; p++)
            {
                tokens[offset + p] = w.Tokens[p];
                skipped[offset + p] = w.Skipped[p] ? 1 : 0;
                targets[offset + p] = w.Tokens[p + 1];
                mask[offset + p] = w.Skipped[p + 1] || (classOfToken is not null && classOfToken[w.Tokens[p + 1]] < 0) ? 0 : 1;
            }
        }
        return (torch.tensor(tokens, [b, length]), torch.tensor(skipped, [b, length]), torch.tensor(targets, [b, length]), torch.tensor(mask, [b, length]));
    }

    /// <summary>The options (without the time budget and thread count, which do not change what is learnt) and the data.</summary>
    private static string Fingerprint(SequenceModelOptions o, IReadOnlyList<Sequence> sequences, int itemCount, ItemFeatures? side)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(o with { Minutes = null, Threads = null }) + "|" + itemCount));
        if (side is not null)
        {
            hash.AppendData(BitConverter.GetBytes(side.Count));
            foreach (var f in side.Of)
            {
                foreach (var id in f) hash.AppendData(BitConverter.GetBytes(id));
                hash.AppendData(BitConverter.GetBytes(-1));
            }
        }
        foreach (var s in sequences)
        {
            foreach (var i in s.Items) hash.AppendData(BitConverter.GetBytes(i));
            foreach (var k in s.Skipped ?? []) hash.AppendData(BitConverter.GetBytes(k));
            hash.AppendData(BitConverter.GetBytes(-1));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..24];
    }
}

/// <summary>A trained SASRec or GRU4Rec: scores every item after a history (its last <c>maxLength</c> entries), by the
/// mean of the outputs at its last <c>read</c> positions (<see cref="SequenceModelOptions.Read"/>; 1: the last one's).</summary>
public sealed class NeuralSequenceModel : ISequenceModel, IDisposable
{
    private readonly string name;
    private readonly SequenceNetwork network;
    private readonly int maxLength, itemCount, read;
    private readonly Shared _shared;
    private readonly bool _owner;

    /// <summary>What the readings of one network share: one forward pass at a time, and the summed output vectors.</summary>
    private sealed class Shared
    {
        public readonly Lock Gate = new();
        public Tensor? Outputs;
    }

    public NeuralSequenceModel(string name, SequenceNetwork network, int maxLength, int itemCount, int read = 1)
        : this(name, network, maxLength, itemCount, read, new Shared(), owner: true)
    {
    }

    private NeuralSequenceModel(string name, SequenceNetwork network, int maxLength, int itemCount, int read, Shared shared, bool owner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(read, 1);
        (this.name, this.network, this.maxLength, this.itemCount, this.read, _shared, _owner) = (name, network, maxLength, itemCount, read, shared, owner);
    }

    /// <summary>The same network read at the last <paramref name="positions"/> positions (the whole history, for a
    /// playlist's rest): it shares this model's network, lock and output vectors, and disposing it frees nothing.</summary>
    public NeuralSequenceModel Reading(int positions) =>
        positions == read ? this : new NeuralSequenceModel(name, network, maxLength, itemCount, positions, _shared, owner: false);

    public string Name => name;
    public int ItemCount => itemCount;
    public SequenceNetwork Network => network;
    public int MaxLength => maxLength;
    public int Read => read;

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
        lock (_shared.Gate)
        {
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            int r = Math.Clamp(read, 1, n);
            var output = network.forward(torch.tensor(tokens, [1, maxLength]), torch.tensor(flags, [1, maxLength]))[0];
            // scores are linear in the output: the mean of the last r positions' outputs scores the mean of their scores
            var hidden = r == 1 ? output[maxLength - 1] : output.narrow(0, maxLength - r, r).mean([0]);
            var weights = Outputs.narrow(0, 1, itemCount);
            // the bias and the products in one pass over the scores: addmv starts from the bias
            var logits = network.OutputBias is { } bias ? addmv(bias.narrow(0, 1, itemCount), weights, hidden, 1, 1) : weights.matmul(hidden);
            // in one block: TensorAccessor.CopyTo walks the elements one by one, a third of a request over 100 000 items
            MemoryMarshal.Cast<byte, float>(logits.contiguous().bytes).CopyTo(scores);
        }
    }

    /// <summary>The items' output vectors: the network's own when it has no side features (no copy); with them, its own
    /// plus their features', summed once (under the lock) rather than at every request.</summary>
    private Tensor Outputs
    {
        get
        {
            if (network.Features is null) return network.OutputWeights;
            if (_shared.Outputs is null)
            {
                using var noGrad = no_grad();
                var outputs = network.OutputWeights.detach().MoveToOuterDisposeScope();
                outputs.DetachFromDisposeScope();
                _shared.Outputs = outputs;
            }
            return _shared.Outputs;
        }
    }

    public void Dispose()
    {
        if (!_owner) return;
        _shared.Outputs?.Dispose();
        network.Dispose();
    }
}
