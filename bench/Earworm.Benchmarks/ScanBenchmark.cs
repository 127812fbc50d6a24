using System.Diagnostics;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using static Earworm.Benchmarks.Stats;

namespace Earworm.Benchmarks;

/// <summary>
/// Scan throughput against its ceiling, in one run: the ceiling is ffmpeg decoding the same files
/// alone (<c>ffmpeg -v error -i F -map 0:a:0 -ac 1 -ar 22050 -flush_packets 0 -f f32le -</c>, read from the pipe and
/// thrown away) with the same number of processes at once; the scan is <see cref="LibraryScanner"/> into a fresh catalog with that many
/// workers, first without descriptors (the foundation: decode, log-mel, excerpts, catalog), then with
/// them. Runs alternate (ceiling, scan, scan with descriptors, …) so all see the same machine; the
/// figures are medians. Goals: the foundation scan ≥ 90% of the ceiling, peak memory (this process +
/// its ffmpeg children) ≤ 1 GB; descriptors add at most 30% to the scan time.
/// </summary>
internal static class ScanBenchmark
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var a = new Args(argv);
        var dir = a.Get("--dir") ?? throw new ArgumentException("--dir DIR is required (e.g. the output of shared/data/fetch-debian-music.sh)");
        int count = a.Int("--tracks", 50), workers = a.Int("--workers", 2), runs = a.Int("--runs", 3);
        var tools = FfmpegTools.Locate();
        var decoder = new FfmpegDecoder(tools);

        // Every file under DIR is accounted for: skipped by the walker (with the reason), unreadable by ffprobe (a
        // benchmark of failures measures nothing), or a candidate. Then a deterministic choice: one file of each
        // extension first (modules and rare formats are measured too), the rest an even spread in path order.
        var skipped = new List<SkippedFile>();
        var all = new List<(string Path, double Seconds)>();
        int unreadable = 0;
        foreach (var f in LibraryWalker.Walk(LibraryWalker.CanonicalRoots([dir]), skipped.Add, CancellationToken.None))
        {
            try
            {
                if ((await decoder.ProbeAsync(f.Path, CancellationToken.None)).DurationSeconds is { } d) all.Add((f.Path, d));
                else Console.WriteLine($"  left out (no duration): {f.Path}");
            }
            catch (MediaReadException e)
            {
                unreadable++;
                Console.WriteLine($"  left out (unreadable: {e.Reason}): {e.FilePath}");
            }
        }
        foreach (var f in skipped) Console.WriteLine($"  skipped by the walker: {f.Path}: {f.Reason}");
        var chosen = Choose(all, count);
        var files = chosen.Select(c => c.Path).ToList();
        double audioSeconds = chosen.Sum(c => c.Seconds);
        Console.WriteLine($"{dir}: {all.Count + unreadable + skipped.Count} files = {all.Count} readable audio + {unreadable} unreadable + {skipped.Count} not audio");
        Console.WriteLine($"chosen: {string.Join(", ", chosen.GroupBy(c => Path.GetExtension(c.Path).ToLowerInvariant()).Select(g => $"{g.Count()} {g.Key}"))}");
        foreach (var f in files) Console.WriteLine($"  {f}");
        Console.WriteLine($"scan benchmark: {files.Count} files, {audioSeconds / 60:0.0} min of audio, {workers} workers, {runs} runs, {Environment.ProcessorCount} cores");

        var ceiling = new List<double>();
        var scan = new List<double>();
        var wallRatio = new List<double>();
        var cpuRatio = new List<double>();
        var peaks = new List<long>();
        var describedCost = new List<double>();
        var describedCpuCost = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            var cpu0 = CpuTime.Now();
            var t = await DecodeOnlyAsync(tools, files, workers);
            var decodeSample = CpuTime.Now() - cpu0;
            var decodeCpu = decodeSample.Total;
            ceiling.Add(audioSeconds / t);
            var cpu1 = CpuTime.Now();
            var (scanSeconds, decoded, peak, failed) = await ScanOnceAsync(decoder, files, workers, descriptors: false);
            if (failed > 0) Console.WriteLine($"  {failed} of the chosen files failed in the scan (see above): the ratio counts only what was analysed");
            var scanCpu = CpuTime.Now() - cpu1;
            var cpu2 = CpuTime.Now();
            var (describedSeconds, _, describedPeak, _) = await ScanOnceAsync(decoder, files, workers, descriptors: true);
            var describedCpu = (CpuTime.Now() - cpu2).Total;
            describedCost.Add(describedSeconds / scanSeconds - 1);
            describedCpuCost.Add(describedCpu / scanCpu.Total - 1);
            peak = Math.Max(peak, describedPeak);
            scan.Add(decoded / scanSeconds);
            wallRatio.Add(decoded / scanSeconds / (audioSeconds / t));
            cpuRatio.Add(decodeCpu / scanCpu.Total);
            peaks.Add(peak);
            Console.WriteLine($"  run {r + 1}: decode-only {audioSeconds / t,7:0} audio-s/s   scan {decoded / scanSeconds,7:0} audio-s/s   " +
                              $"ratio {wallRatio[^1]:P1}   CPU: decode {decodeCpu:0.0} s (ffmpeg {decodeSample.ChildrenSeconds:0.0} s + reading the pipes {decodeSample.SelfSeconds:0.0} s), scan {scanCpu.Total:0.0} s " +
                              $"(Earworm {scanCpu.SelfSeconds:0.0} s + ffmpeg {scanCpu.ChildrenSeconds:0.0} s), ratio {decodeCpu / scanCpu.Total:P1}   " +
                              $"peak RSS {peak / 1048576.0:0} MiB   failed {failed}   load {InteractionData.LoadAverage()}");
            Console.WriteLine($"         with descriptors: {describedSeconds:0.0} s vs {scanSeconds:0.0} s ({describedSeconds / scanSeconds - 1:+0%;-0%}), " +
                              $"CPU {describedCpu:0.0} s vs {scanCpu.Total:0.0} s ({describedCpu / scanCpu.Total - 1:+0%;-0%})");
        }
        double c = Median(ceiling), s = Median(scan);
        Console.WriteLine();
        Console.WriteLine("| measure | median |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| ffmpeg decode only ({workers} processes), audio-s per wall-s | {c:0} |");
        Console.WriteLine($"| earworm scan without descriptors ({workers} workers), audio-s per wall-s | {s:0} |");
        Console.WriteLine($"| scan / ceiling (wall), median of the runs' ratios | {Median(wallRatio):P1} ({wallRatio.Min():P1}–{wallRatio.Max():P1}; goal ≥ 90%) |");
        Console.WriteLine($"| decode CPU / scan CPU (steadier under load) | {Median(cpuRatio):P1} ({cpuRatio.Min():P1}–{cpuRatio.Max():P1}) |");
        Console.WriteLine($"| time added by descriptors (wall / CPU) | {Median(describedCost):+0%;-0%} / {Median(describedCpuCost):+0%;-0%} (goal ≤ 30%) |");
        Console.WriteLine($"| peak RSS, scan + ffmpeg children | {Median(peaks.Select(p => (double)p).ToList()) / 1048576.0:0} MiB (max {peaks.Max() / 1048576.0:0}; goal ≤ 1024) |");
        return 0;
    }

    // The scan's own ffmpeg command (FfmpegDecoder: first audio stream, mono, 22 050 Hz, f32le, -flush_packets 0) writing
    // to a pipe that this process drains on a thread of its own and throws away: the same processes, pipes and wake-ups
    // as the scan, less everything Earworm does with the samples. (To /dev/null instead, ffmpeg never waits on a reader,
    // and on a loaded machine the scheduler then gives the two processes about half the CPU it gives the scan's.)
    private static async Task<double> DecodeOnlyAsync(FfmpegTools tools, IReadOnlyList<string> files, int workers)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (f, ct) =>
        {
            var psi = new ProcessStartInfo(tools.FfmpegPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var x in new[] { "-nostdin", "-v", "error", "-i", f, "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", "22050",
                         "-flush_packets", "0", "-f", "f32le", "-" })
                psi.ArgumentList.Add(x);
            using var p = Process.Start(psi)!;
            var drain = Task.Factory.StartNew(() =>
            {
                var buffer = new byte[1 << 18];
                while (p.StandardOutput.BaseStream.Read(buffer) > 0) { }
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await p.StandardError.ReadToEndAsync(ct);
            await drain;
            await p.WaitForExitAsync(ct);
        });
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double Seconds, double AudioSeconds, long PeakBytes, int Failed)> ScanOnceAsync(
        FfmpegDecoder decoder, IReadOnlyList<string> files, int workers, bool descriptors)
    {
        var tmp = Directory.CreateTempSubdirectory("earworm-bench-").FullName;
        try
        {
            var catalogPath = Path.Combine(tmp, "catalog.db");
            using var catalog = CatalogStore.Open(catalogPath);
            var scanner = new LibraryScanner(catalog, new ExcerptStore(ExcerptStore.DefaultFor(catalogPath)), decoder, new ScanOptions { Workers = workers, Descriptors = descriptors });
            GC.Collect();
            using var memory = new MemorySampler();
            var clock = Stopwatch.StartNew();
            var summary = await scanner.ScanAsync(files, null, CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            foreach (var f in summary.Failures) Console.WriteLine($"  failed in the scan: {f.Path}: {f.Reason}");
            if (summary.Analysed + summary.Failed != files.Count)
                throw new InvalidOperationException($"{files.Count} files given, {summary.Analysed} analysed + {summary.Failed} failed: some are unaccounted for");
            return (seconds, summary.AudioSeconds, memory.PeakBytes, summary.Failed);
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }

    // One of each extension first (in path order), then an even spread over all files to make up the count.
    internal static List<(string Path, double Seconds)> Choose(List<(string Path, double Seconds)> all, int count)
    {
        if (all.Count <= count) return all;
        var picked = all.GroupBy(f => Path.GetExtension(f.Path).ToLowerInvariant()).Select(g => g.First()).Take(count).ToHashSet();
        int k = count - picked.Count;
        foreach (var f in Enumerable.Range(0, Math.Max(k, 0)).Select(i => all[(int)((long)i * all.Count / Math.Max(k, 1))]))
            if (!picked.Add(f)) picked.Add(all.First(x => !picked.Contains(x)));
        return [.. all.Where(picked.Contains)];
    }
}
