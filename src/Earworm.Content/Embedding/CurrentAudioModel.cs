using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Recommend.Spaces;

namespace Earworm.Content.Embedding;

/// <summary>
/// Places any audio file in the <c>audio</c> space with the catalog's current audio model: the
/// <see cref="IAudioFileEmbedder"/> the command line and the web app hand to the recommenders, so <c>similar FILE
/// --space audio</c>, a playlist seeded by a file and an upload in the browser use the same model as the library's
/// vectors. The network is loaded on first use (a verb that never embeds a file pays nothing) and reloaded when
/// training has made another model current. Safe to call from several threads (one embedding at a time).
/// </summary>
public sealed class CurrentAudioModel : IAudioFileEmbedder, IDisposable
{
    private readonly Func<ICatalog> _openCatalog;
    private FfmpegTools? _tools;
    private readonly int? _threads;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AudioEmbedder? _embedder;

    /// <param name="openCatalog">opens the catalog (a connection of its own, disposed after each look).</param>
    /// <param name="tools">ffmpeg and ffprobe; null: found on first use.</param>
    public CurrentAudioModel(Func<ICatalog> openCatalog, FfmpegTools? tools = null, int? threads = null)
    {
        _openCatalog = openCatalog ?? throw new ArgumentNullException(nameof(openCatalog));
        _tools = tools;
        _threads = threads;
    }

    /// <summary>The version of the model that embedded the last file (null before the first).</summary>
    public string? Version => _embedder?.Model?.Version;

    /// <exception cref="UsageException">the catalog has no audio model, or its files are gone.</exception>
    /// <exception cref="MediaReadException">ffmpeg cannot read the file.</exception>
    public async Task<float[]> EmbedAsync(string path, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var embedder = Current();
            return await embedder.EmbedFileAsync(path, _tools ??= FfmpegTools.Locate(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private AudioEmbedder Current()
    {
        ModelRecord? model;
        using (var catalog = _openCatalog()) model = catalog.CurrentModel(LibraryEmbedder.Space);
        if (model is null) throw new UsageException("the catalog has no audio model: run `earworm train audio` first");
        if (_embedder?.Model?.Version == model.Version) return _embedder;
        if (model.FilePath is not { } file || !File.Exists(file))
            throw new UsageException($"the audio model {model.Version} has lost its weights ({model.FilePath}): run `earworm train audio`");
        var folder = Path.GetDirectoryName(file)!;
        if (!File.Exists(Path.Combine(folder, AudioModelInfo.InfoFile)))
            throw new UsageException($"the audio model {model.Version} has lost {AudioModelInfo.InfoFile} in {folder}: run `earworm train audio`");
        _embedder?.Dispose();
        _embedder = null;
        _embedder = AudioEmbedder.Load(folder, model, _threads);
        return _embedder;
    }

    public void Dispose()
    {
        _embedder?.Dispose();
        _embedder = null;
        _gate.Dispose();
    }
}
