using System.CommandLine;
using Earworm.App.Library;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Synthesis;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Content.Embedding;
using Earworm.App.Playlists;
using Earworm.Recommend.Playlists;
using Spectre.Console;
using Earworm.App;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm demo</c>: synthesise a small library of real encoded files, scan it into a catalog of its own, show it.</summary>
internal static class DemoCommand
{
    private static readonly Option<string?> Dir = new("--dir")
    {
        Description = "Where the demo library is written (default: $EARWORM_HOME/demo/library)",
        HelpName = "DIR",
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("demo", "Make a demo library by synthesis (7 styles × 3 tracks: house, piano ballad, drum and bass, ambient, " +
                                      "rock, waltz, chiptune; mp3, ogg, flac and wav; known tempo and key), analyse it into a catalog " +
                                      "of its own (default: $EARWORM_HOME/demo/catalog.db) and show what was found. Re-running keeps " +
                                      "the files and the analysis already made.")
        {
            Dir, ScanCommand.Workers,
        };
        cmd.SetAction((parse, ct) => RunAsync(context(parse), parse, ct));
        return cmd;
    }

    /// <summary>What one run of the demo found: the demo's tracks beside their catalog rows, what was measured, and the
    /// two playlists it shows.</summary>
    private sealed record DemoRun(string Library, string CatalogPath, ScanSummary Summary,
        IReadOnlyList<(DemoManifestEntry Entry, TrackRecord? Track)> Rows, IReadOnlyDictionary<long, TrackDescriptors> Measured,
        string EmbedNote, PlaylistResult? KeepPlaying, PlaylistResult? JoinTheDots);

    private static async Task<int> RunAsync(CliContext ctx, ParseResult parse, CancellationToken ct)
    {
        var home = Path.Combine(CliContext.Home, "demo");
        var library = Path.GetFullPath(parse.GetValue(Dir) ?? Path.Combine(home, "library"));
        var catalogPath = ctx.CatalogPath(Path.Combine(home, "catalog.db"));

        ctx.ErrConsole.MarkupLine($"Making the demo library in [bold]{Markup.Escape(library)}[/] ({Counted.Of(DemoLibrary.Tracks.Count, "track")})…");
        var manifest = await LibraryFiles.WriteDemoLibraryAsync(library, ct).ConfigureAwait(false);

        var summary = await ScanCommand.RunScanAsync(ctx, catalogPath, [library],
            new ScanOptions { Workers = parse.GetValue(ScanCommand.Workers) }, ct).ConfigureAwait(false);
        if (summary.Interrupted) return ExitCodes.Interrupted;
        // the audio space with no training step: the encoder Earworm ships places every track
        var (embedded, embedNote) = await ScanCommand.EmbedAsync(ctx, catalogPath, parse.GetValue(ScanCommand.Workers), ct).ConfigureAwait(false);

        using var app = ctx.Services(Path.Combine(home, "catalog.db"));
        using var catalog = app.Location.Open();
        var byPath = catalog.ListTracks().ToDictionary(t => t.Path, StringComparer.Ordinal);
        var rows = manifest.Tracks.Select(e =>
        {
            var path = LibraryWalker.Canonical(Path.Combine(library, e.Path)) ?? Path.Combine(library, e.Path);
            return (Entry: e, Track: byPath.GetValueOrDefault(path));
        }).ToList();
        var (keepPlaying, joinTheDots) = await DemoPlaylistsAsync(app.Playlists, rows.Select(r => r.Track).OfType<TrackRecord>().ToList(),
            embedded is not null ? LibraryEmbedder.Space : null, ct).ConfigureAwait(false);
        var run = new DemoRun(library, catalogPath, summary, rows, catalog.AllDescriptors(), embedNote, keepPlaying, joinTheDots);
        if (ctx.Json) WriteJson(ctx, run);
        else Print(ctx, run, catalog.Counts());
        return summary.Failed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static void WriteJson(CliContext ctx, DemoRun run) => ctx.WriteJson(new
    {
        library = run.Library,
        catalog = run.CatalogPath,
        analysed = run.Summary.Analysed,
        unchanged = run.Summary.Discovery.Unchanged + run.Summary.Unchanged,
        failed = run.Summary.Failed,
        tracks = run.Rows.Select(r => new
        {
            id = r.Track?.Id, path = r.Track?.Path ?? Path.Combine(run.Library, r.Entry.Path), status = r.Track?.Status,
            r.Entry.Title, r.Entry.Artist, r.Entry.Album, r.Entry.Style, r.Entry.Format,
            trueTempoBpm = r.Entry.TempoBpm, trueKey = r.Entry.Key,
            measuredTempoBpm = r.Track is { } t1 && run.Measured.TryGetValue(t1.Id, out var m1) ? m1.TempoBpm : null,
            measuredKey = r.Track is { } t2 && run.Measured.TryGetValue(t2.Id, out var m2) ? m2.KeyName : null,
            durationSeconds = r.Track?.DurationSeconds, excerpts = r.Track?.ExcerptCount,
        }),
        audioSpace = run.EmbedNote,
        joinTheDots = run.JoinTheDots,
        keepPlaying = run.KeepPlaying,
    });

    private static void Print(CliContext ctx, DemoRun run, CatalogCounts counts)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("id", "title", "artist", "style", "format", "tempo: true / heard", "key: true / heard", "duration", "status");
        foreach (var (e, t) in run.Rows)
        {
            var m = t is not null && run.Measured.TryGetValue(t.Id, out var d) ? d : null;
            var heardTempo = m?.TempoBpm is { } bpm ? $"{bpm:0}" : "—";
            table.AddRow(t?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", Markup.Escape(e.Title),
                Markup.Escape(e.Artist), Markup.Escape(StyleProfile.Of(e.Style).DisplayName), e.Format,
                $"{e.TempoBpm:0} / {heardTempo} BPM", Markup.Escape($"{e.Key} / {m?.KeyName ?? "—"}"),
                Durations.Clock(t?.DurationSeconds), t?.Status.ToString().ToLowerInvariant() ?? "not found");
        }
        var c = ctx.Console;
        c.Write(table);
        c.MarkupLine($"The demo catalog holds {counts.Analysed} analysed tracks ({Durations.Clock(counts.AnalysedAudioSeconds)} of audio, " +
                     $"{counts.Failed} failed), each with its descriptors measured and its log-mel excerpts cached for training.");
        c.MarkupLine("\"true\" is what the synthesiser played; \"heard\" is what Earworm measured from the encoded file (`earworm describe TRACK` shows the rest).");
        c.MarkupLine(Markup.Escape(run.EmbedNote));
        if (run is { KeepPlaying: { } keepPlaying, JoinTheDots: { } joinTheDots })
        {
            c.WriteLine();
            c.MarkupLine($"Join the dots from [bold]{Markup.Escape(joinTheDots.Entries[0].Title ?? "")}[/] to " +
                         $"[bold]{Markup.Escape(joinTheDots.Entries[^1].Title ?? "")}[/] (`earworm playlist --from A --to B`):");
            PlaylistCommand.Print(c, joinTheDots);
            c.WriteLine();
            c.MarkupLine($"Keep playing songs like [bold]{Markup.Escape(keepPlaying.Entries[0].Title ?? "")}[/] in the {keepPlaying.Space} space " +
                         "(`earworm playlist TRACK --space audio`):");
            PlaylistCommand.Print(c, keepPlaying);
        }
        c.MarkupLine($"Catalog: {Markup.Escape(run.CatalogPath)}");
        c.MarkupLine("Next: [bold]./earworm tracks --db " + Markup.Escape(run.CatalogPath) + "[/], [bold]./earworm status --db " +
                     Markup.Escape(run.CatalogPath) + "[/], or scan your own music: [bold]./earworm scan ~/Music[/]");
    }

    /// <summary>A join-the-dots walk from the first demo track to the last (another style), in the best learned space
    /// present, else descriptors, and a keep-playing playlist from the first in <paramref name="keepSpace"/> (the
    /// <c>audio</c> space the shipped encoder made; null: the same as the walk); none when fewer than 4 tracks were analysed.</summary>
    private static async Task<(PlaylistResult? KeepPlaying, PlaylistResult? JoinTheDots)> DemoPlaylistsAsync(PlaylistService service,
        IReadOnlyList<TrackRecord> tracks, string? keepSpace, CancellationToken ct)
    {
        var analysed = tracks.Where(t => t.Status == TrackStatus.Analysed).ToList();
        if (analysed.Count < 4) return (null, null);
        string id(TrackRecord t) => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var keep = await service.KeepPlayingAsync(new KeepPlayingRequest { Seeds = [id(analysed[0])], Length = 8, SeedRandom = 0, Space = keepSpace }, ct).ConfigureAwait(false);
        var join = await service.JoinTheDotsAsync(new JoinTheDotsRequest { From = id(analysed[0]), To = id(analysed[^1]), Length = 7 }, ct)
            .ConfigureAwait(false);
        return (keep, join);
    }
}
