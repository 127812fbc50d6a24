using System.Diagnostics;
using System.Globalization;
using System.Text;
using Earworm.Learning.Factorization;
using Earworm.Learning.Synthetic;

namespace Earworm.Benchmarks;

/// <summary>
/// ALS at a music service's scale (<c>als-scale</c>): a synthetic log (<see cref="SyntheticListening"/>: Zipf
/// popularity, two tastes a user; default 1 M users × 500 000 items × 100 M interactions) made directly into the
/// matrix's compressed rows, then <c>--iterations</c> iterations of implicit ALS with Earworm's <c>train cf</c>
/// settings (64 factors, 3 CG steps) on <c>--threads</c> threads. Prints seconds per iteration (each, and the median;
/// also the process's CPU seconds per iteration over the threads: the time on cores that are the run's alone),
/// the peak resident memory, and how many of 200 users' top-10 fall in their own two tastes against chance: ALS found
/// the structure. <c>--write-log FILE</c> streams the same log as CSV (user,item,timestamp) instead and stops.
/// </summary>
internal static class AlsScaleBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        var log = new SyntheticListeningOptions
        {
            Users = a.Int("--users", 1_000_000), Items = a.Int("--items", 500_000),
            Interactions = long.Parse(a.Get("--interactions") ?? "100000000", CultureInfo.InvariantCulture),
            Tastes = a.Int("--tastes", 64), Seed = a.Int("--seed", 42),
        };
        var options = AlsOptions.Default with
        {
            Factors = a.Int("--factors", 64), Iterations = a.Int("--iterations", 5), Threads = a.Int("--threads", 2),
            ConjugateGradientSteps = a.Int("--cg-steps", 3),
        };
        using var memory = new MemorySampler();
        var clock = Stopwatch.StartNew();
        var synthetic = new SyntheticListening(log);
        if (a.Get("--write-log") is { } path) return WriteLog(synthetic, path, clock);

        var matrix = synthetic.Matrix(options.Threads);
        Console.WriteLine(F($"als-scale: {log.Users:N0} users × {log.Items:N0} items, {matrix.NonZeros:N0} interactions ({log.Tastes} tastes) made in {clock.Elapsed.TotalSeconds:0.0} s; {options.Factors} factors, {options.ConjugateGradientSteps} CG steps, {options.Threads} threads; load average {Load()}"));
        var marks = new List<TimeSpan>();
        var cpu = new List<double> { IdleWait.ProcessCpuSeconds() };
        var fit = Stopwatch.StartNew();
        var model = new AlsTrainer(options).Fit(matrix, new AlsBenchmark.Synchronous(p =>
        {
            marks.Add(p.Elapsed);
            cpu.Add(IdleWait.ProcessCpuSeconds());
            var step = p.Elapsed - (marks.Count > 1 ? marks[^2] : TimeSpan.Zero);
            Console.WriteLine(F($"  iteration {p.Iteration}: {step.TotalSeconds:0.00} s, {cpu[^1] - cpu[^2]:0.0} CPU-s; RSS {Rss() / 1048576.0:N0} MiB; load average {Load()}"));
        }));
        double seconds = fit.Elapsed.TotalSeconds;
        var steps = marks.Select((t, i) => (t - (i == 0 ? TimeSpan.Zero : marks[i - 1])).TotalSeconds).ToList();
        // CPU seconds over the threads: what an iteration takes on a machine whose cores are this run's alone
        var cpuSteps = Enumerable.Range(1, cpu.Count - 1).Select(i => (cpu[i] - cpu[i - 1]) / options.Threads).ToList();

        int hits = 0, shown = 0;
        for (int u = 0; u < 200; u++)
        {
            int user = (int)((long)u * log.Users / 200);
            foreach (int i in model.Recommend(user, matrix, 10).Ids)
            {
                shown++;
                int t = synthetic.TasteOfItem(i);
                if (t == synthetic.TasteOf(user, 0) || t == synthetic.TasteOf(user, 1)) hits++;
            }
        }
        Console.WriteLine(F($"median {Stats.Median(steps):0.00} s/iteration, CPU-s / threads {Stats.Median(cpuSteps):0.00} ({options.Iterations} iterations, fit {seconds:0.0} s, the first {steps[0]:0.00} s with the setup); peak RSS {memory.PeakBytes / 1073741824.0:0.00} GiB; top-10 in the user's tastes {hits * 100.0 / shown:0}% (chance {200.0 / log.Tastes:0.0}%); load average {Load()}"));
        return 0;
    }

    /// <summary>The log as CSV, users in order, each user's plays one minute apart: item keys are opaque (<c>i17</c>).</summary>
    private static int WriteLog(SyntheticListening synthetic, string path, Stopwatch clock)
    {
        var o = synthetic.Options;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("user,item,timestamp\n");
        var seen = new HashSet<int>();
        var row = new int[0];
        for (int u = 0; u < o.Users; u++)
        {
            int n = synthetic.RowLength(u);
            if (row.Length < n) row = new int[n];
            synthetic.Row(u, row.AsSpan(0, n), seen);
            for (int j = 0; j < n; j++) writer.Write(F($"u{u},i{row[j]},{1_600_000_000L + 60L * (synthetic.RowStart(u) + j)}\n"));
            if ((u + 1) % 100_000 == 0) Console.WriteLine(F($"  {u + 1:N0} users, {synthetic.RowStart(u + 1):N0} rows, {clock.Elapsed.TotalSeconds:0} s"));
        }
        Console.WriteLine(F($"wrote {synthetic.Interactions:N0} rows to {path} in {clock.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private static long Rss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
