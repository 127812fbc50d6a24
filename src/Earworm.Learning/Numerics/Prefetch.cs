using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Earworm.Learning.Numerics;

/// <summary>
/// Software prefetch of factor rows the hot loops will read next (random rows of tens of megabytes
/// of factors miss every cache; asking for several at once overlaps the misses). A hint only:
/// a no-op where the CPU has no prefetch instruction. Only for rows of <see cref="RowMatrix"/>,
/// whose arrays live on the pinned-object heap and never move.
/// </summary>
internal static unsafe class Prefetch
{
    /// <summary>Asks for the cache lines holding <paramref name="floats"/> floats from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Floats(ref float start, int floats)
    {
        if (!Sse.IsSupported) return;
        byte* p = (byte*)Unsafe.AsPointer(ref start);
        for (int offset = 0; offset < floats * sizeof(float); offset += 64) Sse.Prefetch0(p + offset);
    }
}
