using System.Globalization;
using System.Text;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Audio.Midi;
using Earworm.Audio.Synthesis;

namespace Earworm.Benchmarks;

/// <summary>
/// A tempo and key ground-truth set made by Earworm itself: MIDI pieces whose tempo, metre and key
/// are known, rendered with FluidSynth and a General MIDI soundfont (apt-get install -y fluidsynth
/// timgm6mb-soundfont planetblupi-music-midi).
///   Earworm.Benchmarks midi-set --out DIR [--per-feel 24] [--seconds 60] [--seed 1] [--soundfont SF2]
///                                 [--planetblupi /usr/share/planetblupi/music | none] [--workers 2]
/// Writes DIR/CATEGORY/NAME.mid and NAME.wav (44.1 kHz stereo) and DIR/truth.tsv: for every piece the
/// ground truth read back from its MIDI file (<see cref="MidiGroundTruth"/>). Categories: the five
/// feels GrooveWriter writes (straight, swing, shuffle, 6-8, 12-8), each over its typical tempo range
/// (stratified, log-uniform), keys drawn at random, major and minor in turn, every fourth piece
/// without drums; and Planet Blupi's MIDI soundtrack as Debian packages it. Resumable: a WAV newer
/// than its MIDI file is kept.
/// </summary>
internal static class MidiSet
{
    public const string TruthFile = "truth.tsv";

    /// <summary>Folder name of each feel.</summary>
    public static string Category(Feel feel) => feel switch
    {
        Feel.SixEight => "6-8",
        Feel.TwelveEight => "12-8",
        _ => feel.ToString().ToLowerInvariant(),
    };

    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        var outDir = Directory.CreateDirectory(a.Get("--out") ?? throw new ArgumentException("--out DIR is required")).FullName;
        int perFeel = a.Int("--per-feel", 24), workers = a.Int("--workers", 2), seed = a.Int("--seed", 1);
        double seconds = a.Double("--seconds", 60);
        var blupi = a.Get("--planetblupi") ?? "/usr/share/planetblupi/music";
        var renderer = FluidSynthRenderer.Locate(new FluidSynthOptions { SoundFontPath = a.Get("--soundfont") });
        Console.WriteLine($"soundfont: {renderer.SoundFontPath}");

        // 1. The MIDI files.
        var pieces = new List<(string Category, string Midi, bool? Drums)>();
        var random = new Random(seed);
        foreach (var feel in Enum.GetValues<Feel>())
        {
            var (min, max) = GrooveSpec.TypicalTempi(feel);
            string category = Category(feel);
            Directory.CreateDirectory(Path.Combine(outDir, category));
            for (int i = 0; i < perFeel; i++)
            {
                double bpm = Math.Round(min * Math.Pow(max / min, (i + random.NextDouble()) / perFeel), 1);
                var spec = new GrooveSpec(feel, bpm, random.Next(12), i % 2 == 0 ? Mode.Major : Mode.Minor, seconds, seed * 10_000 + (int)feel * 1000 + i)
                {
                    Drums = i % 4 != 3,
                };
                var path = Path.Combine(outDir, category, string.Create(CultureInfo.InvariantCulture, $"{category}-{i:00}-{bpm:0}bpm.mid"));
                var bytes = MidiWriter.Write(GrooveWriter.Write(spec));
                if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes)) MidiWriter.WriteFile(MidiReader.Read(bytes), path);
                pieces.Add((category, path, spec.Drums));
            }
        }
        if (blupi != "none" && Directory.Exists(blupi))
        {
            Directory.CreateDirectory(Path.Combine(outDir, "planetblupi"));
            foreach (var source in Directory.GetFiles(blupi, "*.mid").Order(StringComparer.Ordinal))
            {
                var path = Path.Combine(outDir, "planetblupi", Path.GetFileName(source));
                if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) < File.GetLastWriteTimeUtc(source)) File.Copy(source, path, overwrite: true);
                pieces.Add(("planetblupi", path, null));
            }
        }

        // 2. Renderings.
        int done = 0;
        await Parallel.ForEachAsync(pieces, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (p, ct) =>
        {
            var wav = Path.ChangeExtension(p.Midi, ".wav");
            if (!File.Exists(wav) || File.GetLastWriteTimeUtc(wav) < File.GetLastWriteTimeUtc(p.Midi))
                await renderer.RenderAsync(p.Midi, wav, ct);
            int n = Interlocked.Increment(ref done);
            if (n % 20 == 0 || n == pieces.Count) Console.Error.WriteLine($"rendered {n}/{pieces.Count}");
        });

        // 3. The ground truth, read back from each MIDI file as from anyone's.
        var tsv = new StringBuilder("path\tcategory\tbeat_bpm\tquarter_bpm\tmetre\ttempo_share\tkey\tkey_signatures\tscore_key\tgrid_share\tseconds\tdrums\n");
        foreach (var p in pieces)
        {
            var truth = MidiGroundTruth.Of(MidiReader.ReadFile(p.Midi));
            var scoreKey = KeyEstimator.Estimate(Normalised(truth.PitchClassSeconds));
            tsv.Append(CultureInfo.InvariantCulture,
                $"{Path.GetRelativePath(outDir, Path.ChangeExtension(p.Midi, ".wav"))}\t{p.Category}\t{truth.BeatBpm:0.###}\t{truth.QuarterBpm:0.###}\t{truth.TimeSignature}\t{truth.TempoShare:0.###}\t");
            tsv.Append(CultureInfo.InvariantCulture,
                $"{truth.KeyName}\t{truth.KeySignatureCount}\t{scoreKey?.Name}\t{truth.GridShare:0.###}\t{truth.DurationSeconds:0.0}\t{(p.Drums is bool d ? (d ? "yes" : "no") : "")}\n");
        }
        await File.WriteAllTextAsync(Path.Combine(outDir, TruthFile), tsv.ToString());
        Console.WriteLine(tsv.ToString());
        Console.WriteLine($"{pieces.Count} pieces; truth: {Path.Combine(outDir, TruthFile)}");
        return 0;
    }

    private static double[] Normalised(IReadOnlyList<double> values)
    {
        double max = values.Max();
        return max > 0 ? [.. values.Select(v => v / max)] : new double[values.Count];
    }
}
