using System.CommandLine;
using System.Diagnostics;
using Earworm.App.Library;
using Earworm.App.Tags;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Catalog.Import.Csv;
using Earworm.Catalog.Import.Json;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm import FORMAT PATH...</c>: listening histories and playlists into the catalog, all or nothing.</summary>
internal static class ImportCommand
{
    private static readonly Argument<string> Format = new Argument<string>("FORMAT")
    {
        Description = "What the files are: " + string.Join(", ", ImportFormats.All.Select(ImportFormats.Name)) + ", " + TagsFormat + ", " + TextFormat,
        HelpName = "FORMAT",
    }.AcceptOnlyFromAmong([.. ImportFormats.All.Select(ImportFormats.Name), TagsFormat, TextFormat]);

    /// <summary>Tags on library tracks (<see cref="TagService.Import"/>), not listening data.</summary>
    private const string TagsFormat = "tags";

    /// <summary>Texts about artists, albums and tracks (<see cref="TextService.Import"/>).</summary>
    private const string TextFormat = "text";

    private static readonly Argument<string[]> Paths = new("PATH")
    {
        Description = "Files to import, or folders (every file of the format in them; for lastfm-2k, the dataset's folder)",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<string?> User = new("--user", "-u")
    {
        Description = "Whose listening it is: needed by files that name no user (lastfm-csv, csv without a user column, exports " +
                      "without a user name), replaces the name in a single-listener export (spotify, listenbrainz), owns the " +
                      "playlists; refused where a file names many users (csv with a user column, lastfm-2k)",
        HelpName = "NAME",
    };

    private static readonly Option<string[]> Columns = new("--column")
    {
        Description = $"csv/tsv: the header name of a column, ROLE=NAME, ROLE one of {string.Join(", ", InteractionCsvOptions.Roles)} " +
                      "(default: the role's own name); repeat for each",
        HelpName = "ROLE=NAME",
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string?> Delimiter = new Option<string?>("--delimiter")
    {
        Description = "csv: the field delimiter, one character or tab (default: detected from the header: , tab ; |)",
        HelpName = "C",
    }.AllowBlank(); // a tab is blank

    private static readonly Option<string> ItemKind = new Option<string>("--item-kind")
    {
        Description = "csv/tsv: what the item column holds: auto (track:ID is a catalog track, an absolute path or file:// URL a file, " +
                      "anything else your own id), key, track-id or path (relative to the CSV's folder)",
        DefaultValueFactory = _ => "auto",
        HelpName = "KIND",
    }.AcceptOnlyFromAmong("auto", "key", "track-id", "path");

    private static readonly Option<int> MinPlayedMs = new("--min-played-ms")
    {
        Description = "spotify: milliseconds heard from which a stream counts as a play (shorter ones and skipped ones are kept as skips)",
        DefaultValueFactory = _ => new SpotifyOptions().MinPlayedMs,
        HelpName = "MS",
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var formats = string.Join("\n", ImportFormats.All.Select(f => $"  {ImportFormats.Name(f),-13}{ImportFormats.Describe(f)}")) +
            $"\n  {TagsFormat,-13}tags on library tracks: item,tag[,weight] rows (item: a track id, a file path, an artist's name or " +
            "\"artist – title\" words); `earworm tags TRACK` shows them" +
            $"\n  {TextFormat,-13}texts about artists, albums and tracks: a folder of .txt/.md files named after them, or item,text " +
            "rows (item: as for tags, or an album's name; `artist:`, `album:`, `track:` say which); `earworm tags TRACK --terms` " +
            "shows a track's top terms, `--space text` and `--space tags` search by them";
        var cmd = new Command("import",
            "Import listening histories and playlists into the catalog. Every file is read in full first: a malformed one is " +
            "refused with file:line and the reason, and nothing is imported. Importing the same data again adds nothing " +
            "(events are unique by user, item, source and time; play counts without a time by user, item and source). Songs " +
            "are matched to catalog tracks by track id, path, or artist and title (case and accents ignored); the others " +
            "become items without audio.\n\nFormats:\n" + formats)
        {
            Format, Paths, User, Columns, Delimiter, ItemKind, MinPlayedMs,
        };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            if (parse.GetValue(Format) == TagsFormat) return ImportTags(ctx, parse.GetValue(Paths)!);
            if (parse.GetValue(Format) == TextFormat) return ImportText(ctx, parse.GetValue(Paths)!);
            if (!ImportFormats.TryParse(parse.GetValue(Format)!, out var format))
                throw new UsageException($"unknown format '{parse.GetValue(Format)}'");
            var options = new ImportOptions
            {
                User = parse.GetValue(User),
                Csv = CsvOptions(parse),
                Spotify = new SpotifyOptions { MinPlayedMs = parse.GetValue(MinPlayedMs) },
            };
            var clock = Stopwatch.StartNew();
            var result = new LibraryFiles(ctx.Location).Import(format, parse.GetValue(Paths)!, options);
            Report(ctx, result.Files, result.Catalog, clock.Elapsed);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static int ImportTags(CliContext ctx, string[] paths)
    {
        var service = new TagService(ctx.Location);
        var outcomes = paths.Select(service.Import).ToList();
        if (ctx.Json)
        {
            ctx.WriteJson(new { files = outcomes });
            return ExitCodes.Ok;
        }
        foreach (var o in outcomes)
        {
            ctx.Console.MarkupLine($"[bold]{Markup.Escape(o.Path)}[/] (tags, {Counted.Of(o.Rows, "row")}): {Counted.Of(o.TracksTagged, "track")} tagged, {Counted.Of(o.TagsWritten, "tag")} added or changed" +
                                   (o.LeftOut.Count > 0 ? $", {Counted.Of(o.LeftOut.Count, "row")} left out:" : ""));
            foreach (var line in o.LeftOut.Take(20)) ctx.Console.MarkupLine("  " + Markup.Escape(line));
            if (o.LeftOut.Count > 20) ctx.Console.MarkupLine($"  … and {o.LeftOut.Count - 20} more (--json lists them all)");
        }
        return ExitCodes.Ok;
    }

    private static int ImportText(CliContext ctx, string[] paths)
    {
        var o = new TextService(ctx.Location).Import(paths);
        if (ctx.Json)
        {
            ctx.WriteJson(o);
            return ExitCodes.Ok;
        }
        var kinds = string.Join(", ", o.ByKind.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => Counted.Of(kv.Value, kv.Key)));
        ctx.Console.MarkupLine($"[bold]{Markup.Escape(string.Join(", ", o.Paths))}[/] (text, {Counted.Of(o.Texts, "text")}): " +
                               $"{(kinds.Length == 0 ? "nothing matched" : Markup.Escape(kinds))}, {o.Written} added or changed" +
                               (o.LeftOut.Count > 0 ? $", {o.LeftOut.Count} left out:" : ""));
        foreach (var line in o.LeftOut.Take(20)) ctx.Console.MarkupLine("  " + Markup.Escape(line));
        if (o.LeftOut.Count > 20) ctx.Console.MarkupLine($"  … and {o.LeftOut.Count - 20} more (--json lists them all)");
        return ExitCodes.Ok;
    }

    private static InteractionCsvOptions CsvOptions(ParseResult parse)
    {
        var csv = new InteractionCsvOptions
        {
            ItemKind = parse.GetValue(ItemKind) switch
            {
                "key" => CsvItemKind.Key,
                "track-id" => CsvItemKind.TrackId,
                "path" => CsvItemKind.Path,
                _ => CsvItemKind.Auto,
            },
            Delimiter = parse.GetValue(Delimiter) switch
            {
                null => null,
                "tab" or "\\t" or "\t" => '\t',
                { Length: 1 } d => d[0],
                var d => throw new UsageException($"--delimiter must be one character or tab, not '{d}'"),
            },
        };
        foreach (var spec in parse.GetValue(Columns) ?? [])
        {
            int eq = spec.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new UsageException($"--column takes ROLE=NAME (e.g. user=listener), not '{spec}'");
            try
            {
                csv = csv.WithColumn(spec[..eq], spec[(eq + 1)..]);
            }
            catch (ArgumentException e)
            {
                throw UsageException.From(e, $"--column {spec}: ");
            }
        }
        return csv;
    }

    private static void Report(CliContext ctx, IReadOnlyList<ImportOutcome> outcomes, ListeningCounts catalog, TimeSpan elapsed)
    {
        if (ctx.Json)
        {
            ctx.WriteJson(new { files = outcomes, catalog, elapsedSeconds = Math.Round(elapsed.TotalSeconds, 3) });
            return;
        }
        var c = ctx.Console;
        foreach (var o in outcomes)
        {
            c.MarkupLine($"[bold]{Markup.Escape(o.Path)}[/] ({o.Format}, {Counted.Of(o.Rows, "row")}){(o.SameAsImportId is { } id ? $", same content as import #{id}" : "")}");
            c.MarkupLine("  " + Markup.Escape(Describe(o)));
            foreach (var (reason, n) in o.Ignored) c.MarkupLine($"  left out: {n} × {Markup.Escape(reason)}");
        }
        var files = Counted.Of(outcomes.Count, "file");
        c.MarkupLine($"[bold]Imported {files}[/] in {elapsed.TotalSeconds:0.0} s: {Counted.Of(outcomes.Sum(o => o.InteractionsAdded), "interaction")} added, " +
                     $"{outcomes.Sum(o => o.InteractionsUpdated)} updated, {outcomes.Sum(o => o.DuplicatesSkipped)} duplicates skipped.");
        c.MarkupLine($"The catalog holds {Counted.Of(catalog.Users, "user")}, {Counted.Of(catalog.Items, "item")} ({catalog.ItemsMatched} of them tracks), " +
                     $"{Counted.Of(catalog.Interactions, "interaction")} and {Counted.Of(catalog.Playlists, "playlist")}.");
    }

    /// <summary>One file's outcome in a line.</summary>
    internal static string Describe(ImportOutcome o)
    {
        var parts = new List<string>
        {
            $"{Counted.Of(o.Users, "user")} ({o.UsersAdded} new)",
            $"{Counted.Of(o.Items, "item")} ({o.ItemsAdded} new, {o.ItemsMatched} matched to tracks)",
            $"{Counted.Of(o.InteractionsAdded, "interaction")} added" + (o.Skips > 0 ? $" ({o.Skips} of them skips)" : "") +
            $", {o.InteractionsUpdated} updated, {o.DuplicatesSkipped} duplicates skipped",
        };
        if (o.PlaylistsAdded + o.PlaylistsUpdated + o.PlaylistsUnchanged > 0)
            parts.Add($"{Counted.Of(o.PlaylistsAdded, "playlist")} added, {o.PlaylistsUpdated} updated, {o.PlaylistsUnchanged} unchanged ({Counted.Of(o.PlaylistEntries, "entry", "entries")})");
        if (o.TagsWritten > 0) parts.Add($"{o.TagsWritten} item tags written");
        return string.Join(" · ", parts);
    }
}
