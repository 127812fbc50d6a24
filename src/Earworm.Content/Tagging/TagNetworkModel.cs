using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Audio.Excerpts;
using Earworm.Content.Data;
using Earworm.Content.Native;
using Earworm.Learning.Tagging;
using static TorchSharp.torch;

namespace Earworm.Content.Tagging;

/// <summary>
/// A trained <see cref="TagNetwork"/> ready to tag audio: its tags, a threshold per tag (best F1 on the validation tracks,
/// <see cref="TagMetrics.BestF1Threshold"/>) and how it did (<see cref="TagHeadReport"/>), stored as
/// <c>tagger.json</c> beside its weights <c>tagger.dat</c>. A track's probabilities are the highest over its cached
/// log-mel windows (an instrument is heard in a track when it is heard in any part of it). A network trained on crops
/// reads each window as crops of that length (<see cref="ReadFrames"/>), the highest over them: its pooling over time
/// then averages over as much sound as it learnt from, and an instrument heard in a few seconds of a window is not
/// averaged away. Taggers saved before read each window whole. Deterministic (eval mode); not thread-safe: one per
/// thread.
/// </summary>
public sealed class TagNetworkModel : IDisposable
{
    public const string InfoFile = "tagger.json", WeightsFile = "tagger.dat";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private sealed record Stored(string[] Tags, float[] Thresholds, TagNetworkOptions Network, TagHeadReport? Report)
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public int? ReadFrames { get; init; }
    }

    private readonly TagNetwork _network;

    /// <param name="readFrames">the length, in frames, each window is read in (the training crops'); null reads windows whole.</param>
    public TagNetworkModel(TagNetwork network, IReadOnlyList<string> tags, IReadOnlyList<float> thresholds, TagHeadReport? report, int? readFrames = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (tags.Count != network.Options.Tags || thresholds.Count != tags.Count)
            throw new ArgumentException($"{tags.Count} tags and {thresholds.Count} thresholds for a network of {network.Options.Tags} outputs");
        if (readFrames is { } r && r < network.Options.MinimumFrames)
            throw new ArgumentException($"windows read in {r} frames; the network reads at least {network.Options.MinimumFrames}", nameof(readFrames));
        _network = network;
        _network.eval();
        ReadFrames = readFrames;
        Tags = [.. tags];
        Thresholds = [.. thresholds];
        Report = report;
    }

    public IReadOnlyList<string> Tags { get; }

    public IReadOnlyList<float> Thresholds { get; }

    public TagHeadReport? Report { get; }

    /// <summary>The length, in frames, each window is read in: crops of it tiling the window about half a crop apart
    /// (<see cref="WindowBank.TilingStarts"/>, the tiling the audio encoder reads with too); the highest logit per tag over
    /// them. Null: each window whole.</summary>
    public int? ReadFrames { get; }

    public TagNetworkOptions Options => _network.Options;

    public TagNetwork Network => _network;

    /// <summary>Whether a folder holds a tag network.</summary>
    public static bool IsIn(string folder) => File.Exists(Path.Combine(folder, InfoFile)) && File.Exists(Path.Combine(folder, WeightsFile));

    /// <summary>A hash of the folder's files: what a tagging run's resume state is tied to.</summary>
    public static string Version(string folder)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { InfoFile, WeightsFile }) sha.AppendData(File.ReadAllBytes(Path.Combine(folder, file)));
        return "tagnet-" + Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    /// <summary>Writes <c>tagger.json</c> and <c>tagger.dat</c> into <paramref name="folder"/> (each atomically).</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var weights = Path.Combine(folder, WeightsFile);
        _network.save(weights + ".tmp");
        File.Move(weights + ".tmp", weights, overwrite: true);
        var info = Path.Combine(folder, InfoFile);
        File.WriteAllText(info + ".tmp", JsonSerializer.Serialize(new Stored([.. Tags], [.. Thresholds], _network.Options, Report) { ReadFrames = ReadFrames }, Json));
        File.Move(info + ".tmp", info, overwrite: true);
    }

    /// <summary>Reads a folder written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">the files are not a tag network.</exception>
    public static TagNetworkModel Load(string folder, int? threads = null)
    {
        var info = Path.Combine(folder, InfoFile);
        Stored stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(info), Json) ?? throw new InvalidDataException($"{info}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{info}: not a tag network ({e.Message})", e);
        }
        if (stored.Tags is null || stored.Thresholds is null || stored.Network is null)
            throw new InvalidDataException($"{info}: not a tag network (tags, thresholds or network missing)");
        TorchRuntime.EnsureLoaded(threads);
        var network = new TagNetwork(stored.Network);
        try
        {
            network.load(Path.Combine(folder, WeightsFile));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            network.Dispose();
            throw new InvalidDataException($"{Path.Combine(folder, WeightsFile)}: weights that do not fit {info} ({e.Message})", e);
        }
        try
        {
            return new TagNetworkModel(network, stored.Tags, stored.Thresholds, stored.Report, stored.ReadFrames);
        }
        catch (ArgumentException e)
        {
            network.Dispose();
            throw new InvalidDataException($"{info}: {e.Message}", e);
        }
    }

    /// <summary>Each tag's probability for a track: the highest over its windows. Null for a set without frames.</summary>
    public float[]? Probabilities(ExcerptSet excerpts)
    {
        ArgumentNullException.ThrowIfNull(excerpts);
        if (excerpts.MelBands != Options.MelBands) throw new ArgumentException($"{excerpts.MelBands} mel bands; the tag network reads {Options.MelBands}");
        var windows = excerpts.Excerpts.Where(e => e.Frames > 0).Select(e => (e.LogMelDb, e.Frames)).ToList();
        return windows.Count == 0 ? null : Probabilities(windows);
    }

    /// <summary>Each tag's probability over log-mel windows <c>(n_mels, T)</c> row-major: the highest over the windows,
    /// each read in crops of <see cref="ReadFrames"/> when longer. A window shorter than the network reads is repeated
    /// to its length.</summary>
    public float[] Probabilities(IReadOnlyList<(float[] LogMelDb, int Frames)> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0) throw new ArgumentException("no window to tag", nameof(windows));
        return HighestOver(windows.SelectMany(w => WindowLogits(w.LogMelDb, w.Frames)));
    }

    /// <summary>Each tag's logits for one log-mel window <c>(n_mels, T)</c> row-major as the tagger reads it: one row per
    /// crop of <see cref="ReadFrames"/> when the window is longer, else one for the window whole.</summary>
    public IReadOnlyList<float[]> WindowLogits(float[] logMelDb, int frames) =>
        ReadFrames is { } r && frames > r ? CropLogits(logMelDb, frames, r) : [Logits(logMelDb, frames)];

    // Each crop's logits, the crops of one window through the network together.
    private List<float[]> CropLogits(float[] logMelDb, int frames, int crop)
    {
        int bands = Options.MelBands;
        var starts = WindowBank.TilingStarts(frames, crop);
        var batch = new float[starts.Count * bands * crop];
        for (int c = 0; c < starts.Count; c++)
            for (int m = 0; m < bands; m++)
                Array.Copy(logMelDb, m * frames + starts[c], batch, (c * bands + m) * crop, crop);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = _network.forward(tensor(batch, [starts.Count, bands, crop])).data<float>().ToArray();
        int tags = Tags.Count;
        return Enumerable.Range(0, starts.Count).Select(c => logits[(c * tags)..((c + 1) * tags)]).ToList();
    }

    /// <summary>Each tag's probability from per-window logits: the highest over the windows.</summary>
    public static float[] HighestOver(IEnumerable<float[]> windowLogits)
    {
        ArgumentNullException.ThrowIfNull(windowLogits);
        float[]? best = null;
        foreach (var logits in windowLogits)
        {
            if (best is null)
            {
                best = (float[])logits.Clone();
                continue;
            }
            for (int k = 0; k < best.Length; k++) best[k] = Math.Max(best[k], logits[k]);
        }
        if (best is null) throw new ArgumentException("no window to tag", nameof(windowLogits));
        for (int k = 0; k < best.Length; k++) best[k] = 1f / (1f + MathF.Exp(-best[k]));
        return best;
    }

    /// <summary>Each tag's logit for one log-mel window <c>(n_mels, T)</c> row-major (repeated to the shortest length the
    /// network reads when shorter).</summary>
    public float[] Logits(float[] logMelDb, int frames)
    {
        ArgumentNullException.ThrowIfNull(logMelDb);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = Fit(logMelDb, frames, Options.MelBands, Options.MinimumFrames, out int length);
        return _network.forward(tensor(input, [1, Options.MelBands, length])).data<float>().ToArray();
    }

    /// <summary>The tags given to a track — those whose probability reaches their threshold — with the probability.</summary>
    public IReadOnlyList<(string Tag, double Score)> Predict(ExcerptSet excerpts)
    {
        var p = Probabilities(excerpts);
        return p is null ? [] : Given(p);
    }

    /// <summary>The tags whose probability reaches their threshold, with the probability (above 0).</summary>
    public IReadOnlyList<(string Tag, double Score)> Given(float[] probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        var given = new List<(string, double)>();
        for (int t = 0; t < probabilities.Length; t++)
            if (probabilities[t] >= Thresholds[t]) given.Add((Tags[t], Math.Max(1e-4, Math.Round(probabilities[t], 4))));
        return given;
    }

    // A window as the network's input: itself when long enough, else repeated (wrapping) to the shortest length read.
    private static float[] Fit(float[] data, int frames, int bands, int minimum, out int length)
    {
        length = Math.Max(frames, minimum);
        if (length == frames) return data;
        var fitted = new float[bands * length];
        for (int m = 0; m < bands; m++)
            for (int t = 0; t < length; t++) fitted[m * length + t] = data[m * frames + t % frames];
        return fitted;
    }

    public void Dispose() => _network.Dispose();
}
