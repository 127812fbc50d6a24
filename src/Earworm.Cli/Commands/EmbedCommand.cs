using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Content.Embedding;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm embed</c>: every analysed track placed in the <c>audio</c> space by the current audio model.</summary>
internal static class EmbedCommand
{
    private static readonly Option<string> Aggregate = new("--aggregate")
    {
        Description = "How a track's window vectors (crops of T frames tiling each cached 10 s window, hop T/2) become its vector: " +
                      "mean (the normalised mean; default) or tfidf (Deej-A.I.: windows within cosine distance ε are the same " +
                      "\"term\"; weight = tf (share of the track's windows within ε) × idf (ln of tracks / tracks holding a window " +
                      "within ε): sounds that recur in the track and are rare in the library count most)",
        DefaultValueFactory = _ => "mean",
    };

    private static readonly Option<string?> Layer = new("--layer")
    {
        Description = "Which layer places a crop: output (the trained output; default for cf and track2vec, whose output is their " +
                      "target space), hidden (the last hidden dense layer) or pooled (the mean, max and L2 norm over time of the last " +
                      "convolution; default for contrastive: SimCLR's representation before the projection head). Changing it re-embeds",
    };

    private static readonly Option<double> Epsilon = new("--epsilon") { Description = "TF-IDF's ε (cosine distance)", DefaultValueFactory = _ => WindowAggregation.DefaultEpsilon };
    private static readonly Option<int> Threads = new("--threads") { Description = "Torch intra-op threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("embed", "Embed the library with the current audio model (`earworm train audio` makes one and embeds " +
                                       "after training): tracks already embedded by this model are skipped, so an interrupted run resumes " +
                                       "and a new model re-embeds everything")
        {
            Aggregate, Layer, Epsilon, Threads,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var aggregation = ParseAggregation(parse.GetValue(Aggregate)!);
            int threads = parse.GetValue(Threads);
            if (threads < 1) throw new UsageException("--threads must be at least 1");
            double epsilon = parse.GetValue(Epsilon);
            if (epsilon is <= 0 or > 2) throw new UsageException("--epsilon must lie in (0, 2]");
            var path = ctx.CatalogPath();
            using var catalog = ctx.OpenExistingCatalog();
            var model = catalog.CurrentModel(LibraryEmbedder.Space)
                ?? throw new PrerequisiteMissingException("the catalog has no audio model: run `earworm train audio` first");
            var layer = parse.GetValue(Layer) is { } named ? ParseLayer(named) : (EmbeddingLayer?)null;
            var summary = await Task.Run(() => EmbedLibrary(ctx, catalog, path, model, aggregation, threads, ct, epsilon, layer), ct).ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(new
                {
                    model = model.Version, aggregation = aggregation.ToString().ToLowerInvariant(), summary.Embedded, summary.Skipped,
                    summary.WithoutExcerpts, summary.Total, seconds = Math.Round(summary.Seconds, 2),
                });
            else
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"embedded {summary.Embedded} tracks with {model.Version} ({summary.Skipped} already done, {summary.WithoutExcerpts} without cached excerpts) in {summary.Seconds:0.0} s"));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    internal static AggregationKind ParseAggregation(string value) => value.ToLowerInvariant() switch
    {
        "mean" => AggregationKind.Mean,
        "tfidf" or "tf-idf" => AggregationKind.TfIdf,
        _ => throw new UsageException($"--aggregate must be mean or tfidf, not '{value}'"),
    };

    internal static EmbeddingLayer ParseLayer(string value) => value.ToLowerInvariant() switch
    {
        "output" => EmbeddingLayer.Output,
        "hidden" => EmbeddingLayer.Hidden,
        "pooled" => EmbeddingLayer.Pooled,
        _ => throw new UsageException($"--layer must be output, hidden or pooled, not '{value}'"),
    };

    /// <summary>Embeds the library with a recorded model; a change of aggregation, ε or layer re-embeds every track.
    /// <paramref name="layer"/> null keeps the model's recorded layer.</summary>
    internal static EmbeddingSummary EmbedLibrary(CliContext ctx, CatalogStore catalog, string catalogPath, ModelRecord model,
        AggregationKind aggregation, int threads, CancellationToken ct, double epsilon = WindowAggregation.DefaultEpsilon,
        EmbeddingLayer? layer = null)
    {
        var folder = Path.GetDirectoryName(model.FilePath ?? throw new PrerequisiteMissingException($"model {model.Version} has no file"))!;
        if (!File.Exists(model.FilePath)) throw new PrerequisiteMissingException($"the audio model's file is gone: {model.FilePath}; run `earworm train audio`");
        var info = AudioModelInfo.Load(folder);
        var chosen = layer ?? info.Layer;
        if (info.Aggregation != aggregation || Math.Abs(info.Epsilon - epsilon) > 1e-12 || info.Layer != chosen)
        {
            (info with { Aggregation = aggregation, Epsilon = epsilon, Layer = chosen }).Save(folder);
            catalog.DeleteSpace(LibraryEmbedder.Space);
            File.Delete(Path.Combine(folder, AudioModelInfo.LibraryWindowsFile));
        }
        using var embedder = AudioEmbedder.Load(folder, model, threads);
        var clock = Stopwatch.StartNew();
        var progress = new InlineProgress<(int Done, int Total)>(p =>
        {
            if (clock.Elapsed.TotalSeconds < 10 && p.Done != p.Total) return;
            clock.Restart();
            ctx.Err.WriteLine($"  embedding: {p.Done}/{p.Total} tracks");
        });
        var store = new ExcerptStore(ExcerptStore.DefaultFor(catalogPath));
        return LibraryEmbedder.Run(catalog, store, embedder, progress, ct);
    }
}
