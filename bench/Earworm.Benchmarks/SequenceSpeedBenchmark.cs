using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Earworm.Content.Sequences;
using Earworm.Learning;
using Earworm.Learning.Sequences;
using static TorchSharp.torch;

namespace Earworm.Benchmarks;

/// <summary>
/// SASRec's training throughput in Earworm (<see cref="SequenceModelTrainer"/>, TorchSharp) against the same network,
/// loss and batches in PyTorch (bench/sasrec_torch.py under Debian's python3-torch, once as Debian links it, with the
/// reference BLAS, and once with OpenBLAS's libblas.so.3 first on the library path when libopenblas0-pthread is there),
/// in the same run, and the time of one next-track request over a large catalogue. Training: Markov sequences
/// (<see cref="MarkovSequences"/>, 10 % skips) written to a file both read; each round trains each contender for a few
/// epochs, a different one first each round; the epochs after the first (warm-up) give windows/s by wall time and by
/// the process's CPU time; ratio Earworm / PyTorch per round, median over rounds. Inference: an untrained SASRec over
/// that many items (the time does not depend on the weights), a random history of the maximum length per request,
/// timed as NextService serves one: the forward pass, every item's score, the top 10 with the history left out; wall
/// time and the thread's CPU time (with one thread, libtorch and OpenBLAS compute on the caller's).
/// </summary>
internal static class SequenceSpeedBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        int items = a.Int("--items", 10_000), sequences = a.Int("--sequences", 1024), rounds = a.Int("--rounds", 3);
        int epochs = a.Int("--epochs", 3), threads = a.Int("--threads", 1);
        int inferenceItems = a.Int("--inference-items", 100_000), requests = a.Int("--requests", 1000);
        string python = a.Get("--python") ?? "/usr/bin/python3", script = a.Get("--script") ?? Path.Combine("bench", "sasrec_torch.py");
        if (epochs < 2) throw new ArgumentException("--epochs must be at least 2: the first is a warm-up");
        if (items < 200 || items % 100 != 0) throw new ArgumentException("--items must be a multiple of 100, at least 200 (topics of 100 items)");
        if (!File.Exists(script)) throw new FileNotFoundException($"{script} not found: run from the repository root or give --script");
        var options = new SequenceModelOptions
        {
            Architecture = SequenceArchitecture.SasRec, Epochs = epochs, Threads = threads, BatchSize = a.Int("--batch-size", 128),
            // what sasrec_torch.py trains: binary cross-entropy against 16 shared negatives, every item a target, random
            // embeddings, a constant step (whatever `train sequence` defaults to)
            Loss = SequenceLoss.BinaryCrossEntropy, Negatives = 16, MinCount = 1, Init = SequenceInit.Random, Schedule = LearningRateSchedule.Constant,
            LearningRate = 1e-3, Dropout = 0.2,
        }.Validated();

        var data = MarkovSequences.Generate(new MarkovSequenceOptions
        {
            Topics = items / 100, ItemsPerTopic = 100, Sequences = sequences, MinLength = 20, MaxLength = 80, Skip = 0.1, Seed = 3,
        }, out int itemCount);
        var file = Path.Combine(Path.GetTempPath(), $"earworm-sequence-speed-{Environment.ProcessId}.txt");
        try
        {
            File.WriteAllText(file, SequenceFile(data));
            var common = F($"--items {itemCount} --embedding {options.EmbeddingSize} --layers {options.Layers} --heads {options.Heads} --max-length {options.MaxLength} ") +
                         F($"--dropout {options.Dropout} --negatives {options.EffectiveNegatives} --batch-size {options.BatchSize} --learning-rate {options.LearningRate} ") +
                         F($"--seed {options.Seed} --threads {threads}");
            Console.WriteLine(F($"sequence-speed: SASRec d {options.EmbeddingSize}, {options.Layers} blocks, {options.Heads} head, length {options.MaxLength}, ") +
                              F($"dropout {options.Dropout}, {options.EffectiveNegatives} negatives, batch {options.BatchSize}; {data.Count} sequences over {itemCount} items; ") +
                              F($"{epochs} epochs a run (first a warm-up), {rounds} rounds, {threads} thread(s); load average {InteractionData.LoadAverage()}"));
            // Debian's PyTorch runs its matrix products in whatever libblas.so.3 the loader finds first: OpenBLAS's
            // (libopenblas0-pthread) when that folder leads the library path, the reference BLAS (libblas3) when its does;
            // the system's own choice (update-alternatives) is left out of it. OpenBLAS is the reference that counts; the
            // reference BLAS (as Debian ships PyTorch without libopenblas0) only with --reference-blas or without OpenBLAS
            var openblas = a.Get("--openblas") ?? "/usr/lib/x86_64-linux-gnu/openblas-pthread";
            var netlib = a.Get("--netlib") ?? "/usr/lib/x86_64-linux-gnu/blas";
            var references = new List<(string Name, string? LibraryPath)>();
            bool hasOpenBlas = File.Exists(Path.Combine(openblas, "libblas.so.3"));
            if (hasOpenBlas) references.Add(("PyTorch, OpenBLAS", openblas));
            else Console.WriteLine($"  no OpenBLAS in {openblas} (apt-get install -y libopenblas0-pthread, or --openblas DIR): PyTorch with the reference BLAS only");
            if (!hasOpenBlas || a.Has("--reference-blas"))
                references.Add(File.Exists(Path.Combine(netlib, "libblas.so.3")) ? ("PyTorch, reference BLAS", netlib) : ("PyTorch, the system's BLAS", null));
            var rates = new Dictionary<string, (List<double> Wall, List<double> Cpu)> { ["Earworm"] = ([], []) };
            foreach (var (name, _) in references) rates[name] = ([], []);
            var ratios = references.ToDictionary(x => x.Name, _ => (Wall: new List<double>(), Cpu: new List<double>()));
            long earwormParameters = 0, torchParameters = 0;
            string torchVersion = "?";
            for (int r = 0; r < rounds; r++)
            {
                var runs = new Dictionary<string, (double Wall, double Cpu, long Parameters, int Windows)>();
                // a different one goes first each round, so a drift in the machine's load falls on all of them
                for (int turn = 0; turn <= references.Count; turn++)
                {
                    int who = (turn + r) % (references.Count + 1);
                    if (who == 0)
                    {
                        runs["Earworm"] = TrainEarworm(options, data, itemCount);
                        continue;
                    }
                    var (name, libraryPath) = references[who - 1];
                    using var json = Python(python, F($"{script} train --data {file} --epochs {epochs} {common}"), libraryPath, threads);
                    var root = json.RootElement;
                    var later = root.GetProperty("epochs").EnumerateArray().Skip(1).ToList();
                    runs[name] = (Stats.Median(later.Select(e => e.GetProperty("wall_s").GetDouble())), Stats.Median(later.Select(e => e.GetProperty("cpu_s").GetDouble())),
                                  root.GetProperty("parameters").GetInt64(), root.GetProperty("windows").GetInt32());
                    torchVersion = root.GetProperty("torch").GetString() ?? "?";
                }
                var mine = runs["Earworm"];
                var line = new StringBuilder(F($"  round {r + 1}: {mine.Windows} windows/epoch; "));
                foreach (var (name, run) in runs)
                {
                    if (run.Windows != mine.Windows) throw new InvalidOperationException($"Earworm cut {mine.Windows} windows, {name} {run.Windows}");
                    rates[name].Wall.Add(run.Windows / run.Wall);
                    rates[name].Cpu.Add(run.Windows / run.Cpu);
                    line.Append(F($"{name} {run.Windows / run.Wall:0} windows/s ({run.Windows / run.Cpu:0}/CPU-s); "));
                    if (name == "Earworm") continue;
                    torchParameters = run.Parameters;
                    ratios[name].Wall.Add(run.Wall / mine.Wall);
                    ratios[name].Cpu.Add(run.Cpu / mine.Cpu);
                }
                earwormParameters = mine.Parameters;
                Console.WriteLine(line.Append(F($"load average {InteractionData.LoadAverage()}")));
            }

            var earwormLatency = InferEarworm(options, inferenceItems, requests, out long inferenceParameters);
            var inferenceArguments = F($"{script} infer --requests {requests} {common.Replace(F($"--items {itemCount}"), F($"--items {inferenceItems}"), StringComparison.Ordinal)}");
            var torchLatency = references.Select(x =>
            {
                using var json = Python(python, inferenceArguments, x.LibraryPath, threads);
                return (x.Name, Parameters: json.RootElement.GetProperty("parameters").GetInt64(),
                        Ms: Sorted(json.RootElement, "request_ms"), Cpu: Sorted(json.RootElement, "request_cpu_ms"));
            }).ToList();

            Console.WriteLine();
            Console.WriteLine(F($"SASRec training, {threads} thread(s), windows/s, median of {rounds} rounds (PyTorch {torchVersion}); parameters: Earworm {earwormParameters:N0}, PyTorch {torchParameters:N0}"));
            Console.WriteLine();
            Console.WriteLine("| | windows/s, wall | windows per CPU-second | Earworm / this, wall | Earworm / this, CPU |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (name, (wall, cpu)) in rates)
            {
                var ratio = name == "Earworm" ? "" : F($"**{Stats.Median(ratios[name].Wall):0.00}×** ({ratios[name].Wall.Min():0.00}–{ratios[name].Wall.Max():0.00}) | {Stats.Median(ratios[name].Cpu):0.00}× ({ratios[name].Cpu.Min():0.00}–{ratios[name].Cpu.Max():0.00})");
                Console.WriteLine(F($"| {name} | {Stats.Median(wall):0} | {Stats.Median(cpu):0} | {(ratio.Length == 0 ? " | " : ratio)} |"));
            }
            Console.WriteLine();
            Console.WriteLine(F($"Next track over {inferenceItems:N0} items ({inferenceParameters:N0} parameters), {requests} requests: forward pass, every item's score, top 10"));
            Console.WriteLine();
            Console.WriteLine("| | p50 | p99 | CPU p50 | CPU p99 |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Console.WriteLine(F($"| Earworm | {Q(earwormLatency.Wall, 0.5)} | **{Q(earwormLatency.Wall, 0.99)}** | {Q(earwormLatency.Cpu, 0.5)} | {Q(earwormLatency.Cpu, 0.99)} |"));
            foreach (var (name, _, ms, cpu) in torchLatency)
                Console.WriteLine(F($"| {name} (inference_mode) | {Q(ms, 0.5)} | {Q(ms, 0.99)} | {Q(cpu, 0.5)} | {Q(cpu, 0.99)} |"));
            Console.WriteLine(F($"load average at the end {InteractionData.LoadAverage()}"));
            bool ok = earwormParameters == torchParameters && torchLatency.All(x => x.Parameters == inferenceParameters);
            if (!ok) Console.WriteLine("parameter counts differ: the two networks are not the same architecture");
            return ok ? 0 : 1;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>One sequence a line, items by index, a skipped one with a trailing "s" (what sasrec_torch.py reads).</summary>
    private static string SequenceFile(IReadOnlyList<Sequence> sequences)
    {
        var text = new StringBuilder();
        foreach (var s in sequences)
        {
            for (int p = 0; p < s.Length; p++) text.Append(p == 0 ? "" : " ").Append(s.Items[p].ToString(CultureInfo.InvariantCulture)).Append(s.IsSkipped(p) ? "s" : "");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Earworm's trainer; the median wall and CPU seconds of the epochs after the first.</summary>
    private static (double Wall, double Cpu, long Parameters, int Windows) TrainEarworm(SequenceModelOptions options, IReadOnlyList<Sequence> data, int itemCount)
    {
        var marks = new List<(double Wall, double Cpu)>();
        var clock = Stopwatch.StartNew();
        var trainer = new SequenceModelTrainer(options);
        using var model = (NeuralSequenceModel)trainer.Fit(data, itemCount, new EpochMarks(() => marks.Add((clock.Elapsed.TotalSeconds, IdleWait.ProcessCpuSeconds()))), CancellationToken.None);
        var walls = marks.Zip(marks.Skip(1), (x, y) => y.Wall - x.Wall);
        var cpus = marks.Zip(marks.Skip(1), (x, y) => y.Cpu - x.Cpu);
        return (Stats.Median(walls), Stats.Median(cpus), Parameters(model.Network), trainer.WindowCount);
    }

    /// <summary>Milliseconds per request, wall and CPU time of the calling thread (libtorch with one intra-op thread
    /// computes on it), each sorted: what NextService does for one (scores, then the top 10 without the history).</summary>
    private static (List<double> Wall, List<double> Cpu) InferEarworm(SequenceModelOptions options, int itemCount, int requests, out long parameters)
    {
        Earworm.Content.Native.TorchRuntime.EnsureLoaded(options.Threads);
        manual_seed(options.Seed);
        var network = SequenceNetwork.Create(options, itemCount);
        network.eval();
        using var model = new NeuralSequenceModel("sasrec", network, options.MaxLength, itemCount);
        parameters = Parameters(network);
        var rng = new Random(options.Seed);
        var popularity = new int[itemCount];
        var (times, cpu) = (new List<double>(requests), new List<double>(requests));
        for (int r = 0; r < requests + 50; r++)
        {
            var history = Enumerable.Range(0, options.MaxLength).Select(_ => rng.Next(itemCount)).ToArray();
            double cpu0 = ThreadCpuMilliseconds();
            long start = Stopwatch.GetTimestamp();
            var scores = new float[itemCount];
            model.Score(history, [], scores);
            var top = NextItems.Rank(scores, popularity, [.. history.Distinct().Order()], 10);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds, cpuMs = ThreadCpuMilliseconds() - cpu0;
            if (top.Length != 10) throw new InvalidOperationException($"ranked {top.Length} items, expected 10");
            if (r < 50) continue;
            times.Add(ms);
            cpu.Add(cpuMs);
        }
        times.Sort();
        cpu.Sort();
        return (times, cpu);
    }

    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>CLOCK_THREAD_CPUTIME_ID (Linux): the CPU time of the calling thread.</summary>
    private static double ThreadCpuMilliseconds() => ClockGetTime(3, out var t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds / 1e6 : double.NaN;

    private static List<double> Sorted(JsonElement root, string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).Order()];

    private static string Q(List<double> sorted, double p) => F($"{Stats.Quantile(sorted, p):0.00} ms");

    private static long Parameters(SequenceNetwork network) => network.parameters().Sum(p => p.numel());

    /// <summary>Runs the PyTorch script; its last line of output is a JSON object.</summary>
    /// <param name="libraryPath">a folder searched first for shared libraries (OpenBLAS's libblas.so.3), or null.</param>
    private static JsonDocument Python(string python, string arguments, string? libraryPath, int threads)
    {
        var psi = new ProcessStartInfo(python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (libraryPath is not null) psi.Environment["LD_LIBRARY_PATH"] = libraryPath;
        // PyTorch's threads are OpenMP's (torch.set_num_threads); OpenBLAS kept to one thread of its own under each, as
        // the fastest PyTorch here: with OPENBLAS_NUM_THREADS=2 beside 2 OpenMP threads, OpenBLAS's threads competed with
        // OpenMP's on 2 cores and PyTorch trained slower at 2 threads than at 1 (726 against 1 275 windows/s)
        psi.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        psi.Environment["OPENBLAS_NUM_THREADS"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{python} did not start (apt-get install -y python3-torch)");
        var error = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{python} {arguments} exited {p.ExitCode}: {error.Result}");
        return JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
    }

    /// <summary>Called synchronously at the end of each epoch (Progress&lt;T&gt; would post to another thread).</summary>
    private sealed class EpochMarks(Action mark) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => mark();
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
