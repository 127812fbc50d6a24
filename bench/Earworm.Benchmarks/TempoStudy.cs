using System.Globalization;
using System.Text;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Evaluation.Metrics;

namespace Earworm.Benchmarks;

/// <summary>
/// Tempo on real music, track by track, against reference tempi measured by other programs on the
/// same files. The onset envelopes (the analyzer's own: 22 050 Hz mono → decimation by 4 → log-mel
/// flux) are computed once and cached, so the estimator can be studied without decoding again.
///   Earworm.Benchmarks tempo --dir DIR --refs REFS.tsv --envelopes CACHE [--out TRACKS.tsv]
/// REFS.tsv: path relative to DIR, then one column per reference (BPM, empty when it gave none),
/// with a header line "path	aubio	soundstretch…" (see bench/README.md for how it is made).
/// </summary>
internal static class TempoStudy
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        var dir = a.Get("--dir") ?? throw new ArgumentException("--dir DIR is required");
        var refsPath = a.Get("--refs") ?? throw new ArgumentException("--refs REFS.tsv is required");
        var cache = Directory.CreateDirectory(a.Get("--envelopes") ?? Path.Combine(Path.GetTempPath(), "earworm-envelopes")).FullName;
        var lines = File.ReadAllLines(refsPath);
        var names = lines[0].Split('\t')[1..];
        var rows = lines.Skip(1).Select(l => l.Split('\t')).Where(c => c.Length > 1).ToList();
        var options = WithTempoKnobs(TrackDescriptorOptions.Default, a);
        var tools = FfmpegTools.Locate();
        var decoder = new FfmpegDecoder(tools);

        // 1. Envelopes, decoded once.
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (row, ct) =>
        {
            var file = EnvelopeFile(cache, row[0]);
            if (File.Exists(file)) return;
            var decimator = new Decimator(options.DecimationFactor);
            var onsets = new OnsetEnvelope(options.DecimatedSampleRate, options.OnsetFftSize, options.OnsetHop, options.OnsetMelBands);
            var block = new float[TrackDescriptorAnalyzer.BlockLength];
            var decimated = new float[decimator.MaxOutputLength(block.Length)];
            int fill = 0;
            try
            {
                await decoder.DecodeAsync(Path.Combine(dir, row[0]), options.SampleRate, chunk =>
                {
                    while (!chunk.IsEmpty)
                    {
                        int take = Math.Min(block.Length - fill, chunk.Length);
                        chunk[..take].CopyTo(block.AsSpan(fill));
                        fill += take;
                        chunk = chunk[take..];
                        if (fill == block.Length)
                        {
                            onsets.Push(decimated.AsSpan(0, decimator.Process(block, decimated)));
                            fill = 0;
                        }
                    }
                }, ct);
            }
            catch (Exception e) when (e is EarwormException)
            {
                Console.Error.WriteLine($"{row[0]}: {e.Message.Split('\n')[0]}");
                return;
            }
            if (fill > 0) onsets.Push(decimated.AsSpan(0, decimator.Process(block.AsSpan(0, fill), decimated)));
            onsets.Push(decimated.AsSpan(0, decimator.Flush(decimated)));
            onsets.Finish();
            var values = onsets.ToArray();
            var bytes = new byte[values.Length * sizeof(double)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            await File.WriteAllBytesAsync(file + ".tmp", bytes, ct);
            File.Move(file + ".tmp", file, overwrite: true);
        });

        // 2. Estimates against the references.
        double fps = options.DecimatedSampleRate / options.OnsetHop;
        var results = new List<(string Path, double? Ours, double Confidence, double? DoubledFrom, double?[] Refs)>();
        foreach (var row in rows)
        {
            var file = EnvelopeFile(cache, row[0]);
            if (!File.Exists(file)) continue;
            var bytes = File.ReadAllBytes(file);
            var envelope = new double[bytes.Length / sizeof(double)];
            Buffer.BlockCopy(bytes, 0, envelope, 0, bytes.Length);
            var estimate = TempoEstimator.Estimate(envelope, fps, options.Tempo);
            var refs = names.Select((_, i) => i + 1 < row.Length && double.TryParse(row[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : (double?)null).ToArray();
            results.Add((row[0], estimate?.Bpm, estimate?.Confidence ?? 0, estimate?.DoubledFromBpm, refs));
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"path\tearworm\tconfidence\tdoubled from\t{string.Join('\t', names)}");
        foreach (var r in results)
            text.AppendLine(CultureInfo.InvariantCulture, $"{r.Path}\t{r.Ours:0.00}\t{r.Confidence:0.000}\t{r.DoubledFrom:0.00}\t{string.Join('\t', r.Refs.Select(v => v?.ToString("0.00", CultureInfo.InvariantCulture) ?? ""))}");
        if (a.Get("--out") is { } outFile) await File.WriteAllTextAsync(outFile, text.ToString());

        Console.WriteLine(AgreementTable(results.Select(r => (r.Path, r.Ours, r.Refs)).ToList(), names));
        Console.WriteLine(ConfidenceTable(results.Select(r => (r.Ours, r.Confidence, r.Refs)).ToList(), names));
        return 0;
    }

    /// <summary>MIREX Accuracy 1 and 2 of Earworm against each reference and of the references against
    /// each other, overall and per soundtrack (the first folder of the path).</summary>
    public static string AgreementTable(IReadOnlyList<(string Path, double? Ours, double?[] Refs)> results, IReadOnlyList<string> names)
    {
        var md = new StringBuilder();
        var pairs = new List<(string Label, Func<(string Path, double? Ours, double?[] Refs), (double?, double?)> Get)>();
        for (int i = 0; i < names.Count; i++)
        {
            int k = i;
            pairs.Add(($"Earworm vs {names[k]}", r => (r.Ours, r.Refs[k])));
        }
        for (int i = 0; i < names.Count; i++)
        {
            for (int j = i + 1; j < names.Count; j++)
            {
                int p = i, q = j;
                pairs.Add(($"{names[p]} vs {names[q]}", r => (r.Refs[p], r.Refs[q])));
            }
        }
        md.AppendLine("| pair | tracks | Accuracy 1 (±4 %) | Accuracy 2 (±4 %, ×2 ×½ ×3 ×⅓) |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (label, get) in pairs)
        {
            var both = results.Select(get).Where(x => x.Item1 is not null && x.Item2 is not null).Select(x => (x.Item1!.Value, x.Item2!.Value)).ToList();
            int acc1 = both.Count(x => Accuracy1(x.Item1, x.Item2)), acc2 = both.Count(x => Accuracy2(x.Item1, x.Item2));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {both.Count} | {acc1} ({(double)acc1 / Math.Max(1, both.Count):P0}) | {acc2} ({(double)acc2 / Math.Max(1, both.Count):P0}) |");
        }
        if (names.Count > 0)
        {
            md.AppendLine("\nPer soundtrack (the first folder of the path), Earworm's Accuracy 1 / Accuracy 2:\n");
            md.AppendLine("| soundtrack | tracks |" + string.Concat(names.Select(n => $" vs {n} |")));
            md.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", names.Count)));
            foreach (var group in results.Where(r => r.Ours is not null).GroupBy(r => r.Path.Split('/')[0]).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                md.Append(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Count()} |");
                for (int i = 0; i < names.Count; i++)
                {
                    var both = group.Where(r => r.Refs[i] is not null).ToList();
                    int acc1 = both.Count(r => Accuracy1(r.Ours!.Value, r.Refs[i]!.Value)), acc2 = both.Count(r => Accuracy2(r.Ours!.Value, r.Refs[i]!.Value));
                    md.Append(CultureInfo.InvariantCulture, $" {Percent(acc1, both.Count)} / {Percent(acc2, both.Count)} |");
                }
                md.AppendLine();
            }
        }
        return md.ToString();
    }

    /// <summary>Agreement by tempo confidence band: Earworm against each reference, and the first two
    /// references against each other, so the reader sees where the references themselves diverge.</summary>
    public static string ConfidenceTable(IReadOnlyList<(double? Ours, double Confidence, double?[] Refs)> results, IReadOnlyList<string> names)
    {
        var md = new StringBuilder();
        double[] edges = [0, 0.3, 0.45, 0.6, 1.0001];
        md.Append("| tempo confidence | tracks |");
        foreach (var name in names) md.Append(CultureInfo.InvariantCulture, $" Earworm vs {name}: Acc1 / Acc2 |");
        if (names.Count >= 2) md.Append(CultureInfo.InvariantCulture, $" {names[0]} vs {names[^1]}: Acc2 |");
        md.AppendLine();
        md.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", names.Count + (names.Count >= 2 ? 1 : 0))));
        for (int b = 0; b + 1 < edges.Length; b++)
        {
            var band = results.Where(r => r.Ours is not null && r.Confidence >= edges[b] && r.Confidence < edges[b + 1]).ToList();
            md.Append(CultureInfo.InvariantCulture, $"| {edges[b]:0.00}–{Math.Min(1, edges[b + 1]):0.00} | {band.Count} |");
            for (int i = 0; i < names.Count; i++)
            {
                var both = band.Where(r => r.Refs[i] is not null).ToList();
                int a1 = both.Count(r => Accuracy1(r.Ours!.Value, r.Refs[i]!.Value)), a2 = both.Count(r => Accuracy2(r.Ours!.Value, r.Refs[i]!.Value));
                md.Append(CultureInfo.InvariantCulture, $" {Percent(a1, both.Count)} / {Percent(a2, both.Count)} (n {both.Count}) |");
            }
            if (names.Count >= 2)
            {
                var refs = band.Where(r => r.Refs[0] is not null && r.Refs[^1] is not null).ToList();
                md.Append(CultureInfo.InvariantCulture, $" {Percent(refs.Count(r => Accuracy2(r.Refs[0]!.Value, r.Refs[^1]!.Value)), refs.Count)} (n {refs.Count}) |");
            }
            md.AppendLine();
        }
        return md.ToString();
    }

    /// <summary>The study knobs, each defaulting to the estimator's own value: --prior-octaves, --prior-centre,
    /// --bar-weight, --double-ratio, --double-clarity, --ternary-margin, --half-beat.</summary>
    public static TrackDescriptorOptions WithTempoKnobs(TrackDescriptorOptions options, Args a) => options with
    {
        Tempo = options.Tempo with
        {
            PriorOctaves = a.Double("--prior-octaves", options.Tempo.PriorOctaves),
            PriorCentreBpm = a.Double("--prior-centre", options.Tempo.PriorCentreBpm),
            BarWeight = a.Double("--bar-weight", options.Tempo.BarWeight),
            DoubleTimeRatio = a.Double("--double-ratio", options.Tempo.DoubleTimeRatio),
            MinDoubleTimeClarity = a.Double("--double-clarity", options.Tempo.MinDoubleTimeClarity),
            TernaryMargin = a.Double("--ternary-margin", options.Tempo.TernaryMargin),
            MinHalfBeatRatio = a.Double("--half-beat", options.Tempo.MinHalfBeatRatio),
        },
    };

    private static string Percent(int k, int n) => n == 0 ? "—" : ((double)k / n).ToString("P0", CultureInfo.InvariantCulture);

    /// <summary>Reads a reference table: a header "path	name…", then a relative path and one BPM per
    /// reference on each line (empty or 0 when that program gave none).</summary>
    public static (IReadOnlyList<string> Names, Dictionary<string, double?[]> Rows) ReadReferences(string file)
    {
        var lines = File.ReadAllLines(file);
        var names = lines[0].Split('\t')[1..];
        var rows = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        foreach (var c in lines.Skip(1).Select(l => l.Split('\t')).Where(c => c.Length > 1))
            rows[c[0]] = names.Select((_, i) => i + 1 < c.Length && double.TryParse(c[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : (double?)null).ToArray();
        return (names, rows);
    }

    /// <summary>MIREX Accuracy 1: within 4 % of the reference.</summary>
    public static bool Accuracy1(double bpm, double reference) => MirexScores.TempoAccuracy1(bpm, reference);

    /// <summary>MIREX Accuracy 2: within 4 % of the reference or of its double, half, triple or third.</summary>
    public static bool Accuracy2(double bpm, double reference) => MirexScores.TempoAccuracy2(bpm, reference);

    private static string EnvelopeFile(string cache, string relativePath) =>
        Path.Combine(cache, relativePath.Replace('/', '_') + ".f64");
}
