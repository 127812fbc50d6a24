using System.Diagnostics;
using Earworm.Audio.Spectral;

namespace Earworm.Benchmarks;

/// <summary>Log-mel throughput on one thread, in audio-seconds per second (the anchors: torchaudio
/// 1 450, librosa 2 253 on this kind of machine, bench/ANCHORS.md in shared). Input: seeded noise
/// plus tones, cut into 10-second excerpts as the scanner computes them.</summary>
internal static class LogMelBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        double seconds = a.Double("--seconds", 600);
        int runs = a.Int("--runs", 5);
        var options = LogMelOptions.Default;
        var rng = new Random(42);
        var excerpt = new float[10 * options.SampleRate];
        for (int i = 0; i < excerpt.Length; i++)
            excerpt[i] = (float)(0.1 * (rng.NextDouble() * 2 - 1) + 0.3 * Math.Sin(2 * Math.PI * 440 * i / options.SampleRate));
        var computer = new LogMelComputer(options);
        var output = new float[options.MelBands * computer.FrameCount(excerpt.Length)];
        computer.Compute(excerpt, output); // warm-up
        int repeats = (int)Math.Ceiling(seconds / 10);
        var rates = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < repeats; i++) computer.Compute(excerpt, output);
            rates.Add(repeats * 10 / clock.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"log-mel, 1 thread: median {Stats.Median(rates):0} audio-s/s over {runs} runs of {repeats * 10} s " +
                          $"(runs: {string.Join(", ", rates.Select(x => x.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))})");
        return 0;
    }
}
