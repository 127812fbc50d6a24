using System.Runtime.InteropServices;
using Earworm.Content.Native;

namespace Earworm.Content.Tests.Native;

public sealed class NativeHeapTests
{
    [Fact]
    public void Keeps_freed_memory_unless_told_or_set_otherwise()
    {
        Assert.Null(NativeHeap.Decide(new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["GLIBC_TUNABLES"] = "glibc.rtld.nns=2" }));
        Assert.Contains("EARWORM_MALLOC=default", NativeHeap.Decide(new Dictionary<string, string> { ["EARWORM_MALLOC"] = " Default " }));
        Assert.Contains("MALLOC_ARENA_MAX_", NativeHeap.Decide(new Dictionary<string, string> { ["MALLOC_ARENA_MAX_"] = "2" }));
        Assert.Contains("GLIBC_TUNABLES", NativeHeap.Decide(new Dictionary<string, string> { ["GLIBC_TUNABLES"] = "glibc.malloc.trim_threshold=1" }));
    }

    [HeapKeptFact]
    public void A_block_freed_is_reused_without_new_pages()
    {
        // what libtorch does every training step: a block of tens of MiB allocated, written, freed, allocated again.
        // glibc's defaults map a block this large on its own and unmap it when freed (above the largest threshold its
        // mmap threshold climbs to, 32 MiB), so every round faults in all its pages anew
        TorchRuntime.EnsureLoaded();
        Assert.Equal("freed memory kept", NativeHeap.State);
        const int bytes = 40 << 20, rounds = 6;
        long pages = bytes / Environment.SystemPageSize, afterFirst = 0;
        for (int round = 0; round < rounds; round++)
        {
            long before = ThreadPageFaults();
            Touch(bytes);
            if (round > 0) afterFirst += ThreadPageFaults() - before;
        }
        // kept: only the first round touches new pages; glibc's defaults: about (rounds - 1) * pages after it
        Assert.True(afterFirst < pages / 2, $"{afterFirst} page faults in {rounds - 1} rounds after the first ({pages} pages a round)");
    }

    private static void Touch(int bytes)
    {
        var block = Marshal.AllocHGlobal(bytes);   // malloc
        try
        {
            for (int i = 0; i < bytes; i += Environment.SystemPageSize) Marshal.WriteByte(block, i, 1);
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    /// <summary>Minor page faults of the calling thread (getrusage RUSAGE_THREAD): other tests' threads do not count.</summary>
    private static long ThreadPageFaults()
    {
        var usage = new long[18];
        Assert.Equal(0, getrusage(1, usage));
        return usage[8];   // struct rusage: two timevals (4 longs), maxrss, ixrss, idrss, isrss, then minflt
    }

    [DllImport("libc.so.6")]
    private static extern int getrusage(int who, [Out] long[] usage);
}

/// <summary>A fact about Earworm keeping freed memory, which it leaves alone where the environment sets glibc's malloc
/// itself (<see cref="NativeHeap.DecideHere"/>): skipped there, with the reason.</summary>
public sealed class HeapKeptFactAttribute : FactAttribute
{
    public HeapKeptFactAttribute()
    {
        if (NativeHeap.DecideHere() is { } why) Skip = $"this environment leaves the heap alone: {why}";
    }
}
