using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Earworm.App;
using Earworm.App.Training;
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
    private static readonly Option<bool> Force = new("--force") { Description = "Embed every track again, even those this model already placed" };
    private static readonly Option<int> Threads = new("--threads") { Description = "Torch intra-op threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("embed", "Embed the library with the current audio model (`earworm train audio` makes one and embeds " +
                                       "after training), else the shipped encoder (`scan` embeds with it unless --no-embed): tracks already " +
                                       "embedded by this model are skipped, so an interrupted run resumes and a new model re-embeds everything")
        {
            Aggregate, Layer, Epsilon, Force, Threads,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var request = new LibraryEmbeddingRequest
            {
                Aggregation = ParseAggregation(parse.GetValue(Aggregate)!),
                Epsilon = parse.GetValue(Epsilon),
                Layer = parse.GetValue(Layer) is { } named ? ParseLayer(named) : null,
                Force = parse.GetValue(Force),
            };
            var (model, summary, tagNote) = await Task.Run(() => new LibraryEmbedding(ctx.Location).EmbedWithCurrentModel(request, parse.GetValue(Threads), Lines(ctx), ct), ct)
                .ConfigureAwait(false);
            if (ctx.Json)
                ctx.WriteJson(new
                {
                    model, aggregation = request.Aggregation.ToString().ToLowerInvariant(), summary.Embedded, summary.Skipped,
                    summary.WithoutExcerpts, summary.Total, seconds = Math.Round(summary.Seconds, 2), tags = tagNote,
                });
            else
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"embedded {Counted.Of(summary.Embedded, "track")} with {model} ({summary.Skipped} already done, {summary.WithoutExcerpts} without cached excerpts) in {summary.Seconds:0.0} s\n{tagNote}"));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>"  embedding: done/total tracks gone through", every 10 seconds and at the end (a track already in the
    /// space counts as gone through: the sentence at the end says how many were embedded).</summary>
    internal static IProgress<(int Done, int Total)> Lines(CliContext ctx) => Every10Seconds<(int Done, int Total)>(ctx, p => p.Done == p.Total,
        p => $"  embedding: {p.Done}/{Counted.Of(p.Total, "track")} gone through");

    /// <summary>A line when <paramref name="last"/> holds or 10 seconds have passed since the previous one.</summary>
    internal static IProgress<T> Every10Seconds<T>(CliContext ctx, Func<T, bool> last, Func<T, string> line)
    {
        var clock = Stopwatch.StartNew();
        return new InlineProgress<T>(p =>
        {
            if (clock.Elapsed.TotalSeconds < 10 && !last(p)) return;
            clock.Restart();
            ctx.Err.WriteLine(line(p));
        });
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
}
