using System.CommandLine;
using System.Globalization;
using Earworm.Audio.Descriptors;
using Earworm.Recommend;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm similar TRACK|FILE</c>: the tracks nearest in a space, each with its reasons.</summary>
internal static class SimilarCommand
{
    private static readonly Argument<string> Target = new("TRACK|FILE")
    {
        Description = "A catalog track (id, path or words of \"artist – title\") or any audio file",
    };

    internal static readonly Option<string> Space = new("--space")
    {
        Description = "The space to search: descriptors (tempo, key, loudness, energy, groove, brightness, timbre; Euclidean), " +
                      "cf (listening data, `earworm train cf`), track2vec (playlists and sessions), audio (the content model, " +
                      "`earworm train audio`), or hybrid (descriptors and every learned space present, per-space unit vectors " +
                      "concatenated: the cosine is the mean of the spaces' cosines; tracks missing from one are left out)",
        DefaultValueFactory = _ => DescriptorSpace.Name,
        HelpName = "SPACE",
    };

    private static readonly Option<int> Count = new("--count", "-n")
    {
        Description = "How many tracks",
        DefaultValueFactory = _ => 10,
        HelpName = "N",
    };

    internal static readonly Option<IndexKind> Index = new("--index")
    {
        Description = "The search: auto (exact below 100 000 tracks, HNSW from there, saved beside the catalog), exact, or hnsw",
        DefaultValueFactory = _ => IndexKind.Auto,
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("similar", "Tracks that sound alike: nearest in a space, the query and its duplicates (same content, " +
                                         "same artist and title) left out, each with its score and the reasons (shared tempo, compatible " +
                                         "Camelot key, energy, brightness…, and the space).")
        {
            Target, Space, Count, Index,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var space = parse.GetValue(Space)!;
            int count = parse.GetValue(Count);
            if (count < 1) throw new UsageException("--count must be at least 1");
            using var catalog = ctx.OpenExistingCatalog();
            var target = parse.GetValue(Target)!;
            var spaces = new SpaceService(catalog);
            var vectors = spaces.Load(space);
            var (query, descriptors, measuredNow) = await TrackTarget.DescriptorsAsync(catalog, target, ct).ConfigureAwait(false);
            using var audio = ctx.AudioFileEmbedder();
            var playlists = new PlaylistService(catalog, spaces, audio);
            var facts = playlists.Facts;
            var queryFacts = query is not null && facts.TryGetValue(query.Id, out var f) ? f : null;
            float[] q;
            if (queryFacts is not null && !measuredNow && vectors.Contains(queryFacts.Id)) q = vectors.VectorOf(queryFacts.Id).ToArray();
            else if (queryFacts is not null && !measuredNow && space != DescriptorSpace.Name)
                throw new UsageException($"{queryFacts.DisplayName} (track {queryFacts.Id}) has no vector in the {space} space" +
                                         (space == HybridSpace.Name ? " (the hybrid holds only the tracks present in every space)" : ""));
            else q = await spaces.FileVectorAsync(space, query?.Path ?? target, descriptors, audio, ct).ConfigureAwait(false);
            var results = SimilarTracks.Find(vectors, spaces.Index(space, parse.GetValue(Index)), facts, q, queryFacts, descriptors, count);

            if (ctx.Json)
            {
                ctx.WriteJson(new
                {
                    query = query is null ? null : new { query.Id, query.Path, query.Artist, query.Title },
                    file = query is null ? Path.GetFullPath(target) : null,
                    space,
                    spaceDescription = vectors.Description,
                    results = results.Select(r => new
                    {
                        r.Track.Id, r.Track.Path, r.Track.Artist, r.Track.Title, r.Score, r.Distance, reasons = r.Reasons,
                    }),
                });
                return ExitCodes.Ok;
            }
            var c = ctx.Console;
            c.MarkupLine($"Nearest to [bold]{Markup.Escape(query is null ? Path.GetFileName(target) : queryFacts?.DisplayName ?? query.Path)}[/] " +
                         $"in the {Markup.Escape(space)} space ({Markup.Escape(vectors.Description)}):");
            var table = new Table().Border(TableBorder.Simple).AddColumns("#", "id", "artist – title", "score", "why");
            int rank = 1;
            foreach (var r in results)
            {
                table.AddRow((rank++).ToString(CultureInfo.InvariantCulture), r.Track.Id.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(r.Track.DisplayName), r.Score.ToString("0.000", CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join("; ", r.Reasons)));
            }
            c.Write(table);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
