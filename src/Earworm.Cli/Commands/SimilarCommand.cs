using System.CommandLine;
using System.Globalization;
using Earworm.App.Similar;
using Earworm.Audio.Descriptors;
using Earworm.Recommend;
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
        Description = "The space to search: " + SpaceService.Listed,
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
            var target = parse.GetValue(Target)!;
            using var app = ctx.Services();
            var result = await app.Similar.FindAsync(new SimilarRequest
            {
                Track = target, Space = parse.GetValue(Space), Count = parse.GetValue(Count), Index = parse.GetValue(Index),
            }, ct).ConfigureAwait(false);
            Print(ctx, result, target);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void Print(CliContext ctx, SimilarResult result, string target)
    {
        var query = result.Query.Track;
        if (ctx.Json)
        {
            ctx.WriteJson(new
            {
                query = query is null ? null : new { query.Id, query.Path, query.Artist, query.Title },
                file = query is null ? Path.GetFullPath(target) : null,
                space = result.Space,
                spaceDescription = result.SpaceDescription,
                results = result.Results.Select(r => new
                {
                    r.Track.Id, r.Track.Path, r.Track.Artist, r.Track.Title, r.Score, r.Distance, reasons = r.Reasons,
                }),
            });
            return;
        }
        var c = ctx.Console;
        c.MarkupLine($"Nearest to [bold]{Markup.Escape(result.Query.Label)}[/] in the {Markup.Escape(result.Space)} space ({Markup.Escape(result.SpaceDescription)}):");
        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "id", "artist – title", "score", "why");
        int rank = 1;
        foreach (var r in result.Results)
        {
            table.AddRow((rank++).ToString(CultureInfo.InvariantCulture), r.Track.Id.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(r.Track.DisplayName), r.Score.ToString("0.000", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join("; ", r.Reasons)));
        }
        c.Write(table);
    }
}
