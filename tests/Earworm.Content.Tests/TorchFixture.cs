using Earworm.Content.Native;
using Earworm.Content.Network;

namespace Earworm.Content.Tests;

/// <summary>Loads TorchSharp once (1 thread: the tests share the machine with each other, and OpenMP spins badly when oversubscribed) and gives small networks.</summary>
internal static class Torch
{
    public static void Load() => TorchRuntime.EnsureLoaded(threads: 1);

    /// <summary>Runs <paramref name="body"/> while another thread collects garbage without pause: what brings out a
    /// scalar the collector finalises while libtorch still reads it (<see cref="LiveScalars"/>).</summary>
    public static void WhileCollecting(Action body)
    {
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        try { body(); }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }

    /// <summary>A network small enough to train in a second: 16 bands, 48 frames.</summary>
    public static AudioNetworkOptions Tiny(int outputDims = 8, double dropout = 0) => new()
    {
        MelBands = 16, Frames = 48, Channels = [16, 16, 16], Pools = [2, 2], Dense = [32], Dropout = dropout, OutputDims = outputDims,
    };
}
