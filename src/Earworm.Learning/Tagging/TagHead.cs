using System.Text.Json;
using System.Text.Json.Serialization;

namespace Earworm.Learning.Tagging;

/// <summary>What a tag head was trained on and how it did: stored in its file beside the weights.</summary>
/// <param name="Examples">Training tracks.</param>
/// <param name="ValidationExamples">Validation tracks (thresholds and the epoch kept were chosen on them).</param>
/// <param name="Positives">Training positives per tag.</param>
/// <param name="ValidationAuc">ROC-AUC per tag on the validation tracks (NaN written as null: a tag without positives there).</param>
/// <param name="TestAuc">ROC-AUC per tag on the test tracks, when a test set was given.</param>
/// <param name="TestPositives">Test positives per tag.</param>
/// <param name="Epoch">The epoch kept (best mean validation ROC-AUC).</param>
/// <param name="Seconds">Training time.</param>
public sealed record TagHeadReport(
    int Examples, int ValidationExamples, IReadOnlyDictionary<string, int> Positives,
    IReadOnlyDictionary<string, double?> ValidationAuc, IReadOnlyDictionary<string, double?>? TestAuc,
    IReadOnlyDictionary<string, int>? TestPositives, int Epoch, double Seconds);

/// <summary>
/// A multi-label tagger on a track's audio vector (the <c>audio</c> space of one encoder): the vector standardised,
/// one hidden layer of ReLU units (or none: logistic regression per tag), a sigmoid per tag; a tag is given when its
/// probability reaches the tag's threshold (chosen on validation tracks, <see cref="TagMetrics.BestF1Threshold"/>), with
/// that probability as its score. Inference is plain arithmetic (no libtorch); training is
/// <c>Earworm.Content.Tagging.TagHeadTrainer</c>. Only vectors of <see cref="EncoderVersion"/>'s space mean anything to it.
/// </summary>
public sealed class TagHead
{
    /// <summary>The file a head is stored in, in its folder.</summary>
    public const string FileName = "head.json";

    private readonly float[] _w1, _b1, _w2, _b2;

    public TagHead(string encoderVersion, IReadOnlyList<string> tags, IReadOnlyList<float> thresholds, int inputDims, int hidden,
        float[] mean, float[] scale, float[] w1, float[] b1, float[] w2, float[] b2, TagHeadReport? report = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encoderVersion);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (tags.Count == 0 || tags.Count != thresholds.Count) throw new ArgumentException($"{tags.Count} tags, {thresholds.Count} thresholds");
        if (inputDims < 1 || hidden < 0) throw new ArgumentException($"input {inputDims}, hidden {hidden}");
        int first = hidden > 0 ? hidden : tags.Count;
        if (mean.Length != inputDims || scale.Length != inputDims || w1.Length != first * inputDims || b1.Length != first
            || (hidden > 0 && (w2.Length != tags.Count * hidden || b2.Length != tags.Count)) || (hidden == 0 && (w2.Length != 0 || b2.Length != 0)))
            throw new ArgumentException("the weights' sizes do not match the head's shape");
        EncoderVersion = encoderVersion;
        Tags = [.. tags];
        Thresholds = [.. thresholds];
        InputDims = inputDims;
        Hidden = hidden;
        Mean = mean;
        Scale = scale;
        (_w1, _b1, _w2, _b2) = (w1, b1, w2, b2);
        Report = report;
    }

    /// <summary>The audio model whose vectors the head reads (a <c>pretrained-…</c> version for the shipped encoder).</summary>
    public string EncoderVersion { get; }

    /// <summary>The tags, normalised.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Per tag, the probability from which it is given.</summary>
    public IReadOnlyList<float> Thresholds { get; }

    public int InputDims { get; }

    /// <summary>Hidden units; 0 for a linear head.</summary>
    public int Hidden { get; }

    /// <summary>Standardisation: x' = (x − mean) × scale.</summary>
    public float[] Mean { get; }

    public float[] Scale { get; }

    public TagHeadReport? Report { get; }

    /// <summary>Each tag's probability for one vector.</summary>
    public float[] Probabilities(ReadOnlySpan<float> vector)
    {
        if (vector.Length != InputDims) throw new ArgumentException($"a vector of {vector.Length} dimensions; the head reads {InputDims}");
        var x = new float[InputDims];
        for (int i = 0; i < InputDims; i++) x[i] = (vector[i] - Mean[i]) * Scale[i];
        var h = Dense(x, _w1, _b1, Hidden > 0 ? Hidden : Tags.Count);
        if (Hidden > 0)
        {
            for (int i = 0; i < h.Length; i++) h[i] = Math.Max(0, h[i]);
            h = Dense(h, _w2, _b2, Tags.Count);
        }
        for (int i = 0; i < h.Length; i++) h[i] = 1f / (1f + MathF.Exp(-h[i]));
        return h;
    }

    /// <summary>The tags given to one vector — those whose probability reaches their threshold — with the probability.</summary>
    public IReadOnlyList<(string Tag, double Score)> Predict(ReadOnlySpan<float> vector)
    {
        var p = Probabilities(vector);
        var given = new List<(string, double)>();
        for (int t = 0; t < p.Length; t++)
            if (p[t] >= Thresholds[t]) given.Add((Tags[t], Math.Max(1e-4, Math.Round(p[t], 4))));   // a given tag scores above 0
        return given;
    }

    /// <summary>The same head giving only <paramref name="keep"/> (a subset of its tags, in its order): the outputs of the
    /// others are cut out, the rest unchanged.</summary>
    public TagHead Keeping(IReadOnlyCollection<string> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var rows = Tags.Select((t, i) => (t, i)).Where(x => keep.Contains(x.t)).Select(x => x.i).ToList();
        if (rows.Count == 0) throw new ArgumentException("a head gives at least one tag", nameof(keep));
        float[] Rows(float[] w, int width) => [.. rows.SelectMany(r => w.AsSpan(r * width, width).ToArray())];
        return Hidden > 0
            ? new TagHead(EncoderVersion, [.. rows.Select(r => Tags[r])], [.. rows.Select(r => Thresholds[r])], InputDims, Hidden,
                Mean, Scale, _w1, _b1, Rows(_w2, Hidden), Rows(_b2, 1), Report)
            : new TagHead(EncoderVersion, [.. rows.Select(r => Tags[r])], [.. rows.Select(r => Thresholds[r])], InputDims, 0,
                Mean, Scale, Rows(_w1, InputDims), Rows(_b1, 1), [], [], Report);
    }

    // y = W x + b, W row-major (outputs × inputs).
    private static float[] Dense(float[] x, float[] w, float[] b, int outputs)
    {
        var y = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            var row = w.AsSpan(o * x.Length, x.Length);
            float sum = b[o];
            for (int i = 0; i < x.Length; i++) sum += row[i] * x[i];
            y[o] = sum;
        }
        return y;
    }

    private sealed record Stored(
        string EncoderVersion, string[] Tags, float[] Thresholds, int InputDims, int Hidden,
        string Mean, string Scale, string W1, string B1, string W2, string B2, TagHeadReport? Report);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the head to <paramref name="folder"/>/<see cref="FileName"/> (weights as base64 float32, little-endian).</summary>
    public string Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var stored = new Stored(EncoderVersion, [.. Tags], [.. Thresholds], InputDims, Hidden,
            Pack(Mean), Pack(Scale), Pack(_w1), Pack(_b1), Pack(_w2), Pack(_b2), Report);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(stored, Json));
        File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }

    /// <summary>Reads a head written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">the file is not a tag head.</exception>
    public static TagHead Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            var s = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty");
            return new TagHead(s.EncoderVersion, s.Tags, s.Thresholds, s.InputDims, s.Hidden,
                Unpack(s.Mean), Unpack(s.Scale), Unpack(s.W1), Unpack(s.B1), Unpack(s.W2), Unpack(s.B2), s.Report);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or NullReferenceException)
        {
            throw new InvalidDataException($"{path}: not a tag head ({e.Message})", e);
        }
    }

    private static string Pack(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return Convert.ToBase64String(bytes);
    }

    private static float[] Unpack(string text)
    {
        var bytes = Convert.FromBase64String(text);
        if (bytes.Length % 4 != 0) throw new FormatException("weights are not whole float32 values");
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
        return values;
    }
}
