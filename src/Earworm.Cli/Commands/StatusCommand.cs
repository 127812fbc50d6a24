using Spectre.Console;
using System.CommandLine;
using Earworm.App;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm status</c>: counts and sizes.</summary>
internal static class StatusCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("status", "Counts of analysed, failed, missing and pending tracks, the audio analysed, the catalog and cache sizes, and the " +
                                       "listening data imported (users, items, interactions, playlists)");
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            using var app = ctx.Services();
            var status = app.Status.Status();
            var storage = app.Status.Storage();
            var (path, counts, last, listening, lastImport) = (status.Catalog, status.Counts, status.LastScan, status.Listening, status.LastImport);
            var (catalogBytes, cacheBytes) = (storage.CatalogBytes, storage.CacheBytes);
            if (ctx.Json)
            {
                ctx.WriteJson(new
                {
                    catalog = path,
                    schemaVersion = status.SchemaVersion,
                    counts.Analysed, counts.Failed, counts.Missing, counts.Pending, counts.Total, counts.Skipped,
                    analysedAudioSeconds = Math.Round(counts.AnalysedAudioSeconds, 3),
                    catalogBytes,
                    cache = storage.Cache,
                    cacheBytes,
                    lastScan = last,
                    listening,
                    lastImport,
                });
                return ExitCodes.Ok;
            }
            var c = ctx.Console;
            c.WriteLine($"catalog   {path} ({Durations.Bytes(catalogBytes)}, schema {status.SchemaVersion})");
            c.WriteLine($"cache     {storage.Cache} ({Durations.Bytes(cacheBytes)})");
            c.WriteLine($"tracks    {counts.Total}: {counts.Analysed} analysed, {counts.Failed} failed, {counts.Missing} missing, {counts.Pending} pending" +
                        (counts.Skipped > 0 ? $"; {counts.Skipped} other {Counted.Noun(counts.Skipped, "file")} skipped (`tracks --status skipped`)" : ""));
            c.WriteLine($"audio     {Durations.Clock(counts.AnalysedAudioSeconds)} analysed");
            if (last is not null)
                c.WriteLine($"last scan {last.StartedAt.LocalDateTime:yyyy-MM-dd HH:mm} {last.Outcome ?? "did not finish (interrupted or killed): run scan again to resume"}");
            c.WriteLine($"listening {Counted.Of(listening.Users, "user")}, {Counted.Of(listening.Items, "item")} ({listening.ItemsMatched} of them tracks), " +
                        $"{Counted.Of(listening.Interactions, "interaction")} ({listening.Plays:0.##} plays), {Counted.Of(listening.Skips, "skip")}");
            c.WriteLine($"playlists {listening.Playlists} ({Counted.Of(listening.PlaylistEntries, "entry", "entries")}); {listening.ItemTags} item tags");
            if (lastImport is not null)
                c.WriteLine($"last import {lastImport.StartedAt.LocalDateTime:yyyy-MM-dd HH:mm} {lastImport.Format} {lastImport.Path}");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
