using System.Diagnostics;
using System.Globalization;
using System.Text;
using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Evaluation.Reports;

namespace Earworm.Benchmarks;

/// <summary>
/// The descriptors of a scanned library as a report: a histogram per descriptor, percentiles, and tempo
/// agreement with aubio's beat tracker (Debian's aubio-tools, `aubio tempo`) on the same files, as MIREX
/// Accuracy 1 (within 4%) and Accuracy 2 (within 4% after allowing ×2, ×½, ×3, ×⅓); with --refs, against
/// every reference of a table made by bench/tempo-references.sh (aubio's printed tempo, the median of
/// aubio's beat intervals, SoundTouch's soundstretch), the references against each other, per soundtrack
/// and by tempo confidence.
///   earworm scan DIR --db X; Earworm.Benchmarks descriptors --db X --out DIR [--aubio] [--refs REFS.tsv]
/// </summary>
internal static class DescriptorReport
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        var db = a.Get("--db") ?? throw new ArgumentException("--db CATALOG is required (a catalog scanned with descriptors)");
        var outDir = Directory.CreateDirectory(a.Get("--out") ?? "descriptor-report").FullName;
        using var catalog = CatalogStore.Open(db);
        var all = catalog.AllDescriptors();
        var tracks = catalog.ListTracks(TrackStatus.Analysed).Where(t => all.ContainsKey(t.Id)).ToList();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Descriptors of {tracks.Count} tracks ({catalog.FilePath})\n");
        md.AppendLine("| descriptor | unit | p10 | median | p90 | min | max |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        (string Name, string Unit, Func<TrackDescriptors, double?> Get)[] rows =
        [
            ("tempo", "BPM", d => d.TempoBpm),
            ("tempo confidence", "0–1", d => d.TempoConfidence),
            ("key confidence", "0–1", d => d.KeyConfidence),
            ("integrated loudness", "LUFS", d => d.IntegratedLoudnessLufs),
            ("loudness range", "LU", d => d.LoudnessRangeLu),
            ("energy", "0–1", d => d.Energy),
            ("danceability", "0–1", d => d.Danceability),
            ("brightness (spectral centroid)", "Hz", d => d.SpectralCentroidHz),
            ("spectral flatness", "0–1", d => d.SpectralFlatness),
            ("zero-crossing rate", "1/s", d => d.ZeroCrossingsPerSecond),
            ("onset rate", "1/s", d => d.OnsetsPerSecond),
            ("dynamic complexity", "LU", d => d.DynamicComplexityLu),
            ("MFCC 1 mean", "", d => d.MfccMeans.Count > 0 ? d.MfccMeans[0] : null),
        ];
        foreach (var (name, unit, get) in rows)
        {
            var values = tracks.Select(t => get(all[t.Id])).Where(v => v is not null).Select(v => v!.Value).Order().ToList();
            if (values.Count == 0) continue;
            var file = string.Concat(name.Select(ch => char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-')).Trim('-') + ".png";
            DistributionPlots.Histogram(values, name, unit.Length > 0 ? $"{name} ({unit})" : name, Path.Combine(outDir, file));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| [{name}]({file}) | {unit} | {Q(values, 0.1):0.##} | {Q(values, 0.5):0.##} | {Q(values, 0.9):0.##} | {values[0]:0.##} | {values[^1]:0.##} |");
        }
        var keys = Enumerable.Range(1, 12).SelectMany(n => new[] { $"{n}A", $"{n}B" })
            .Select(code => (code, (double)tracks.Count(t => all[t.Id].CamelotCode == code))).ToList();
        DistributionPlots.Categories(keys, "keys (Camelot)", Path.Combine(outDir, "keys.png"));
        md.AppendLine("\n[Keys by Camelot code](keys.png); silent tracks: " + tracks.Count(t => all[t.Id].IsSilent) + ".\n");

        if (argv.Contains("--aubio")) await CompareTempoWithAubioAsync(tracks, all, md);
        if (a.Get("--refs") is { } refsFile) CompareTempoWithReferences(tracks, all, refsFile, md);
        var report = Path.Combine(outDir, "report.md");
        await File.WriteAllTextAsync(report, md.ToString());
        Console.WriteLine(md.ToString());
        Console.WriteLine($"report: {report}");
        return 0;
    }

    private static async Task CompareTempoWithAubioAsync(List<TrackRecord> tracks, IReadOnlyDictionary<long, TrackDescriptors> all, StringBuilder md)
    {
        var pairs = new List<(TrackRecord Track, double Ours, double Aubio)>();
        var gate = new object();
        await Parallel.ForEachAsync(tracks.Where(t => all[t.Id].TempoBpm is not null), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (t, ct) =>
        {
            var psi = new ProcessStartInfo("aubio") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var x in new[] { "tempo", "-i", t.Path }) psi.ArgumentList.Add(x);
            using var p = Process.Start(psi)!;
            var stdout = await p.StandardOutput.ReadToEndAsync(ct);
            await p.StandardError.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            if (double.TryParse(last.Replace("bpm", "", StringComparison.Ordinal).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var bpm) && bpm > 0)
                lock (gate) pairs.Add((t, all[t.Id].TempoBpm!.Value, bpm));
        });
        static bool Within(double a, double b) => TempoStudy.Accuracy1(a, b);
        int acc1 = pairs.Count(p => Within(p.Ours, p.Aubio));
        int acc2 = pairs.Count(p => TempoStudy.Accuracy2(p.Ours, p.Aubio));
        var errors = pairs.Select(p => Math.Abs(p.Ours / p.Aubio - 1)).Order().ToList();
        md.AppendLine(CultureInfo.InvariantCulture, $"## Tempo against aubio 0.4.9 (`aubio tempo`), {pairs.Count} tracks\n");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Accuracy 1 (within 4%): {acc1} of {pairs.Count} ({(double)acc1 / Math.Max(1, pairs.Count):P0})");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Accuracy 2 (within 4% allowing ×2, ×½, ×3, ×⅓): {acc2} of {pairs.Count} ({(double)acc2 / Math.Max(1, pairs.Count):P0})");
        if (errors.Count > 0) md.AppendLine(CultureInfo.InvariantCulture, $"- median relative difference: {Q(errors, 0.5):P1}\n");
        md.AppendLine("| track | Earworm BPM | aubio BPM | ratio |");
        md.AppendLine("|---|---|---|---|");
        foreach (var p in pairs.Where(p => !Within(p.Ours, p.Aubio)).OrderBy(p => p.Track.Path, StringComparer.Ordinal).Take(40))
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Path.GetFileName(Path.GetDirectoryName(p.Track.Path))}/{Path.GetFileName(p.Track.Path)} | {p.Ours:0.0} | {p.Aubio:0.0} | {p.Ours / p.Aubio:0.00} |");
    }

    private static void CompareTempoWithReferences(List<TrackRecord> tracks, IReadOnlyDictionary<long, TrackDescriptors> all, string refsFile, StringBuilder md)
    {
        var (names, rows) = TempoStudy.ReadReferences(refsFile);
        var results = new List<(string Path, double? Ours, double Confidence, double?[] Refs)>();
        foreach (var t in tracks)
        {
            var key = rows.Keys.FirstOrDefault(k => t.Path.EndsWith("/" + k, StringComparison.Ordinal));
            if (key is null) continue;
            results.Add((key, all[t.Id].TempoBpm, all[t.Id].TempoConfidence, rows[key]));
        }
        md.AppendLine(CultureInfo.InvariantCulture, $"## Tempo against reference programs ({results.Count} tracks, {Path.GetFileName(refsFile)})\n");
        md.AppendLine(TempoStudy.AgreementTable(results.Select(r => (r.Path, r.Ours, r.Refs)).ToList(), names));
        md.AppendLine("By tempo confidence (pulse clarity):\n");
        md.AppendLine(TempoStudy.ConfidenceTable(results.Select(r => (r.Ours, r.Confidence, r.Refs)).ToList(), names));
        var confidences = results.Where(r => r.Ours is not null).Select(r => r.Confidence).Order().ToList();
        if (confidences.Count > 0)
            md.AppendLine(CultureInfo.InvariantCulture, $"Tempo confidence: p10 {Q(confidences, 0.1):0.00}, median {Q(confidences, 0.5):0.00}, p90 {Q(confidences, 0.9):0.00}.\n");
        md.AppendLine("| track | Earworm BPM | confidence | " + string.Join(" | ", names) + " |");
        md.AppendLine("|---|---|---|" + string.Concat(Enumerable.Repeat("---|", names.Count)));
        foreach (var r in results.Where(r => r.Ours is not null && r.Refs[0] is not null && !TempoStudy.Accuracy2(r.Ours.Value, r.Refs[0]!.Value)).OrderBy(r => r.Path, StringComparer.Ordinal))
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Path} | {r.Ours:0.0} | {r.Confidence:0.00} | ")
                          + string.Join(" | ", r.Refs.Select(v => v?.ToString("0.0", CultureInfo.InvariantCulture) ?? "—")) + " |");
    }

    private static double Q(List<double> sorted, double q) => sorted[(int)Math.Round(q * (sorted.Count - 1))];
}
