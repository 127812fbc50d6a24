using Earworm.Audio.Excerpts;
using Earworm.Audio.Media;
using Earworm.Audio.Spectral;
using Earworm.Catalog;
using Earworm.Content.Data;
using Earworm.Content.Native;
using Earworm.Content.Network;
using static TorchSharp.torch;

namespace Earworm.Content.Embedding;

/// <summary>
/// A trained audio model ready to place audio in its space: excerpts → crops of T frames reading every window
/// (<see cref="AudioModelInfo.CropsPerWindow"/>) → window vectors <c>(D)</c> → one unit track vector (mean, or TF-IDF against the library's windows).
/// Works for library tracks (cached excerpts) and for any audio file at query time (decoded with ffmpeg, then the
/// same log-mel front end and excerpt plan as a scan). Not thread-safe: one per thread.
/// </summary>
public sealed class AudioEmbedder : IDisposable
{
    private readonly AudioNetwork _network;
    private List<float[][]>? _libraryWindows;
    private readonly Whitening? _readout;

    private AudioEmbedder(AudioNetwork network, AudioModelInfo info, string folder, ModelRecord? model)
    {
        _network = network;
        if (info.Readout != Readout.Raw)
        {
            _readout = Whitening.Load(Path.Combine(folder, Whitening.FileName), info.LayerDims);
            if (_readout.Outputs != info.Dims)
                throw new InvalidDataException($"{folder}: the read-out gives {_readout.Outputs} dimensions, model.json says {info.Dims}");
        }
        Info = info;
        Folder = folder;
        Model = model;
    }

    /// <summary>The catalog's record of the model (null when loaded from a folder alone).</summary>
    public ModelRecord? Model { get; }

    public AudioModelInfo Info { get; }

    /// <summary>The model's folder (weights, info, curves, the library's window vectors for TF-IDF).</summary>
    public string Folder { get; }

    /// <summary>Dimensions of the space: the output's D, or the chosen layer's (<see cref="AudioModelInfo.Layer"/>).</summary>
    public int Dims => Info.Dims;

    /// <summary>Crops per inference batch. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Loads a model folder (<c>model.json</c> and <c>model.dat</c>).</summary>
    /// <exception cref="FileNotFoundException">the folder lacks them.</exception>
    public static AudioEmbedder Load(string folder, ModelRecord? model = null, int? threads = null)
    {
        var (network, info) = LoadNetwork(folder, threads);
        return new AudioEmbedder(network, info, folder, model);
    }

    /// <summary>A model folder's network in eval mode, with its info (the one place a saved model is loaded).</summary>
    /// <exception cref="FileNotFoundException">the folder lacks the weights.</exception>
    public static (AudioNetwork Network, AudioModelInfo Info) LoadNetwork(string folder, int? threads = null)
    {
        var weights = Path.Combine(folder, AudioModelInfo.WeightsFile);
        if (!File.Exists(weights)) throw new FileNotFoundException($"no audio model weights at {weights}", weights);
        TorchRuntime.EnsureLoaded(threads);
        var info = AudioModelInfo.Load(folder);
        var network = new AudioNetwork(info.Network);
        network.load(weights);
        network.eval();
        return (network, info);
    }

    /// <summary>The catalog's current <c>audio</c> model, or null when it has none (or its file is gone).</summary>
    public static AudioEmbedder? TryLoadCurrent(ICatalog catalog, string catalogPath, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _ = catalogPath;
        var model = catalog.CurrentModel("audio");
        if (model?.FilePath is not { } file) return null;
        var folder = Path.GetDirectoryName(file)!;
        return File.Exists(file) && File.Exists(Path.Combine(folder, AudioModelInfo.InfoFile)) ? Load(folder, model, threads) : null;
    }

    /// <summary>The vectors of the crops tiling every excerpt window, in order; empty when the set has no frames.</summary>
    public IReadOnlyList<float[]> WindowVectors(ExcerptSet excerpts)
    {
        ArgumentNullException.ThrowIfNull(excerpts);
        var bank = new WindowBank(excerpts.MelBands);
        if (!bank.Add(0, excerpts)) return [];
        return WindowVectors(bank, 0);
    }

    /// <summary>The vectors of the crops reading every window of a bank's track (<see cref="AudioModelInfo.CropsPerWindow"/>), in order.</summary>
    public IReadOnlyList<float[]> WindowVectors(WindowBank bank, int track)
    {
        ArgumentNullException.ThrowIfNull(bank);
        int frames = Info.Network.Frames, bands = bank.MelBands, size = bands * frames;
        var crops = new List<(int Window, int Start)>();
        for (int w = 0; w < bank.WindowCount(track); w++)
            foreach (var s in WindowBank.CropStarts(bank.FramesOf(track, w), frames, Info.CropsPerWindow)) crops.Add((w, s));
        var result = new List<float[]>(crops.Count);
        var buffer = new float[Math.Min(BatchSize, crops.Count) * size];
        using var noGrad = no_grad();
        for (int b0 = 0; b0 < crops.Count; b0 += BatchSize)
        {
            int n = Math.Min(BatchSize, crops.Count - b0);
            for (int i = 0; i < n; i++) bank.Crop(track, crops[b0 + i].Window, crops[b0 + i].Start, frames, buffer.AsSpan(i * size, size));
            using var scope = NewDisposeScope();
            result.AddRange(Rows(Layer(tensor(buffer.AsSpan(0, n * size).ToArray(), [n, bands, frames]))));
        }
        return result;
    }

    private List<float[]> Rows(Tensor rows)
    {
        var z = rows.data<float>().ToArray();
        int n = (int)rows.shape[0];
        var result = new List<float[]>(n);
        for (int i = 0; i < n; i++) result.Add(z.AsSpan(i * Dims, Dims).ToArray());
        return result;
    }

    /// <summary>Unit rows <c>(B, Dims)</c> of the model's embedding layer for a batch of crops, through its read-out
    /// (<see cref="AudioModelInfo.Readout"/>).</summary>
    private Tensor Layer(Tensor crops) => Info.Layer switch
    {
        EmbeddingLayer.Hidden when Info.Network.Dense.Length > 0 => ReadOut(_network.Activations(crops).LastDense),
        EmbeddingLayer.Pooled => ReadOut(AudioNetwork.Pool(_network.Features(crops))),
        EmbeddingLayer.Blocks => ReadOut(_network.BlockSummary(crops)),
        _ => _readout is null ? _network.forward(crops) : _readout.Apply(_network.forward(crops)),
    };

    /// <summary>A layer's rows, unit-normalised, through the model's read-out.</summary>
    private Tensor ReadOut(Tensor rows)
    {
        var unit = nn.functional.normalize(rows, p: 2, dim: 1);
        return _readout is null ? unit : _readout.Apply(unit);
    }

    /// <summary>The track vector of excerpts not in the library (a query file): mean, or TF-IDF against the
    /// library's stored window vectors (mean when there are none).</summary>
    public float[] Embed(ExcerptSet excerpts)
    {
        var windows = WindowVectors(excerpts);
        if (windows.Count == 0) throw new ArgumentException("the excerpts hold no frames", nameof(excerpts));
        if (Info.Aggregation == AggregationKind.TfIdf && LibraryWindows() is { Count: > 0 } library)
        {
            var df = WindowAggregation.DocumentFrequencies(windows, library, queryInLibrary: false, Info.Epsilon);
            return WindowAggregation.TfIdf(windows, df, library.Count + 1, Info.Epsilon);
        }
        return WindowAggregation.Mean(windows);
    }

    /// <summary>Decodes any audio file (ffmpeg), computes its excerpts as a scan would, and embeds them.</summary>
    /// <exception cref="MediaReadException">ffmpeg cannot read it.</exception>
    public async Task<float[]> EmbedFileAsync(string path, FfmpegTools tools, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var computer = new LogMelComputer(LogMelOptions.Default);
        var samples = await new FfmpegDecoder(tools).DecodeAllAsync(path, computer.Options.SampleRate, cancellationToken).ConfigureAwait(false);
        var excerpts = ExcerptExtractor.Extract(samples, computer, ExcerptOptions.Default);
        if (excerpts.TotalFrames == 0) throw new MediaReadException(path, 0, "too short to embed (no complete frame)");
        return Embed(excerpts);
    }

    private List<float[][]>? LibraryWindows() => _libraryWindows ??= LibraryWindowStore.ReadAll(Path.Combine(Folder, AudioModelInfo.LibraryWindowsFile))
        .Select(kv => kv.Value).ToList();

    public void Dispose() => _network.Dispose();
}
