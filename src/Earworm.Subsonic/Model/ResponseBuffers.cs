using System.Buffers;
using System.Collections.Concurrent;

namespace Earworm.Subsonic.Model;

/// <summary>
/// Buffers that responses are written into before they are sent (so each answer has its length), kept for the next
/// request: an Instant Mix of 50 songs is about 35 KB of JSON, and growing a fresh buffer to that size for every request
/// (then copying it out) was most of what the garbage collector had to clear under load. Buffers that grew past
/// <see cref="MaxKeptBytes"/> (a whole-library search3) are left to the collector.
/// </summary>
internal static class ResponseBuffers
{
    public const int MaxKeptBytes = 1 << 20;

    private static readonly int MaxKept = 4 * Environment.ProcessorCount + 16;
    private static readonly ConcurrentBag<ArrayBufferWriter<byte>> Kept = [];

    private static int _kept; // Kept.Count, without the bag's freeze of every thread's list that Count takes

    public static ArrayBufferWriter<byte> Rent()
    {
        if (!Kept.TryTake(out var buffer)) return new ArrayBufferWriter<byte>(64 * 1024);
        Interlocked.Decrement(ref _kept);
        return buffer;
    }

    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > MaxKeptBytes || Volatile.Read(ref _kept) >= MaxKept) return;
        buffer.ResetWrittenCount();
        Interlocked.Increment(ref _kept);
        Kept.Add(buffer);
    }
}
