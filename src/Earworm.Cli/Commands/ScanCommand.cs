using System.CommandLine;
using Earworm.Audio.Excerpts;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.App;
using Earworm.App.Training;
using Earworm.Content.Embedding;
using Earworm.App.Scans;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm scan DIR...</c>: analyse a library into the catalog (incremental, resumable).</summary>
internal static class ScanCommand
{
    private static readonly Argument<string[]> Dirs = new("DIR")
    {
        Description = "Folders (or single files) to analyse; sub-folders are included",
        Arity = ArgumentArity.OneOrMore,
    };

    internal static readonly Option<int> Workers = new("--workers", "-j")
    {
        Description = "Tracks analysed at once (default: the number of cores)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        HelpName = "N",
    };

    private static readonly Option<bool> RetryFailed = new("--retry-failed")
    {
        Description = "Try again files that failed before, though unchanged",
    };

    private static readonly Option<bool> NoDescriptors = new("--no-descriptors")
    {
        Description = "Skip the descriptors (tempo, key, loudness, energy, …): a faster scan; a later scan without this flag adds them",
    };

    private static readonly Option<bool> NoEmbed = new("--no-embed")
    {
        Description = "Do not place the analysed tracks in the `audio` space afterwards (by default the library's audio model, " +
                      "else the encoder Earworm ships, embeds every new track: similar, playlists and the web app work in it at once)",
    };

    internal static readonly Option<double> CacheSeconds = new("--cache-seconds")
    {
        Description = "Seconds of log-mel excerpts cached per track for training, spread over the track",
        DefaultValueFactory = _ => new ExcerptOptions().BudgetSeconds,
        HelpName = "S",
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("scan", "Analyse a music library: find audio files, read tags, decode, compute log-mel spectrograms, " +
                                      "cache excerpts, measure descriptors (tempo, key, loudness, energy, …) and record it all in the catalog. Re-running does only new or changed files; " +
                                      "an interrupted scan resumes where it stopped.")
        {
            Dirs, Workers, RetryFailed, NoDescriptors, CacheSeconds, NoEmbed,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var options = new ScanOptions
            {
                Workers = parse.GetValue(Workers),
                RetryFailed = parse.GetValue(RetryFailed),
                Descriptors = !parse.GetValue(NoDescriptors),
                Excerpts = new ExcerptOptions { BudgetSeconds = parse.GetValue(CacheSeconds) },
            };
            var summary = await RunScanAsync(ctx, ctx.CatalogPath(), parse.GetValue(Dirs)!, options, ct).ConfigureAwait(false);
            (EmbeddingSummary? Summary, string Note)? embedded = summary.Interrupted || parse.GetValue(NoEmbed) ? null
                : await EmbedAsync(ctx, ctx.CatalogPath(), options.Workers, ct).ConfigureAwait(false);
            Report(ctx, summary, embedded);
            return summary.Interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Runs a scan with a live progress bar on a terminal, plain lines otherwise (shared with demo).</summary>
    public static async Task<ScanSummary> RunScanAsync(CliContext ctx, string catalogPath, IReadOnlyList<string> dirs, ScanOptions options, CancellationToken ct)
    {
        var scans = new ScanService(new CatalogLocation(catalogPath));
        if (!ctx.Interactive || ctx.Json)
            return await scans.RunAsync(dirs, options, new PlainProgress(ctx.Err), ct).ConfigureAwait(false);

        ScanSummary? summary = null;
        await ctx.ErrConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async live =>
            {
                var task = live.AddTask("discovering files", maxValue: 1);
                var progress = new Progress<ScanProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                    task.Description = Markup.Escape(Describe(p));
                });
                summary = await scans.RunAsync(dirs, options, progress, ct).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return summary!;
    }

    /// <summary>The library in the <c>audio</c> space after a scan (shared with demo); the sentence that says how.</summary>
    public static async Task<(EmbeddingSummary? Summary, string Note)> EmbedAsync(CliContext ctx, string catalogPath, int threads, CancellationToken ct) =>
        await Task.Run(() => new LibraryEmbedding(new CatalogLocation(catalogPath)).EmbedAfterScan(Math.Max(1, threads), EmbedCommand.Lines(ctx), ct), ct).ConfigureAwait(false);

    internal static string Describe(ScanProgress p) => p.Phase == "discovering"
        ? "discovering files…"
        : $"{p.Done}/{Counted.Of(p.Total, "track")} · {p.Failed} failed · {p.Speed:0}× real time (audio-h/h) · ETA {(p.Eta is { } e ? e.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : "--:--:--")}";

    private static void Report(CliContext ctx, ScanSummary s, (EmbeddingSummary? Summary, string Note)? embedded)
    {
        if (ctx.Json)
        {
            ctx.WriteJson(new
            {
                roots = s.Roots,
                discovered = s.Discovery,
                s.Analysed,
                s.Failed,
                s.Unchanged,
                descriptorsOnly = s.Described,
                missing = s.Discovery.Missing + s.Vanished,
                audioSeconds = Math.Round(s.AudioSeconds, 3),
                elapsedSeconds = Math.Round(s.Elapsed.TotalSeconds, 3),
                speed = Math.Round(s.Speed, 2),
                s.Interrupted,
                failures = s.Failures,
                skipped = s.Skipped,
                audioSpace = embedded is { } e ? new { embedded = e.Summary?.Embedded, note = e.Note } : null,
            });
            return;
        }
        var c = ctx.Console;
        var d = s.Discovery;
        c.MarkupLine($"[bold]Scan {(s.Interrupted ? "[yellow]interrupted[/]" : "complete")}[/] in {s.Elapsed.TotalSeconds:0.0} s: " +
                      $"{s.Analysed} analysed ({Durations.Clock(s.AudioSeconds)} of audio, {s.Speed:0}× real time), " +
                      $"{d.Unchanged + s.Unchanged} unchanged{(s.Unchanged > 0 ? $" ({s.Unchanged} only touched: the same content, not decoded again)" : "")}, {(s.Described > 0 ? $"{s.Described} with only their descriptors recomputed, " : "")}" +
                      $"{s.Failed} failed, {d.Missing + s.Vanished} missing.");
        c.MarkupLine($"Found {d.Added} new, {d.Changed} changed, {d.Resumed} resumed, {d.Restored} returned, {d.Moved} moved (the same tracks under new names) " +
                     $"and {d.Unchanged} unchanged {Counted.Noun(d.Added + d.Changed + d.Resumed + d.Restored + d.Moved + d.Unchanged, "file")}.");
        foreach (var f in s.Failures.Take(ctx.Verbose ? int.MaxValue : 10))
            c.MarkupLine($"  [red]failed[/] {Markup.Escape(f.Path)}: {Markup.Escape(f.Reason)}");
        if (!ctx.Verbose && s.Failures.Count > 10) c.MarkupLine($"  … and {s.Failures.Count - 10} more (`earworm tracks --status failed`).");
        if (s.Skipped.Count > 0)
        {
            c.MarkupLine($"{s.Skipped.Count} other {Counted.Noun(s.Skipped.Count, "file")} skipped ({Markup.Escape(SkipSummary(s.Skipped))}): `earworm tracks --status skipped` lists them with the reason.");
            if (ctx.Verbose)
                foreach (var f in s.Skipped) c.MarkupLine($"  [grey]skipped[/] {Markup.Escape(f.Path)}: {Markup.Escape(f.Reason)}");
        }
        if (s.DiscoveryErrors > 0) c.MarkupLine($"[yellow]{Counted.Of(s.DiscoveryErrors, "file or folder", "files or folders")} could not be read.[/]");
        if (s.Interrupted) c.MarkupLine("Run the same command again to resume: finished tracks are kept.");
        if (embedded is { } em) c.MarkupLine(Markup.Escape(em.Note));
    }

    // "12 not audio, 2 MIDI, 1 unreadable"
    internal static string SkipSummary(IEnumerable<SkippedFile> skipped) => string.Join(", ", skipped
        .GroupBy(f => f.Reason.StartsWith("not audio", StringComparison.Ordinal) ? "not audio"
            : f.Reason.StartsWith("MIDI", StringComparison.Ordinal) ? "MIDI"
            : f.Reason.StartsWith(LibraryWalker.UnreadablePrefix, StringComparison.Ordinal) ? "unreadable" : "other")
        .OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>Progress for logs: a line every 25 tracks or 10 seconds, whichever comes first.</summary>
    private sealed class PlainProgress(TextWriter err) : IProgress<ScanProgress>
    {
        private int _lastDone = -1;
        private TimeSpan _lastTime;

        public void Report(ScanProgress p)
        {
            if (p.Phase == "discovering") { err.WriteLine("scan: discovering files…"); return; }
            bool due = p.Done == p.Total || p.Done - _lastDone >= 25 || p.Elapsed - _lastTime >= TimeSpan.FromSeconds(10);
            if (!due) return;
            _lastDone = p.Done;
            _lastTime = p.Elapsed;
            err.WriteLine("scan: " + Describe(p));
        }
    }
}
