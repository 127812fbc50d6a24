using System.CommandLine;
using System.Globalization;
using Earworm.App.Playlists;
using Earworm.App.Sequences;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;
using Spectre.Console;
using Earworm.App;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm playlist</c>: keep playing songs like the seeds, or join the dots from one track to another.</summary>
internal static class PlaylistCommand
{
    private static readonly Argument<string[]> Seeds = new("SEED")
    {
        Description = "Seed tracks (id, path, words of \"artist – title\") or any audio files: keep playing songs like these",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static readonly Option<string[]> Seed = new("--seed") { Description = "A seed (as SEED; repeatable)", HelpName = "TRACK|FILE" };
    private static readonly Option<string?> Text = new("--text") { Description = "Words (\"calm piano\"): the tracks whose tags match them best seed the playlist, and each track says which words pulled it in", HelpName = "WORDS" };
    private static readonly Option<string?> User = new("--user") { Description = "Seed with this listener's most recent tracks (when no seed is given); their disliked tracks are never played", HelpName = "NAME" };
    private static readonly Option<string?> Space = new("--space") { Description = $"The space: {string.Join(", ", SpaceService.Names)} (`earworm similar --help` says what each is; default: the best learned space present, else descriptors)", HelpName = "SPACE" };
    private static readonly Option<int?> Length = new("--length", "-n", "--count") { Description = "Tracks in the playlist, seeds and anchors included (default 20; 12 for join the dots); with --continue, the tracks to add", HelpName = "N" };
    private static readonly Option<string?> Continue = new("--continue") { Description = "Continue a playlist by the order of listening: a catalog playlist (id or name) or an M3U8/XSPF file; the trained sequence model (`earworm train sequence`) adds --length tracks, each its best after the playlist and the picks before", HelpName = "PLAYLIST" };
    private static readonly Option<string?> Model = new("--model") { Description = "With --continue: sasrec or gru4rec (the newest trained of that kind; default: the current sequence model)", HelpName = "NAME" };
    private static readonly Option<bool> LibraryOnly = new("--library-only") { Description = "With --continue: only tracks of the library" };
    private static readonly Option<bool> BySound = new("--by-sound-only") { Description = "Keep playing by the space alone, even when a sequence model is trained (by default it picks each next track while it knows the tracks so far)" };
    private static readonly Option<int> KeepOn = new("--keep-on") { Description = "The next track is near the mean of the last K tracks", DefaultValueFactory = _ => 3, HelpName = "K" };
    private static readonly Option<double> Drunk = new("--drunk") { Description = $"Randomness (Deej-A.I.'s drunk): Gaussian noise of σ = X·‖query‖ in every dimension added to each query, so the candidates' scores move by about X (0: deterministic; 0.05–0.3 wanders; at most {PlaylistLimits.MaxDrunk}, nearly random)", DefaultValueFactory = _ => 0, HelpName = "X" };
    private static readonly Option<int> SeedRandom = new("--seed-random") { Description = "Seed of the randomness, for a reproducible drunk playlist", DefaultValueFactory = _ => 0, HelpName = "N" };
    private static readonly Option<string?> From = new("--from") { Description = "Join the dots: start at this track", HelpName = "TRACK" };
    private static readonly Option<string?> To = new("--to") { Description = "Join the dots: end exactly at this track", HelpName = "TRACK" };
    private static readonly Option<string[]> Via = new("--via") { Description = "Join the dots: pass through this track (repeatable, in order)", HelpName = "TRACK" };
    private static readonly Option<string?> Tempo = new("--tempo") { Description = "Keep the tempo within MIN-MAX BPM, e.g. 90-120", HelpName = "MIN-MAX" };
    private static readonly Option<EnergyTrend?> Energy = new("--energy") { Description = $"Energy rising, falling or steady from track to track ({PlaylistConstraints.EnergyRule})", HelpName = "TREND" };
    private static readonly Option<bool> KeyCompatible = new("--key-compatible") { Description = "Each key the same as or a Camelot neighbour of the previous one" };
    private static readonly Option<int> NoRepeatArtist = new("--no-repeat-artist") { Description = "No artist again within K tracks", DefaultValueFactory = _ => 0, HelpName = "K" };
    private static readonly Option<double?> MaxMinutes = new("--max-minutes") { Description = "Stop before the playlist lasts longer than M minutes", HelpName = "M" };
    private static readonly Option<string[]> Exclude = new("--exclude") { Description = "Never play this track or artist (repeatable)", HelpName = "TRACK|ARTIST" };
    private static readonly Option<bool> SaveToLibrary = new("--save-to-library") { Description = "Also save the playlist as M3U8 into the library folder, paths relative to it, where media servers (Jellyfin, Navidrome…) pick it up; a playlist saved before under the same name is replaced" };
    private static readonly Option<string?> LibraryFolder = new("--library-folder") { Description = "With --save-to-library: the folder to save into, when the library has several (default: the one that holds every track)", HelpName = "DIR" };
    private static readonly Option<string?> Name = new("--name") { Description = "With --save-to-library: the playlist's name and file name (default: \"Earworm - keep playing from …\", \"Earworm - A to B\")", HelpName = "NAME" };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Also write the playlist to FILE.m3u8 (paths relative to its folder when possible), FILE.xspf or FILE.json", HelpName = "FILE" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("playlist", "Playlists with reasons. Keep playing (give seeds, words with --text, or --user): each next track is the best " +
                                          "not-yet-played one near the mean of the last --keep-on tracks, --drunk adds randomness. Join the " +
                                          "dots (--from A --to B [--via C …] --length N): one track per step along the line between the " +
                                          "anchors, never repeating, ending exactly at B. Steer with --tempo, --energy, --key-compatible, " +
                                          "--no-repeat-artist, --max-minutes, --exclude; when a constraint cannot be met the output says which gave way.")
        {
            Seeds, Seed, Text, User, Space, Length, KeepOn, Drunk, SeedRandom, From, To, Via,
            Tempo, Energy, KeyCompatible, NoRepeatArtist, MaxMinutes, Exclude, Out, SaveToLibrary, LibraryFolder, Name, Continue, Model, LibraryOnly, BySound,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            if (parse.GetValue(Continue) is { } playlist)
            {
                if (parse.GetValue(Seeds) is { Length: > 0 } || parse.GetValue(Seed) is { Length: > 0 } || parse.GetValue(From) is not null ||
                    parse.GetValue(To) is not null || parse.GetValue(Text) is not null || parse.GetValue(Out) is not null || parse.GetValue(SaveToLibrary))
                    throw new UsageException("--continue takes a playlist and --length, --model, --library-only; not seeds, --text, --from/--to, --out or --save-to-library");
                using var services = ctx.Services();
                var continued = services.Next.Continue(new ContinueRequest(playlist, parse.GetValue(Model), parse.GetValue(Length) ?? 20, parse.GetValue(LibraryOnly)));
                NextOutput.Print(ctx, continued, "playlist");
                return ExitCodes.Ok;
            }
            if (parse.GetValue(Model) is not null || parse.GetValue(LibraryOnly)) throw new UsageException("--model and --library-only go with --continue");
            if (!parse.GetValue(SaveToLibrary) && (parse.GetValue(LibraryFolder) is not null || parse.GetValue(Name) is not null))
                throw new UsageException("--library-folder and --name go with --save-to-library");
            using var app = ctx.Services();
            var from = parse.GetValue(From);
            var to = parse.GetValue(To);
            var seeds = (parse.GetValue(Seeds) ?? []).Concat(parse.GetValue(Seed) ?? []).ToList();
            // the steering both kinds share (`with` keeps the request's own type)
            T Steered<T>(T request) where T : PlaylistSteering => (T)(request with
            {
                Space = parse.GetValue(Space), User = parse.GetValue(User), Tempo = parse.GetValue(Tempo), Energy = parse.GetValue(Energy),
                KeyCompatible = parse.GetValue(KeyCompatible), NoRepeatArtist = parse.GetValue(NoRepeatArtist), MaxMinutes = parse.GetValue(MaxMinutes),
                Exclude = parse.GetValue(Exclude) ?? [],
            });
            PlaylistResult result;
            if (from is not null || to is not null)
            {
                if (from is null || to is null) throw new UsageException("join the dots needs both --from and --to");
                if (seeds.Count > 0 || parse.GetValue(Text) is not null)
                    throw new UsageException("give either seeds or --text (keep playing) or --from/--to (join the dots), not both");
                result = await app.Playlists.JoinTheDotsAsync(Steered(new JoinTheDotsRequest
                {
                    From = from, To = to, Via = parse.GetValue(Via) ?? [], Length = parse.GetValue(Length) ?? 12,
                }), ct).ConfigureAwait(false);
            }
            else
            {
                result = await app.Playlists.KeepPlayingAsync(Steered(new KeepPlayingRequest
                {
                    Seeds = seeds, Text = parse.GetValue(Text), Length = parse.GetValue(Length) ?? 20, KeepOn = parse.GetValue(KeepOn), Drunk = parse.GetValue(Drunk),
                    SeedRandom = parse.GetValue(SeedRandom), FollowOrder = !parse.GetValue(BySound),
                }), ct).ConfigureAwait(false);
            }
            if (parse.GetValue(Out) is { } file)
            {
                PlaylistWriter.Write(result, file);
                ctx.ErrConsole.MarkupLine($"Wrote {Markup.Escape(Path.GetFullPath(file))}");
            }
            if (parse.GetValue(SaveToLibrary))
            {
                var saved = LibraryPlaylists.Save(result, app.Library.Current.Roots, parse.GetValue(LibraryFolder), parse.GetValue(Name));
                ctx.ErrConsole.MarkupLine($"{(saved.Replaced ? "Replaced" : "Saved")} {Markup.Escape(saved.Path)} in the library");
                if (saved.TracksOutside > 0)
                    ctx.ErrConsole.MarkupLine($"[yellow]{saved.TracksOutside} of its tracks lie outside {Markup.Escape(saved.Folder)}[/]: media servers may not find them");
            }
            if (ctx.Json) ctx.Out.Write(PlaylistWriter.JsonText(result));
            else Print(ctx.Console, result);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The column of <see cref="PlaylistEntry.SimilarityToPrevious"/>, named as in the JSON.</summary>
    internal const string PreviousColumn = "sim→prev";

    internal const string PreviousLegend =
        $"{PreviousColumn}: the cosine of each track's vector and the previous track's, −1 to 1 (JSON similarityToPrevious; below 0: " +
        "unlike it); the cosine or distance in why is to the point the search aimed at (JSON score; similarity on the shown scale)";

    internal static void Print(IAnsiConsole c, PlaylistResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        c.MarkupLine($"[bold]{Markup.Escape(result.Mode)}[/] in the {Markup.Escape(result.Space)} space: {Counted.Of(result.Entries.Count, "track")}, " +
                     $"{Durations.Clock(result.TotalMinutes * 60)}");
        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "id", "artist – title", "BPM", "key", "energy", PreviousColumn, "why");
        foreach (var e in result.Entries)
            table.AddRow(e.Position.ToString(inv), e.TrackId.ToString(inv),
                Markup.Escape(e.Title is null ? Path.GetFileName(e.Path) : $"{e.Artist} – {e.Title}"),
                e.TempoBpm?.ToString("0", inv) ?? "", e.Camelot ?? "", e.Energy?.ToString("0.00", inv) ?? "",
                e.SimilarityToPrevious?.ToString("0.00", inv) ?? "", Markup.Escape(string.Join("; ", e.Reasons)));
        c.Write(table);
        if (result.Entries.Any(e => e.SimilarityToPrevious is not null)) c.MarkupLine(Markup.Escape(PreviousLegend));
        foreach (var g in result.GaveWay) c.MarkupLine($"[yellow]gave way[/] at #{g.Position}: {Markup.Escape(g.Constraint)} — {Markup.Escape(g.Detail)}");
        foreach (var n in result.Notes) c.MarkupLine(Markup.Escape(n));
    }
}
