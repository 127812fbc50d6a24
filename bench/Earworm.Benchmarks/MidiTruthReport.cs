using System.Diagnostics;
using System.Globalization;
using System.Text;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Evaluation.Metrics;
using static Earworm.Benchmarks.Stats;

namespace Earworm.Benchmarks;

/// <summary>
/// Tempo and key on the ground-truth set of <see cref="MidiSet"/>: MIREX Accuracy 1 and 2 of Earworm and of
/// aubio 0.4.9 on the same files, and the MIREX weighted key score, per category.
///   Earworm.Benchmarks midi-eval --set DIR [--aubio] [--cache DIR/.cache] [--out report.md] [--workers 2]
///                                [--prior-octaves …] (the tempo knobs of the tempo verb)
/// The decoded PCM (22 050 Hz mono, as the scanner decodes) and aubio's beats are cached, so a change
/// of estimator is measured again in seconds. aubio's two figures come from one run of `aubio beat`:
/// the mean of 60/inter-beat interval, which is exactly what `aubio tempo` prints, and 60 over the
/// median interval (robust to a few dropped or doubled beats).
/// </summary>
internal static class MidiTruthReport
{
    private sealed record Row(string Path, string Category, double BeatBpm, string Metre, int? KeyTonic, Mode? KeyMode, string? ScoreKey)
    {
        public double? Earworm { get; set; }
        public double Confidence { get; set; }
        public int? EstTonic { get; set; }
        public Mode? EstMode { get; set; }
        public double? AubioMean { get; set; }
        public double? AubioMedian { get; set; }
    }

    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        var set = a.Get("--set") ?? throw new ArgumentException("--set DIR is required (made by midi-set)");
        var cache = Directory.CreateDirectory(a.Get("--cache") ?? Path.Combine(set, ".cache")).FullName;
        int workers = a.Int("--workers", 2);
        var options = TempoStudy.WithTempoKnobs(TrackDescriptorOptions.Default, a);
        if (a.Get("--key-profile") is { } profile) options = options with { KeyProfile = Enum.Parse<KeyProfile>(profile, ignoreCase: true) };
        var rows = ReadTruth(Path.Combine(set, MidiSet.TruthFile));
        var decoder = new FfmpegDecoder(FfmpegTools.Locate());
        bool aubio = argv.Contains("--aubio");

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (row, ct) =>
        {
            var wav = Path.Combine(set, row.Path);
            var pcm = await CachedPcmAsync(decoder, wav, Path.Combine(cache, Key(row.Path) + ".f32"), options.SampleRate, ct);
            var analyzer = new TrackDescriptorAnalyzer(options);
            analyzer.Push(pcm);
            var d = analyzer.Result();
            row.Earworm = d.TempoBpm;
            row.Confidence = d.TempoConfidence;
            row.EstTonic = d.KeyTonic;
            row.EstMode = d.KeyMode;
            if (aubio)
            {
                var beats = await CachedAubioBeatsAsync(wav, Path.Combine(cache, Key(row.Path) + ".aubio-beats.txt"), ct);
                var intervals = beats.Zip(beats.Skip(1), (x, y) => y - x).Where(x => x > 0).ToList();
                if (intervals.Count > 0)
                {
                    row.AubioMean = intervals.Average(x => 60 / x);
                    row.AubioMedian = 60 / Median(intervals);
                }
            }
        });
        Console.Error.WriteLine($"analysed {rows.Count} pieces in {clock.Elapsed.TotalSeconds:0.0} s");

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Tempo and key on the MIDI ground-truth set ({rows.Count} pieces, {set})\n");
        md.AppendLine("Tempo: MIREX Accuracy 1 (within 4 % of the counted beat: the quarter note in 4/4, the dotted quarter in 6/8 and 12/8) / " +
                      "Accuracy 2 (also ×2, ×½, ×3, ×⅓). Key: MIREX weighted score (1 correct, 0.5 fifth above, 0.3 relative, 0.2 parallel), " +
                      "against the key signature; the score's own key (Krumhansl–Schmuckler on the notes' durations) beside it.\n");
        md.AppendLine("| category | pieces | Earworm Acc1 | Earworm Acc2 | aubio tempo Acc1 | aubio tempo Acc2 | aubio beats (median) Acc1 | Acc2 | Earworm key score | score's key (symbolic) | keyed pieces |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in rows.GroupBy(r => r.Category).Append(rows.GroupBy(_ => "all").First()))
            md.AppendLine(SummaryLine(group.Key, [.. group]));

        md.AppendLine("\n## Key relations (Earworm against the signature)\n");
        md.AppendLine("| category | correct | fifth | relative | parallel | other |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var group in rows.Where(r => r.KeyTonic is not null).GroupBy(r => r.Category))
        {
            var counts = group.Select(r => r.EstTonic is int t && r.EstMode is Mode m ? MirexScores.Relate(t, m, r.KeyTonic!.Value, r.KeyMode!.Value) : KeyRelation.Other)
                .GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
            md.AppendLine($"| {group.Key} | " + string.Join(" | ", Enum.GetValues<KeyRelation>().Select(k => counts.TryGetValue(k, out int c) ? c : 0)) + " |");
        }

        md.AppendLine("\n## Tempo misses (Earworm outside Accuracy 1)\n");
        md.AppendLine("| piece | truth | Earworm | ratio | confidence | aubio tempo | aubio median |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows.Where(r => r.Earworm is null || !MirexScores.TempoAccuracy1(r.Earworm.Value, r.BeatBpm)))
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Path} | {r.BeatBpm:0.#} | {r.Earworm:0.#} | {r.Earworm / r.BeatBpm:0.00} | {r.Confidence:0.00} | {r.AubioMean:0.#} | {r.AubioMedian:0.#} |");

        var text = md.ToString();
        if (a.Get("--out") is { } outFile) await File.WriteAllTextAsync(outFile, text);
        Console.WriteLine(text);
        return 0;
    }

    private static string SummaryLine(string label, IReadOnlyList<Row> rows)
    {
        string Acc(Func<Row, double?> get, bool two) =>
            Fraction(rows.Count(r => get(r) is double v && (two ? MirexScores.TempoAccuracy2(v, r.BeatBpm) : MirexScores.TempoAccuracy1(v, r.BeatBpm))), rows.Count);
        var keyed = rows.Where(r => r.KeyTonic is not null).ToList();
        double keyScore = keyed.Count == 0 ? double.NaN : keyed.Average(r => MirexScores.KeyScore(r.EstTonic, r.EstMode, r.KeyTonic!.Value, r.KeyMode!.Value));
        double symbolic = keyed.Count == 0 ? double.NaN : keyed.Average(r => ParseKey(r.ScoreKey) is var (t, m) ? MirexScores.KeyScore(t, m, r.KeyTonic!.Value, r.KeyMode!.Value) : 0);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {rows.Count} | {Acc(r => r.Earworm, false)} | {Acc(r => r.Earworm, true)} | {Acc(r => r.AubioMean, false)} | {Acc(r => r.AubioMean, true)} | {Acc(r => r.AubioMedian, false)} | {Acc(r => r.AubioMedian, true)} | {(keyed.Count == 0 ? "—" : keyScore.ToString("0.00", CultureInfo.InvariantCulture))} | {(keyed.Count == 0 ? "—" : symbolic.ToString("0.00", CultureInfo.InvariantCulture))} | {keyed.Count} |");
    }

    private static string Fraction(int k, int n) => n == 0 ? "—" : ((double)k / n).ToString("0.00", CultureInfo.InvariantCulture);

    private static List<Row> ReadTruth(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split('\t');
        int Col(string name) => Array.IndexOf(header, name) is >= 0 and var i ? i : throw new FormatException($"{file}: no column {name}");
        var rows = new List<Row>();
        foreach (var c in lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')))
        {
            // Planet Blupi's files all carry the sequencer's default signature (C major) whatever they play:
            // a key signature counts as truth only where the set's maker wrote it (the feels' pieces).
            bool keyIsTruth = c[Col("category")] != "planetblupi";
            var key = keyIsTruth ? ParseKey(c[Col("key")]) : null;
            rows.Add(new Row(c[Col("path")], c[Col("category")], double.Parse(c[Col("beat_bpm")], CultureInfo.InvariantCulture), c[Col("metre")],
                key?.Tonic, key?.Mode, c[Col("score_key")]));
        }
        return rows;
    }

    private static (int Tonic, Mode Mode)? ParseKey(string? name)
    {
        if (string.IsNullOrEmpty(name)) return null;
        var parts = name.Split(' ');
        int tonic = Enumerable.Range(0, 12).First(pc => MusicTheory.PitchClassName(pc) == parts[0]);
        return (tonic, parts[1] == "major" ? Mode.Major : Mode.Minor);
    }

    private static async Task<float[]> CachedPcmAsync(FfmpegDecoder decoder, string wav, string cacheFile, int sampleRate, CancellationToken ct)
    {
        if (File.Exists(cacheFile) && File.GetLastWriteTimeUtc(cacheFile) >= File.GetLastWriteTimeUtc(wav))
        {
            var bytes = await File.ReadAllBytesAsync(cacheFile, ct);
            var cached = new float[bytes.Length / sizeof(float)];
            Buffer.BlockCopy(bytes, 0, cached, 0, bytes.Length);
            return cached;
        }
        var samples = new List<float>();
        await decoder.DecodeAsync(wav, sampleRate, chunk =>
        {
            foreach (float v in chunk) samples.Add(v);
        }, ct);
        var pcm = samples.ToArray();
        var raw = new byte[pcm.Length * sizeof(float)];
        Buffer.BlockCopy(pcm, 0, raw, 0, raw.Length);
        await File.WriteAllBytesAsync(cacheFile + ".tmp", raw, ct);
        File.Move(cacheFile + ".tmp", cacheFile, overwrite: true);
        return pcm;
    }

    private static async Task<List<double>> CachedAubioBeatsAsync(string wav, string cacheFile, CancellationToken ct)
    {
        if (!File.Exists(cacheFile) || File.GetLastWriteTimeUtc(cacheFile) < File.GetLastWriteTimeUtc(wav))
        {
            var psi = new ProcessStartInfo("aubio") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var x in new[] { "beat", "-i", wav }) psi.ArgumentList.Add(x);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("aubio did not start (apt-get install -y aubio-tools)");
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            await p.StandardError.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            await File.WriteAllTextAsync(cacheFile + ".tmp", await stdout, ct);
            File.Move(cacheFile + ".tmp", cacheFile, overwrite: true);
        }
        return [.. (await File.ReadAllLinesAsync(cacheFile, ct)).Where(l => l.Trim().Length > 0).Select(l => double.Parse(l.Trim(), CultureInfo.InvariantCulture))];
    }

    private static string Key(string relativePath) => relativePath.Replace('/', '_');
}
