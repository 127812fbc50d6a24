using System.CommandLine;
using Earworm.Catalog;
using Spectre.Console;
using Earworm.App;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm tracks</c>: list the catalog.</summary>
internal static class TracksCommand
{
    private static readonly Option<TrackStatus?> Status = new("--status")
    {
        Description = "Only tracks of this status: pending, analysed, failed or missing",
        HelpName = "STATUS",
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("tracks", "List the tracks in the catalog: id, path, status, duration, title, artist, album") { Status };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            using var catalog = ctx.OpenExistingCatalog();
            var tracks = catalog.ListTracks(parse.GetValue(Status));
            if (ctx.Json)
            {
                ctx.WriteJson(tracks.Select(t => new
                {
                    t.Id, t.Path, t.Status, durationSeconds = t.DurationSeconds, t.Title, t.Artist, t.Album,
                    t.Genre, t.Codec, failure = t.Failure,
                }));
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Simple)
                .AddColumns("id", "path", "status", "duration", "title", "artist", "album");
            foreach (var t in tracks)
            {
                table.AddRow(t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(t.Path),
                    t.Status switch
                    {
                        TrackStatus.Analysed => "[green]analysed[/]",
                        TrackStatus.Failed => "[red]failed[/]",
                        TrackStatus.Missing => "[yellow]missing[/]",
                        _ => "pending",
                    },
                    Durations.Clock(t.DurationSeconds), Markup.Escape(t.Title ?? ""), Markup.Escape(t.Artist ?? ""), Markup.Escape(t.Album ?? ""));
            }
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"{tracks.Count} tracks.");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
