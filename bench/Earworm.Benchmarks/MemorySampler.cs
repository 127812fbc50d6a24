using System.Globalization;

namespace Earworm.Benchmarks;

/// <summary>Peak resident memory of this process plus its child processes (the ffmpeg decoders),
/// sampled from /proc every 100 ms. Children are found through /proc/self/task/*/children, so a
/// sample reads a handful of small files, not all of /proc: the sampler must not slow the scan it measures.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakBytes;

    public MemorySampler() => _loop = Task.Run(LoopAsync);

    public long PeakBytes => Interlocked.Read(ref _peakBytes);

    private async Task LoopAsync()
    {
        int self = Environment.ProcessId;
        while (!_stop.IsCancellationRequested)
        {
            long total = Rss(self);
            foreach (var pid in Children()) total += Rss(pid);
            if (total > Interlocked.Read(ref _peakBytes)) Interlocked.Exchange(ref _peakBytes, total);
            try { await Task.Delay(100, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    private static long Rss(int pid) => Field(pid, "VmRSS:") * 1024;

    private static IEnumerable<int> Children()
    {
        var pids = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
                foreach (var p in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    pids.Add(int.Parse(p, CultureInfo.InvariantCulture));
        }
        catch (IOException) { }
        return pids;
    }

    private static long Field(int pid, string name)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(name, StringComparison.Ordinal))
                    return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
