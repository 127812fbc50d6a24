using Earworm.Catalog;
using Earworm.Content.Embedding;

namespace Earworm.App.Training;

/// <summary>How the library is embedded: how a track's window vectors become its vector, and at which layer the model
/// is read (null: the model's recorded layer).</summary>
public sealed record LibraryEmbeddingRequest
{
    public AggregationKind Aggregation { get; init; } = AggregationKind.Mean;

    /// <summary>TF-IDF's ε (cosine distance): windows closer than this are one "term".</summary>
    public double Epsilon { get; init; } = WindowAggregation.DefaultEpsilon;

    public EmbeddingLayer? Layer { get; init; }

    /// <summary>Embed every track again, even those the model already placed (<c>embed --force</c>).</summary>
    public bool Force { get; init; }

    /// <exception cref="UsageException">ε outside (0, 2].</exception>
    public LibraryEmbeddingRequest Validated() =>
        Epsilon is <= 0 or > 2 ? throw new UsageException("--epsilon must lie in (0, 2]") : this;
}

/// <summary>
/// <c>embed</c> (and the end of <c>train audio</c>): every analysed track placed in the <c>audio</c> space by a recorded
/// audio model (<see cref="LibraryEmbedder"/>: resumable, track by track). A change of aggregation, ε or layer is
/// written to the model's info and re-embeds every track.
/// </summary>
public sealed class LibraryEmbedding(CatalogLocation location)
{
    /// <summary>Embeds with the catalog's current audio model — the shipped encoder when the catalog has none (a library
    /// scanned with <c>--no-embed</c>) —; the model's version and what was done.</summary>
    /// <exception cref="PrerequisiteMissingException">the catalog has no audio model and the program no shipped encoder,
    /// or the model's file is gone.</exception>
    public (string ModelVersion, EmbeddingSummary Summary, string TagNote) EmbedWithCurrentModel(LibraryEmbeddingRequest request, int threads,
        IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validated();
        if (threads < 1) throw new UsageException("--threads must be at least 1");
        using var catalog = location.OpenExisting();
        var model = catalog.CurrentModel(LibraryEmbedder.Space)
            ?? (ShippedEncoder.Available() ? ShippedEncoder.Register(catalog, location.CatalogPath, makeCurrent: true)
                : throw new PrerequisiteMissingException(
                    $"the catalog has no audio model and the shipped encoder is missing from {ShippedEncoder.Folder}: run `earworm train audio --init scratch` first"));
        var summary = Embed(catalog, model, request, threads, progress, cancellationToken);
        return (model.Version, summary, Tags.AudioTagging.TagLibrary(catalog, location.CatalogPath, null, cancellationToken).Note);
    }

    /// <summary>
    /// After a scan: every analysed track placed in the <c>audio</c> space with no training step, by the catalog's
    /// current audio model, or the encoder Earworm ships when the catalog has none (<see cref="ShippedEncoder"/>), then
    /// tagged from its audio (<see cref="Tags.AudioTagging"/>).
    /// Null, with the reason, when the program has no shipped encoder and the catalog no audio model.
    /// </summary>
    public (EmbeddingSummary? Summary, string Note) EmbedAfterScan(int threads, IProgress<(int Done, int Total)>? progress,
        CancellationToken cancellationToken)
    {
        if (threads < 1) throw new UsageException("threads must be at least 1");
        using var catalog = location.OpenExisting();
        if (catalog.CurrentModel(LibraryEmbedder.Space) is null && !ShippedEncoder.Available())
            return (null, $"no audio space: the shipped encoder is missing from {ShippedEncoder.Folder} and the catalog has no audio model (`earworm train audio --init scratch`)");
        var (summary, model) = ShippedEncoder.EmbedLibrary(catalog, location.CatalogPath, threads, progress, cancellationToken);
        var tagging = Tags.AudioTagging.TagLibrary(catalog, location.CatalogPath, null, cancellationToken);
        return (summary, $"audio space: {Counted.Of(summary.Embedded, "track")} embedded by {(ShippedEncoder.IsShipped(model) ? "the shipped encoder" : "the library's audio model")} " +
                         $"{model.Version} ({summary.Skipped} already were) in {summary.Seconds:0.0} s\n{tagging.Note}");
    }

    /// <summary>Embeds the library with a recorded model.</summary>
    /// <exception cref="PrerequisiteMissingException">the model's file is gone.</exception>
    public EmbeddingSummary Embed(ICatalog catalog, ModelRecord model, LibraryEmbeddingRequest request, int threads,
        IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        var folder = Path.GetDirectoryName(model.FilePath ?? throw new PrerequisiteMissingException($"model {model.Version} has no file"))!;
        if (!File.Exists(model.FilePath)) throw new PrerequisiteMissingException($"the audio model's file is gone: {model.FilePath}; run `earworm train audio`");
        var info = AudioModelInfo.Load(folder);
        var layer = request.Layer ?? info.Layer;
        bool changed = info.Aggregation != request.Aggregation || Math.Abs(info.Epsilon - request.Epsilon) > 1e-12 || info.Layer != layer;
        if (changed)
        {
            // a read-out was fitted to the model's layer: another layer is read raw
            var readout = layer == info.Layer ? info.Readout : Readout.Raw;
            (info with { Aggregation = request.Aggregation, Epsilon = request.Epsilon, Layer = layer, Readout = readout,
                ReadoutDims = readout == Readout.Raw ? 0 : info.ReadoutDims }).Save(folder);
        }
        if (changed || request.Force)
        {
            catalog.DeleteSpace(LibraryEmbedder.Space);
            File.Delete(Path.Combine(folder, AudioModelInfo.LibraryWindowsFile));
        }
        using var embedder = AudioEmbedder.Load(folder, model, threads);
        return LibraryEmbedder.Run(catalog, location.Excerpts, embedder, progress, cancellationToken);
    }
}
