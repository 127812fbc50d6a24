using System.CommandLine;
using System.Globalization;
using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm similar TRACK|FILE</c>: the tracks nearest in a space, each with its reasons.</summary>
internal static class SimilarCommand
{
    private static readonly Argument<string> Target = new("TRACK|FILE")
    {
        Description = "A catalog track (id, path or words of \"artist – title\") or any audio file",
    };

    private static readonly Option<string> Space = new("--space")
    {
        Description = "The space to search: descriptors (tempo, key, loudness, energy, groove, brightness, timbre). " +
                      "The learned spaces (audio, cf, track2vec, hybrid) arrive with `earworm train`.",
        DefaultValueFactory = _ => DescriptorSpace.Name,
        HelpName = "SPACE",
    };

    private static readonly Option<int> Count = new("--count", "-n")
    {
        Description = "How many tracks",
        DefaultValueFactory = _ => 10,
        HelpName = "N",
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("similar", "Tracks that sound alike: nearest in a space, the query and its duplicates (same content, " +
                                         "same artist and title) left out, each with the reasons (shared tempo, compatible key, energy, brightness…).")
        {
            Target, Space, Count,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var space = parse.GetValue(Space)!;
            if (space != DescriptorSpace.Name)
                throw new UsageException($"space '{space}' is not available in this catalog: the learned spaces (audio, cf, track2vec, hybrid) " +
                                         "need `earworm train`; use --space descriptors");
            int count = parse.GetValue(Count);
            if (count < 1) throw new UsageException("--count must be at least 1");
            using var catalog = ctx.OpenExistingCatalog();
            var target = parse.GetValue(Target)!;
            var (query, descriptors, _) = await TrackTarget.DescriptorsAsync(catalog, target, ct).ConfigureAwait(false);

            var tracks = catalog.ListTracks().ToDictionary(t => t.Id);
            var similarity = new DescriptorSimilarity(catalog.AllDescriptors());
            // Leave out the query and its duplicates: the same content, or the same artist and title.
            string? Identity(TrackRecord t) => t.Artist is null || t.Title is null ? null : TrackLookupKey(t);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (query is not null && Identity(query) is { } qi) seen.Add(qi);
            bool Excluded(long id)
            {
                var t = tracks[id];
                return (query is not null && (id == query.Id || (t.ContentHash is not null && t.ContentHash == query.ContentHash)));
            }
            var results = new List<(TrackRecord Track, double Distance, IReadOnlyList<string> Reasons)>();
            foreach (var (id, distance, reasons) in similarity.Similar(descriptors, count * 3 + 5, Excluded))
            {
                var t = tracks[id];
                if (Identity(t) is { } key && !seen.Add(key)) continue;
                results.Add((t, distance, reasons));
                if (results.Count == count) break;
            }

            if (ctx.Json)
            {
                ctx.WriteJson(new
                {
                    query = query is null ? null : new { query.Id, query.Path, query.Artist, query.Title },
                    space,
                    results = results.Select(r => new
                    {
                        r.Track.Id, r.Track.Path, r.Track.Artist, r.Track.Title,
                        distance = Math.Round(r.Distance, 4), score = Math.Round(1 / (1 + r.Distance), 4), reasons = r.Reasons,
                    }),
                });
                return ExitCodes.Ok;
            }
            var c = ctx.Console;
            c.MarkupLine($"Nearest to [bold]{Markup.Escape(query is null ? Path.GetFileName(target) : $"{query.Artist} – {query.Title}")}[/] in the {space} space:");
            var table = new Table().Border(TableBorder.Simple).AddColumns("#", "id", "artist – title", "score", "why");
            int rank = 1;
            foreach (var (t, distance, reasons) in results)
            {
                table.AddRow((rank++).ToString(CultureInfo.InvariantCulture), t.Id.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape($"{t.Artist} – {t.Title ?? Path.GetFileName(t.Path)}"),
                    (1 / (1 + distance)).ToString("0.000", CultureInfo.InvariantCulture),
                    Markup.Escape(reasons.Count > 0 ? string.Join("; ", reasons) : "overall closest (timbre and the rest)"));
            }
            c.Write(table);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static string TrackLookupKey(TrackRecord t) => $"{t.Artist!.Trim().ToUpperInvariant()}\u0001{t.Title!.Trim().ToUpperInvariant()}";
}
