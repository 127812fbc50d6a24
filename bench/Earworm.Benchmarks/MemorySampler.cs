using System.Globalization;

namespace Earworm.Benchmarks;

/// <summary>Peak resident memory of this process plus its child processes (the ffmpeg decoders),
/// sampled from /proc every 50 ms.</summary>
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
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == self) continue;
                if (ParentOf(pid) == self) total += Rss(pid);
            }
            if (total > Interlocked.Read(ref _peakBytes)) Interlocked.Exchange(ref _peakBytes, total);
            try { await Task.Delay(50, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    private static long Rss(int pid) => Field(pid, "VmRSS:") * 1024;

    private static int ParentOf(int pid) => (int)Field(pid, "PPid:");

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
