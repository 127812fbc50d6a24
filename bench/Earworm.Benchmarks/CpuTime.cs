using System.Runtime.InteropServices;

namespace Earworm.Benchmarks;

/// <summary>CPU seconds (user + system) of this process and of its reaped children (ffmpeg, ffprobe),
/// from getrusage(2). Unlike wall time, the CPU a piece of work needs is barely moved by other load on
/// the machine, so the ratio of CPU costs is the steadier figure on a shared 2-core box.</summary>
internal static partial class CpuTime
{
    public readonly record struct Sample(double SelfSeconds, double ChildrenSeconds)
    {
        public double Total => SelfSeconds + ChildrenSeconds;
        public static Sample operator -(Sample a, Sample b) => new(a.SelfSeconds - b.SelfSeconds, a.ChildrenSeconds - b.ChildrenSeconds);
    }

    public static Sample Now() => new(Seconds(0 /* RUSAGE_SELF */), Seconds(-1 /* RUSAGE_CHILDREN */));

    /// <summary>The CPU seconds (user and system) another process has used so far, as its own getrusage would say
    /// (<c>/proc/PID/stat</c>, fields 14 and 15, in clock ticks of 1/100 s); NaN when it is gone.</summary>
    public static double OfProcess(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return double.NaN;
        }
        // after the command's name in parentheses (which may hold spaces): state is field 3, utime 14, stime 15
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    // struct rusage on 64-bit Linux: two timevals then fourteen longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, out Rusage usage);

    private static double Seconds(int who) =>
        GetRusage(who, out var r) == 0
            ? r.UserSeconds + r.UserMicroseconds / 1e6 + r.SystemSeconds + r.SystemMicroseconds / 1e6
            : double.NaN;
}
