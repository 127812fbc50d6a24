using System.Diagnostics;
using Earworm.Content.Native;
using Earworm.Learning.Tagging;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Tagging;

/// <summary>How a tag head is trained (<see cref="TagHeadTrainer"/>).</summary>
public sealed record TagHeadOptions
{
    /// <summary>Hidden ReLU units; 0 trains a linear head (logistic regression per tag).</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>Dropout on the standardised input and on the hidden layer.</summary>
    public double Dropout { get; init; } = 0.3;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>At most this many passes over the training tracks.</summary>
    public int Epochs { get; init; } = 300;

    /// <summary>Stop after this many epochs without a better mean validation ROC-AUC.</summary>
    public int Patience { get; init; } = 40;

    public int BatchSize { get; init; } = 64;

    /// <summary>Seeds the weights, the order of the batches and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>libtorch's intra-op threads (null: its own choice).</summary>
    public int? Threads { get; init; }

    /// <exception cref="UsageException">a value out of range, named.</exception>
    public TagHeadOptions Validated()
    {
        if (Hidden is < 0 or > 4096) throw new UsageException($"--hidden must lie in 0..4096, got {Hidden}");
        if (Dropout is < 0 or >= 1) throw new UsageException($"--dropout must lie in [0, 1), got {Dropout}");
        if (!(LearningRate is > 0 and < 1)) throw new UsageException($"--learning-rate must lie in (0, 1), got {LearningRate}");
        if (WeightDecay is < 0 or > 1) throw new UsageException($"--weight-decay must lie in [0, 1], got {WeightDecay}");
        if (Epochs is < 1 or > 100_000) throw new UsageException($"--epochs must lie in 1..100000, got {Epochs}");
        if (Patience < 1) throw new UsageException($"--patience must be at least 1, got {Patience}");
        if (BatchSize < 1) throw new UsageException($"--batch-size must be at least 1, got {BatchSize}");
        if (Threads is < 1) throw new UsageException($"--threads must be at least 1, got {Threads}");
        return this;
    }
}

/// <summary>Labelled audio vectors: one row per track, a flag per tag.</summary>
public sealed record TagExamples(IReadOnlyList<float[]> Vectors, IReadOnlyList<bool[]> Labels)
{
    public int Count => Vectors.Count;
}

/// <summary>
/// Trains a <see cref="TagHead"/> in TorchSharp: binary cross-entropy on a sigmoid per tag (multi-label), AdamW in
/// mini-batches, the epoch with the best mean validation ROC-AUC kept (over tags with positives and negatives among the
/// validation tracks; of equal ones, the lowest validation loss; early stopping after <see cref="TagHeadOptions.Patience"/> epochs without progress), then each
/// tag's threshold set where its F1 on the validation tracks is best. The audio vectors are standardised with the
/// training tracks' mean and deviation. A few seconds on a CPU for a few thousand tracks.
/// </summary>
public static class TagHeadTrainer
{
    public static TagHead Train(string encoderVersion, IReadOnlyList<string> tags, TagExamples train, TagExamples validation,
        TagHeadOptions options, TagExamples? test = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        if (train.Count == 0 || validation.Count == 0) throw new UsageException("training a tag head needs training and validation tracks");
        int dims = train.Vectors[0].Length, t = tags.Count;
        TorchRuntime.EnsureLoaded(options.Threads);
        var clock = Stopwatch.StartNew();

        var (mean, scale) = Standardisation(train.Vectors, dims);
        torch.manual_seed(options.Seed);
        var layers = new List<(string, torch.nn.Module<Tensor, Tensor>)> { ("drop0", nn.Dropout(options.Dropout / 2)) };
        if (options.Hidden > 0)
        {
            layers.Add(("fc1", nn.Linear(dims, options.Hidden)));
            layers.Add(("relu", nn.ReLU()));
            layers.Add(("drop1", nn.Dropout(options.Dropout)));
            layers.Add(("fc2", nn.Linear(options.Hidden, t)));
        }
        else
        {
            layers.Add(("fc1", nn.Linear(dims, t)));
        }
        using var model = nn.Sequential(layers);
        using var optimizer = LiveOptimizers.AdamW(model.parameters(), options.LearningRate, options.WeightDecay);
        using var x = Matrix(train.Vectors, mean, scale);
        using var y = TagScores.Labels(train.Labels, t);
        using var xv = Matrix(validation.Vectors, mean, scale);

        var random = new Random(options.Seed);
        double best = double.NegativeInfinity, bestLoss = double.PositiveInfinity;
        int bestEpoch = 0;
        Dictionary<string, Tensor>? bestState = null;
        for (int epoch = 1; epoch <= options.Epochs && epoch - bestEpoch <= options.Patience; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            model.train();
            var order = Enumerable.Range(0, train.Count).OrderBy(_ => random.Next()).ToArray();
            double lossSum = 0;
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var index = tensor(order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray().Select(i => (long)i).ToArray());
                optimizer.zero_grad();
                var loss = nn.functional.binary_cross_entropy_with_logits(model.forward(x.index_select(0, index)), y.index_select(0, index));
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * index.shape[0];
            }
            var validationScores = Scores(model, xv, t);
            var auc = TagScores.MeanAuc(Probabilities(validationScores), validation.Labels, t);
            double validationLoss = Loss(validationScores, validation.Labels, t);
            // the best mean ROC-AUC; of equal ones (a few validation tracks are often all ordered right) the lower loss
            if (auc > best || (auc == best && validationLoss < bestLoss))
            {
                best = auc;
                bestLoss = validationLoss;
                bestEpoch = epoch;
                if (bestState is not null) foreach (var p in bestState.Values) p.Dispose();
                bestState = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
            }
            if (epoch % 10 == 0 || epoch == 1)
                progress?.Report($"  epoch {epoch}: loss {lossSum / train.Count:0.0000}, validation mean ROC-AUC {auc:0.000} (best {best:0.000} at {bestEpoch})");
        }
        if (bestState is not null)
        {
            model.load_state_dict(bestState);
            foreach (var p in bestState.Values) p.Dispose();
        }

        var finalScores = Scores(model, xv, t);
        float[]? testScores = null;
        if (test is { Count: > 0 })
        {
            using var xt = Matrix(test.Vectors, mean, scale);
            testScores = Probabilities(Scores(model, xt, t));
        }
        var (thresholds, validationAuc, testAuc, testPositives) = TagScores.Measure(tags, Probabilities(finalScores), validation.Labels, testScores, test?.Labels);
        var positives = tags.Select((tag, k) => (tag, n: train.Labels.Count(l => l[k]))).ToDictionary(p => p.tag, p => p.n);
        var report = new TagHeadReport(train.Count, validation.Count, positives, validationAuc, testAuc, testPositives, bestEpoch, clock.Elapsed.TotalSeconds);

        var state = model.state_dict();
        float[] W(string name) => state.TryGetValue(name, out var p) ? p.data<float>().ToArray() : [];
        return options.Hidden > 0
            ? new TagHead(encoderVersion, tags, thresholds, dims, options.Hidden, mean, scale, W("fc1.weight"), W("fc1.bias"), W("fc2.weight"), W("fc2.bias"), report)
            : new TagHead(encoderVersion, tags, thresholds, dims, 0, mean, scale, W("fc1.weight"), W("fc1.bias"), [], [], report);
    }

    private static (float[] Mean, float[] Scale) Standardisation(IReadOnlyList<float[]> vectors, int dims)
    {
        var mean = new double[dims];
        var square = new double[dims];
        foreach (var v in vectors)
        {
            if (v.Length != dims) throw new ArgumentException($"vectors of {v.Length} and {dims} dimensions");
            for (int d = 0; d < dims; d++) { mean[d] += v[d]; square[d] += (double)v[d] * v[d]; }
        }
        var m = new float[dims];
        var s = new float[dims];
        for (int d = 0; d < dims; d++)
        {
            m[d] = (float)(mean[d] / vectors.Count);
            double variance = Math.Max(0, square[d] / vectors.Count - m[d] * (double)m[d]);
            s[d] = (float)(1 / Math.Sqrt(variance + 1e-8));
        }
        return (m, s);
    }

    private static Tensor Matrix(IReadOnlyList<float[]> vectors, float[] mean, float[] scale)
    {
        int dims = mean.Length;
        var data = new float[vectors.Count * dims];
        for (int i = 0; i < vectors.Count; i++)
            for (int d = 0; d < dims; d++) data[i * dims + d] = (vectors[i][d] - mean[d]) * scale[d];
        return tensor(data, [vectors.Count, dims]);
    }

    private static float[] Scores(nn.Module<Tensor, Tensor> model, Tensor x, int tags)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.forward(x).data<float>().ToArray();
    }

    // Mean binary cross-entropy of the logits against the labels.
    private static double Loss(float[] logits, IReadOnlyList<bool[]> labels, int tags)
    {
        double sum = 0;
        for (int i = 0; i < labels.Count; i++)
            for (int k = 0; k < tags; k++)
            {
                double z = logits[i * tags + k];
                sum += Math.Max(z, 0) - (labels[i][k] ? z : 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            }
        return sum / Math.Max(1, labels.Count * tags);
    }

    /// <summary>The head's logits as probabilities (the logistic function, as tagging applies it).</summary>
    private static float[] Probabilities(float[] logits) => [.. logits.Select(z => 1f / (1f + MathF.Exp(-z)))];
}
