using System.Diagnostics;
using System.Globalization;

namespace Earworm.Benchmarks;

/// <summary>
/// Waits, before a timed run, until the machine is quiet — under 15 % busy over two consecutive
/// one-second samples of /proc/stat, at most 300 s — as the anchors' common.wait_idle() does, so
/// Earworm and the reference are timed under the same rule on a machine shared with other work.
/// Also measures this process's CPU seconds, which other work disturbs less than wall time.
/// </summary>
internal static class IdleWait
{
    public static bool Wait(double threshold = 0.15, int maxSeconds = 300)
    {
        if (!File.Exists("/proc/stat")) return true;
        var clock = Stopwatch.StartNew();
        int quiet = 0;
        while (clock.Elapsed.TotalSeconds < maxSeconds)
        {
            var (busy0, all0) = Sample();
            Thread.Sleep(1000);
            var (busy1, all1) = Sample();
            quiet = (busy1 - busy0) / Math.Max(1e-9, all1 - all0) < threshold ? quiet + 1 : 0;
            if (quiet >= 2) return true;
        }
        Console.WriteLine($"  [machine still busy after {maxSeconds} s; timing anyway]");
        return false;
    }

    public static double ProcessCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static (double Busy, double All) Sample()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        double idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
        double all = fields.Sum();
        return (all - idle, all);
    }
}
