using System.CommandLine;
using System.Globalization;
using Earworm.App.Discover;
using Earworm.Recommend.Personal;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm discover</c>: the listener's weekly discovery list — music they never played, mostly their
/// taste ranking, partly explored by a bandit, varied and with artists spaced — logged with its propensities, saved
/// as the week's playlist on request.</summary>
internal static class DiscoverCommand
{
    private static readonly Option<string> User = new("--user") { Description = "The listener (a name `earworm users` lists)", HelpName = "NAME", Required = true };
    private static readonly Option<int> Count = new("--count", "-n") { Description = "How many tracks", DefaultValueFactory = _ => 30 };
    private static readonly Option<double> Explore = new("--explore")
    {
        Description = "The share of the list, in expectation, a bandit explores with (LinUCB over the listener's and the candidates' features, " +
                      "one block per way of exploring: deeper in your ranking, popular and new to you, sounds like what you play); the rest is your taste ranking",
        DefaultValueFactory = _ => 0.2,
        HelpName = "0..1",
    };
    private static readonly Option<double> Diversity = new("--diversity")
    {
        Description = "Variety among the taste picks (maximal marginal relevance in factor space; 0 = by score alone)",
        DefaultValueFactory = _ => 0.3,
        HelpName = "0..1",
    };
    private static readonly Option<int?> ArtistGap = new("--artist-gap")
    {
        Description = "Positions between two tracks by one artist (default: the whole list, so each artist once)",
        HelpName = "N",
    };
    private static readonly Option<bool> KnownArtists = new("--known-artists") { Description = "Also new tracks by artists the listener played (default: only artists they never played)" };
    private static readonly Option<bool> LibraryOnly = new("--library-only") { Description = "Only tracks of the library (leave out items heard elsewhere that have no audio file)" };
    private static readonly Option<bool> Save = new("--save") { Description = "Store the list as the listener's playlist of the week (\"Discover 2026-W49\"), replacing that week's earlier one (exit code 1 when no pick has an audio file to put in it)" };
    private static readonly Option<string?> Out = new("--out", "-o")
    {
        Description = "Also write the list to FILE.xspf (library tracks by their file, items without audio by artist and title, each with why) or FILE.json",
        HelpName = "FILE",
    };
    private static readonly Option<int?> RandomSeed = new("--random-seed") { Description = "Seed the exploration draws (the same seed and log draw the same list)", HelpName = "N" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("discover", "Music the listener never played: their cf ranking (the audio bridge for tracks without listening data), " +
                                          "an exploration share chosen by a bandit that learns from what listeners did with earlier lists, " +
                                          "variety by maximal marginal relevance and artists spaced apart; every pick is logged with its propensity")
        {
            User, Count, Explore, Diversity, ArtistGap, KnownArtists, LibraryOnly, Save, Out, RandomSeed,
        };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            using var app = ctx.Services();
            // before the list is drawn: a drawn list is logged as shown
            if (parse.GetValue(Out) is { } target) DiscoverService.CheckExport(target);
            var options = new DiscoverOptions(parse.GetValue(Count), parse.GetValue(Explore), parse.GetValue(Diversity),
                parse.GetValue(ArtistGap) ?? int.MaxValue);
            var result = app.Discover.Discover(new DiscoverRequest(parse.GetValue(User)!, options, !parse.GetValue(KnownArtists),
                parse.GetValue(LibraryOnly), parse.GetValue(Save), parse.GetValue(RandomSeed)));
            Print(ctx, result);
            if (parse.GetValue(Out) is { } file)
            {
                app.Discover.Export(result, file);
                ctx.ErrConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(file))}");   // as playlist --out says it
            }
            // --save that could save nothing (no pick has an audio file) failed at what was asked: the list is shown, the note says why
            return parse.GetValue(Save) && result.SavedPlaylistId is null ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return cmd;
    }

    private static void Print(CliContext ctx, DiscoverResult result)
    {
        foreach (var note in result.Notes.Where(n => n.Important)) ctx.Err.WriteLine($"discover: {note.Text}");
        if (ctx.Json)
        {
            ctx.WriteJson(DiscoverService.Shape(result));
            return;
        }
        ctx.Console.MarkupLine($"[bold]{Markup.Escape(result.PlaylistName)}[/] — {Markup.Escape(result.How)}");
        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "track", "why", "p");
        table.Columns[0].RightAligned();
        table.Columns[3].RightAligned();
        int rank = 0;
        foreach (var d in result.Items)
            table.AddRow((++rank).ToString(CultureInfo.InvariantCulture), Markup.Escape(d.Item.Label), Markup.Escape(d.Why),
                d.Propensity.ToString("G3", CultureInfo.InvariantCulture));
        ctx.Console.Write(table);
        var arms = string.Join(", ", result.Arms.Select(a =>
            string.Create(CultureInfo.InvariantCulture, $"{a.Name} (Beta({a.Alpha:0.#}, {a.Beta:0.#}), {a.Candidates} candidates)")));
        ctx.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{Counted.Of(result.NewArtists, "artist")} the listener never played; explored by {arms}")));
        if (result.SavedPlaylistId is long saved)
            ctx.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"Saved as playlist {saved} \"{Markup.Escape(result.PlaylistName)}\" ({Counted.Of(result.SavedTracks, "track")})."));
    }
}
