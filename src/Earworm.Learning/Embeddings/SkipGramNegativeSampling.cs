using System.Runtime.CompilerServices;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Embeddings;

/// <summary>
/// The training loop of skip-gram with negative sampling (Mikolov et al. 2013), following
/// word2vec.c and gensim's <c>train_batch_sg</c>: per sequence, drop items without a vector and
/// subsample frequent ones; per position i draw a reduced window b ∈ 0..W−1 and pair the item with
/// every context item within W − b; per pair, the context item's input vector predicts the item
/// (label 1) and <c>Negative</c> items drawn ∝ count^0.75 (label 0). The learning rate decays
/// linearly from its start to its minimum over all epochs by the position of the sequence in the
/// corpus. Vectors are stored with rows padded to 16 floats, so every kernel runs without a tail.
/// </summary>
internal sealed class SkipGramNegativeSampling
{
    private const int SigmoidTableSize = 1000;
    private const float MaxExp = 6f;
    private static readonly float[] SigmoidTable = BuildSigmoidTable();

    private readonly Track2VecOptions _options;
    private readonly SkipGramVocabulary _vocabulary;
    private readonly AliasSampler _negatives;
    private readonly bool _specialised;

    /// <param name="allowSpecialisedKernel">false forces the generic update (tests compare the two).</param>
    public SkipGramNegativeSampling(Track2VecOptions options, SkipGramVocabulary vocabulary, int itemCount, bool allowSpecialisedKernel = true)
    {
        _options = options;
        _vocabulary = vocabulary;
        _negatives = vocabulary.Negatives ?? throw new ArgumentException("no item occurs MinCount times: nothing to learn.");
        Input = RowMatrix.Padded(itemCount, options.Dimensions);
        Output = RowMatrix.Padded(itemCount, options.Dimensions);
        _specialised = allowSpecialisedKernel && SkipGramKernel112.Applies(Input.Stride);
        // input vectors uniform in (−0.5, 0.5)/dimensions, as gensim; output vectors zero
        for (int i = 0; i < itemCount; i++)
        {
            if (!vocabulary.Contains(i)) continue;
            var rng = new FastRandom(SeedMixer.Combine(options.Seed, 11, i));
            var row = Input.Row(i);
            for (int d = 0; d < row.Length; d++) row[d] = (rng.NextSingle() - 0.5f) / options.Dimensions;
        }
    }

    /// <summary>syn0: the item vectors.</summary>
    public RowMatrix Input { get; }

    /// <summary>syn1neg: the output (context) vectors.</summary>
    public RowMatrix Output { get; }

    /// <summary>Items kept after subsampling, summed over epochs (gensim's "effective words").</summary>
    public long EffectiveWords { get; private set; }

    private readonly record struct Job(int FirstSequence, int EndSequence, long WordOffset);

    private sealed class WindowScratch(int stride)
    {
        public readonly float[] Gradient = new float[stride];
        public int[] Targets = [];
        public int[] Kept = new int[256];
        public long Effective;
    }

    /// <summary>Trains over sequences <c>tokens[starts[s]..starts[s+1]]</c> (items with a vector only).</summary>
    public void Train(int[] tokens, int[] starts, Action<int> epochDone, CancellationToken cancellationToken)
    {
        var o = _options;
        var jobs = MakeJobs(starts, o.BatchWords);
        long total = tokens.Length;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Threads, CancellationToken = cancellationToken };
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long effective = 0;
            var gate = new object();
            int e = epoch;
            if (o.Threads == 1)
            {
                var scratch = new WindowScratch(Input.Stride);
                for (int j = 0; j < jobs.Length; j++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    RunJob(jobs[j], j, e, tokens, starts, total, scratch);
                }
                effective = scratch.Effective;
            }
            else
            {
                Parallel.For(0, jobs.Length, parallel, () => new WindowScratch(Input.Stride), (j, _, scratch) =>
                {
                    RunJob(jobs[j], j, e, tokens, starts, total, scratch);
                    return scratch;
                }, scratch => { lock (gate) effective += scratch.Effective; });
            }
            EffectiveWords += effective;
            epochDone(epoch + 1);
        }
    }

    private void RunJob(Job job, int jobIndex, int epoch, int[] tokens, int[] starts, long total, WindowScratch scratch)
    {
        var o = _options;
        var rng = new FastRandom(SeedMixer.Combine(o.Seed, 13, epoch, jobIndex));
        var keep = _vocabulary.KeepThreshold;
        bool subsample = o.Sample > 0;
        long position = job.WordOffset;
        double span = (double)o.Epochs * Math.Max(1, total);
        for (int s = job.FirstSequence; s < job.EndSequence; s++)
        {
            int from = starts[s], to = starts[s + 1];
            double progress = (epoch * (double)total + position) / span;
            float alpha = (float)Math.Max(o.MinLearningRate, o.LearningRate - (o.LearningRate - o.MinLearningRate) * progress);
            position += to - from;
            if (scratch.Kept.Length < to - from) scratch.Kept = new int[Math.Max(to - from, 2 * scratch.Kept.Length)];
            var kept = scratch.Kept;
            int n = 0;
            for (int t = from; t < to; t++)
            {
                int item = tokens[t];
                if (subsample && keep[item] < rng.NextUInt32()) continue;
                kept[n++] = item;
            }
            scratch.Effective += n;
            if (scratch.Targets.Length <= o.Negative) scratch.Targets = new int[o.Negative + 1];
            for (int i = 0; i < n; i++)
            {
                int b = rng.Next(o.Window);
                int lo = Math.Max(0, i - o.Window + b), hi = Math.Min(n, i + o.Window + 1 - b);
                for (int j = lo; j < hi; j++)
                {
                    if (j == i) continue;
                    int next = j + 1 == i ? j + 2 : j + 1; // the next context's input row
                    if (next < hi) Prefetch.Floats(ref Input.PaddedRow(kept[next])[0], Input.Stride);
                    if (_specialised) SkipGramKernel112.TrainPair(Input, Output, _negatives, o.Negative, kept[i], kept[j], alpha, ref rng, scratch.Targets);
                    else TrainPair(kept[i], kept[j], alpha, ref rng, scratch.Gradient);
                }
            }
        }
    }

    /// <summary>One (item, context) pair: the context's input vector learns to predict the item against negatives.</summary>
    private void TrainPair(int item, int context, float alpha, ref FastRandom rng, float[] gradient)
    {
        var input = Input.PaddedRow(context);
        var acc = gradient.AsSpan();
        acc.Clear();
        for (int d = 0; d <= _options.Negative; d++)
        {
            int target;
            float label;
            if (d == 0)
            {
                target = item;
                label = 1;
            }
            else
            {
                target = _negatives.Sample(ref rng);
                if (target == item) continue;
                label = 0;
            }
            var output = Output.PaddedRow(target);
            float f = Simd.Dot(input, output);
            float g = (label - Sigmoid(f)) * alpha;
            Simd.AccumulateAndUpdate(g, input, output, acc);
        }
        Simd.AddScaled(1f, acc, input);
    }

    /// <summary>σ(f) from a 1 000-entry table on (−6, 6), saturating outside, as word2vec.c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Sigmoid(float f)
    {
        if (f >= MaxExp) return 1f;
        if (f <= -MaxExp) return 0f;
        // the clamp matters: for f one ulp below 6, f + 6 rounds to 12 and the index to 1 000
        int i = (int)((f + MaxExp) * (SigmoidTableSize / MaxExp / 2));
        return SigmoidTable[Math.Clamp(i, 0, SigmoidTableSize - 1)];
    }

    private static float[] BuildSigmoidTable()
    {
        var table = new float[SigmoidTableSize];
        for (int i = 0; i < SigmoidTableSize; i++)
        {
            double e = Math.Exp(((double)i / SigmoidTableSize * 2 - 1) * MaxExp);
            table[i] = (float)(e / (e + 1));
        }
        return table;
    }

    private static Job[] MakeJobs(int[] starts, int batchWords)
    {
        var jobs = new List<Job>();
        int sequences = starts.Length - 1, first = 0;
        for (int s = 0; s < sequences; s++)
        {
            if (starts[s + 1] - starts[first] >= batchWords || s == sequences - 1)
            {
                jobs.Add(new Job(first, s + 1, starts[first]));
                first = s + 1;
            }
        }
        return [.. jobs];
    }
}
