using System.CommandLine;
using System.Globalization;
using Earworm.App.Library;
using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm describe FILE|TRACK</c>: the descriptors of a catalog track, or of any audio file analysed now.</summary>
internal static class DescribeCommand
{
    private static readonly Argument<string> Target = new("FILE|TRACK")
    {
        Description = "An audio file (in the library or not), a catalog track id, or words of \"artist – title\"",
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("describe", "Show a track's descriptors: tempo (BPM), key and Camelot code, loudness (LUFS, LU), energy, " +
                                          "danceability, brightness, flatness, zero-crossing and onset rates, dynamic complexity, timbre (MFCC). " +
                                          "A catalog track's stored values are shown; any other file is analysed on the spot.")
        {
            Target,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var target = parse.GetValue(Target)!;
            var location = ctx.Location;
            using var catalog = location.Exists ? location.Open() : null;
            var described = await TargetDescriber.DescribeAsync(catalog, target, ct).ConfigureAwait(false);
            Print(ctx, described.Track, target, described.Descriptors, described.MeasuredNow ? "analysed now" : "catalog");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void Print(CliContext ctx, TrackRecord? track, string target, TrackDescriptors d, string source)
    {
        if (ctx.Json)
        {
            ctx.WriteJson(new { trackId = track?.Id, path = track?.Path ?? Path.GetFullPath(target), source, version = TrackDescriptors.Version, descriptors = d });
            return;
        }
        var c = ctx.Console;
        c.MarkupLine($"[bold]{Markup.Escape(track is null ? Path.GetFileName(target) : $"{track.Artist} – {track.Title}")}[/] " +
                     $"({Markup.Escape(source)}{(track is null ? "" : $", track {track.Id}")})");
        if (d.IsSilent) c.MarkupLine("[yellow]silent[/]: below −70 LUFS, so no tempo, key or loudness");
        static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "—";
        var t = new Table().Border(TableBorder.Simple).AddColumns("descriptor", "value", "unit / meaning");
        t.AddRow("duration", F(d.DurationSeconds, "0.0"), "s");
        t.AddRow("tempo", F(d.TempoBpm, "0.0"), $"BPM (confidence {d.TempoConfidence:0.00}{(d.TempoBpm is not null && d.TempoConfidence < 0.3 ? ": no steady beat, a guess" : "")}, {d.BeatTimesSeconds.Count} beats)");
        t.AddRow("key", Markup.Escape(d.KeyName ?? "—"), $"Camelot {d.CamelotCode ?? "—"} (confidence {d.KeyConfidence:0.00})");
        t.AddRow("loudness", F(d.IntegratedLoudnessLufs, "0.0"), "LUFS integrated (ITU-R BS.1770-4)");
        t.AddRow("loudness range", F(d.LoudnessRangeLu, "0.0"), "LU (EBU Tech 3342)");
        t.AddRow("energy", F(d.Energy, "0.00"), "0–1, intensity: loudness, brightness, noisiness, onset rate and spectral flux together");
        t.AddRow("danceability", F(d.Danceability, "0.00"), "0–1, detrended fluctuation analysis");
        t.AddRow("brightness", F(d.SpectralCentroidHz, "0"), "Hz, mean spectral centroid");
        t.AddRow("flatness", F(d.SpectralFlatness, "0.000"), "0 tonal – 1 noise");
        t.AddRow("zero crossings", F(d.ZeroCrossingsPerSecond, "0"), "per second");
        t.AddRow("onset rate", F(d.OnsetsPerSecond, "0.00"), "onsets per second");
        t.AddRow("dynamic complexity", F(d.DynamicComplexityLu, "0.0"), "LU");
        t.AddRow("timbre", Markup.Escape(string.Join(" ", d.MfccMeans.Take(5).Select(x => x.ToString("0.0", CultureInfo.InvariantCulture)))) + " …",
            "MFCC 1–5 means (of 20)");
        c.Write(t);
    }
}
