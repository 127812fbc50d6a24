using System.CommandLine;
using System.Globalization;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Spectre.Console;
using Earworm.App;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm tracks</c>: list the catalog, or the files a scan passed over.</summary>
internal static class TracksCommand
{
    private const string Skipped = "skipped";

    private static readonly Option<string?> Status = new Option<string?>("--status")
    {
        Description = "Only tracks of this status: pending, analysed, failed or missing; or skipped: the other files under the " +
                      "scanned folders (not audio, MIDI, unreadable…), with the reason",
        HelpName = "STATUS",
    }.AcceptOnlyFromAmong("pending", "analysed", "failed", "missing", Skipped);

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("tracks", "List the tracks in the catalog: id, path, status, duration, title, artist, album " +
                                        "(a value marked * was guessed from the file name or folder: the file has no such tag)") { Status };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            using var catalog = ctx.OpenExistingCatalog();
            var status = parse.GetValue(Status);
            if (status == Skipped) return ListSkipped(ctx, catalog);
            var tracks = catalog.ListTracks(status is null ? null : Enum.Parse<TrackStatus>(status, ignoreCase: true));
            if (ctx.Json)
            {
                ctx.WriteJson(tracks.Select(t => new
                {
                    t.Id, t.Path, t.Status, durationSeconds = t.DurationSeconds, t.Title, t.Artist, t.Album,
                    guessed = t.GuessedTags.Names(), t.Genre, t.Codec, hasPicture = t.HasPicture, failure = t.Failure,
                }));
                return ExitCodes.Ok;
            }
            if (status == "failed") return ListFailed(ctx, tracks);
            var table = new Table().Border(TableBorder.Simple)
                .AddColumns("id", "path", "status", "duration", "title", "artist", "album");
            foreach (var t in tracks)
            {
                table.AddRow(t.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.Path),
                    t.Status switch
                    {
                        TrackStatus.Analysed => "[green]analysed[/]",
                        TrackStatus.Failed => "[red]failed[/]",
                        TrackStatus.Missing => "[yellow]missing[/]",
                        _ => "pending",
                    },
                    Durations.Clock(t.DurationSeconds), Tag(t.Title, t.GuessedTags, GuessedTags.Title),
                    Tag(t.Artist, t.GuessedTags, GuessedTags.Artist), Tag(t.Album, t.GuessedTags, GuessedTags.Album));
            }
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"{Counted.Of(tracks.Count, "track")}.");
            if (tracks.Any(t => t.GuessedTags != GuessedTags.None))
                ctx.Console.MarkupLine("* guessed from the file name or folder: the file has no such tag.");
            if (status is null && tracks.Count(t => t.Status == TrackStatus.Failed) is > 0 and var failed)
                ctx.Console.MarkupLine($"{failed} of them could not be read: `earworm tracks --status failed` says why.");
            if (status is null && catalog.Counts().Skipped is > 0 and var skipped)
                ctx.Console.MarkupLine($"{skipped} other {Counted.Noun(skipped, "file")} under the scanned folders {Counted.Noun(skipped, "was", "were")} skipped: `earworm tracks --status skipped` says why.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static string Tag(string? value, GuessedTags guessed, GuessedTags field) =>
        value is null ? "" : guessed.HasFlag(field) ? $"[italic]{Markup.Escape(value)}[/]*" : Markup.Escape(value);

    // What could not be read, and why: the reason in place of the columns a failed track has no values for.
    private static int ListFailed(CliContext ctx, IReadOnlyList<TrackRecord> failed)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("id", "path", "size", "reason");
        foreach (var t in failed)
            table.AddRow(t.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.Path), Durations.Bytes(t.SizeBytes),
                Markup.Escape(t.Failure ?? ""));
        ctx.Console.Write(table);
        ctx.Console.MarkupLine($"{Counted.Of(failed.Count, "track")} could not be read (`earworm scan --retry-failed` tries them again).");
        return ExitCodes.Ok;
    }

    private static int ListSkipped(CliContext ctx, ICatalog catalog)
    {
        var skipped = catalog.ListSkipped();
        if (ctx.Json)
        {
            ctx.WriteJson(skipped.Select(f => new { f.Path, status = Skipped, f.Reason, f.SizeBytes }));
            return ExitCodes.Ok;
        }
        var table = new Table().Border(TableBorder.Simple).AddColumns("path", "size", "reason");
        foreach (var f in skipped)
            table.AddRow(Markup.Escape(f.Path), f.SizeBytes is { } b ? Durations.Bytes(b) : "", Markup.Escape(f.Reason));
        ctx.Console.Write(table);
        ctx.Console.MarkupLine($"{Counted.Of(skipped.Count, "file")} skipped (hidden files and folders, whose names begin with '.', are not listed).");
        return ExitCodes.Ok;
    }
}
