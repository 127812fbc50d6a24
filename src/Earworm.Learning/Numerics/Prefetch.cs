using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Earworm.Learning.Numerics;

/// <summary>
/// Software prefetch of factor rows the hot loops will read next (random rows of tens of megabytes
/// of factors miss every cache; asking for several at once overlaps the misses). A hint only:
/// a no-op where the CPU has no prefetch instruction. Only for rows of <see cref="RowMatrix"/> and
/// other arrays on the pinned-object heap, which never move.
/// </summary>
internal static unsafe class Prefetch
{
    /// <summary>Asks for the cache line holding one element of a pinned array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Line<T>(ref T element) where T : unmanaged
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref element));
    }

    /// <summary>Asks for the cache lines holding <paramref name="floats"/> floats from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Floats(ref float start, int floats)
    {
        if (!Sse.IsSupported) return;
        byte* p = (byte*)Unsafe.AsPointer(ref start);
        for (int offset = 0; offset < floats * sizeof(float); offset += 64) Sse.Prefetch0(p + offset);
    }
}
