using System.Runtime.InteropServices;

namespace Earworm.Content.Native;

/// <summary>
/// glibc's malloc set for libtorch's way of allocating (<see cref="KeepFreedMemory"/>, done once when
/// <see cref="TorchRuntime.EnsureLoaded"/> first loads libtorch). A training step frees tensors and allocates ones of the
/// same sizes again at the next step; by default glibc hands a large block back to the kernel when it is freed (a
/// block above its mmap threshold is unmapped, and the heap's top is trimmed past its trim threshold), so every step
/// writes to fresh pages, each a page fault the kernel answers with a zeroed page. Measured on the playlist stand-in
/// (a SASRec playlist-continuation evaluation of <c>tune.json</c>, one libtorch thread): 6.0 million page faults and 7.7 CPU-s
/// in the kernel beside 35 in the process; with freed memory kept, 0.27 million and 0.5 s, the same figures to the last
/// digit, and a peak resident memory of 1.06 GB against 0.95. The tag network's training (the same settings given as glibc's
/// environment variables) went from about 107 000 page faults a second to a few hundred.
/// <para>Kept means: no block is mapped on its own (M_MMAP_MAX 0) and the heap is not trimmed below its peak
/// (M_TRIM_THRESHOLD at its largest; M_TOP_PAD 64 MiB, so it grows in large steps). A process that loads libtorch so
/// keeps the memory it has freed until it exits. Left as glibc's defaults when <c>EARWORM_MALLOC=default</c>, when
/// the environment already sets glibc's malloc (<c>MALLOC_*_</c> variables or <c>GLIBC_TUNABLES</c> naming
/// <c>glibc.malloc</c>), and off glibc.</para>
/// </summary>
public static partial class NativeHeap
{
    private const int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_MAX = -4;
    private const int TopPad = 64 << 20;

    private static readonly Lock Gate = new();
    private static string? _state;

    /// <summary>What <see cref="KeepFreedMemory"/> did: "freed memory kept", or why glibc's defaults were left.</summary>
    public static string State => _state ?? "not set";

    /// <summary>Sets glibc's malloc to keep freed memory for reuse (idempotent, thread-safe); returns <see cref="State"/>.</summary>
    internal static string KeepFreedMemory()
    {
        lock (Gate)
            return _state ??= DecideHere() ?? Apply();
    }

    /// <summary><see cref="Decide"/> for this process's environment.</summary>
    internal static string? DecideHere() => Decide(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => e.Value as string ?? ""));

    /// <summary>Why glibc's defaults stay in this environment, or null when freed memory is to be kept (pure).</summary>
    internal static string? Decide(IReadOnlyDictionary<string, string> environment)
    {
        if (!OperatingSystem.IsLinux()) return "left to the platform's allocator (not Linux)";
        if (environment.TryGetValue("EARWORM_MALLOC", out var own) && own.Trim().Equals("default", StringComparison.OrdinalIgnoreCase))
            return "glibc's defaults (EARWORM_MALLOC=default)";
        var set = environment.Keys.FirstOrDefault(k => k.StartsWith("MALLOC_", StringComparison.Ordinal) && k.EndsWith('_'))
            ?? (environment.TryGetValue("GLIBC_TUNABLES", out var tunables) && tunables.Contains("glibc.malloc.", StringComparison.Ordinal)
                ? "GLIBC_TUNABLES" : null);
        return set is null ? null : $"as the environment sets it ({set})";
    }

    private static string Apply()
    {
        try
        {
            // mallopt returns 1 on success, 0 on error; the first setting that fails leaves the rest untouched
            bool ok = mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, int.MaxValue) == 1 && mallopt(M_TOP_PAD, TopPad) == 1;
            return ok ? "freed memory kept" : "partly set (glibc's mallopt refused a setting)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "left to the C library's allocator (no glibc mallopt)";
        }
    }

    [LibraryImport("libc.so.6")]
    private static partial int mallopt(int param, int value);
}
