using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Embeddings;

/// <summary>
/// The (item, context) update of <see cref="SkipGramNegativeSampling"/> specialised for rows padded
/// to 112 floats (97–112 dimensions, the default 100 among them) on CPUs with 512-bit vectors: the
/// context's input vector and its accumulated gradient stay in 14 registers across the positive and
/// the negatives, so each output row is loaded once and stored once. Same arithmetic as the generic
/// path up to the order of float additions in the dot product.
/// </summary>
internal static class SkipGramKernel112
{
    public const int Stride = 112;

    public static bool Applies(int stride) => stride == Stride && Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    /// <param name="targets">scratch of at least negativeCount + 1 ids.</param>
    public static void TrainPair(RowMatrix input, RowMatrix output, AliasSampler negatives, int negativeCount, int item, int context,
        float alpha, ref FastRandom rng, int[] targets)
    {
        ref float inRow = ref MemoryMarshal.GetReference(input.PaddedRow(context));
        ref float outBase = ref MemoryMarshal.GetReference(output.All);
        var i0 = Vector512.LoadUnsafe(ref inRow, 0);
        var i1 = Vector512.LoadUnsafe(ref inRow, 16);
        var i2 = Vector512.LoadUnsafe(ref inRow, 32);
        var i3 = Vector512.LoadUnsafe(ref inRow, 48);
        var i4 = Vector512.LoadUnsafe(ref inRow, 64);
        var i5 = Vector512.LoadUnsafe(ref inRow, 80);
        var i6 = Vector512.LoadUnsafe(ref inRow, 96);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default;
        // draw the negatives first (the same draws, in the same order, as the generic path) and ask
        // for all their rows at once, so the cache misses overlap
        int count = 1;
        targets[0] = item;
        for (int d = 1; d <= negativeCount; d++)
        {
            int t = negatives.Sample(ref rng);
            if (t != item) targets[count++] = t;
        }
        for (int d = 0; d < count; d++) Prefetch.Floats(ref Unsafe.Add(ref outBase, (nint)targets[d] * Stride), Stride);
        for (int d = 0; d < count; d++)
        {
            float label = d == 0 ? 1 : 0;
            ref float o = ref Unsafe.Add(ref outBase, (nint)targets[d] * Stride);
            var o0 = Vector512.LoadUnsafe(ref o, 0);
            var o1 = Vector512.LoadUnsafe(ref o, 16);
            var o2 = Vector512.LoadUnsafe(ref o, 32);
            var o3 = Vector512.LoadUnsafe(ref o, 48);
            var o4 = Vector512.LoadUnsafe(ref o, 64);
            var o5 = Vector512.LoadUnsafe(ref o, 80);
            var o6 = Vector512.LoadUnsafe(ref o, 96);
            var left = Vector512.FusedMultiplyAdd(i1, o1, i0 * o0) + Vector512.FusedMultiplyAdd(i3, o3, i2 * o2);
            var right = Vector512.FusedMultiplyAdd(i5, o5, Vector512.FusedMultiplyAdd(i6, o6, i4 * o4));
            float f = Vector512.Sum(left + right);
            float g = (label - SkipGramNegativeSampling.Sigmoid(f)) * alpha;
            if (g == 0) continue;
            var vg = Vector512.Create(g);
            a0 = Vector512.FusedMultiplyAdd(vg, o0, a0);
            a1 = Vector512.FusedMultiplyAdd(vg, o1, a1);
            a2 = Vector512.FusedMultiplyAdd(vg, o2, a2);
            a3 = Vector512.FusedMultiplyAdd(vg, o3, a3);
            a4 = Vector512.FusedMultiplyAdd(vg, o4, a4);
            a5 = Vector512.FusedMultiplyAdd(vg, o5, a5);
            a6 = Vector512.FusedMultiplyAdd(vg, o6, a6);
            Vector512.FusedMultiplyAdd(vg, i0, o0).StoreUnsafe(ref o, 0);
            Vector512.FusedMultiplyAdd(vg, i1, o1).StoreUnsafe(ref o, 16);
            Vector512.FusedMultiplyAdd(vg, i2, o2).StoreUnsafe(ref o, 32);
            Vector512.FusedMultiplyAdd(vg, i3, o3).StoreUnsafe(ref o, 48);
            Vector512.FusedMultiplyAdd(vg, i4, o4).StoreUnsafe(ref o, 64);
            Vector512.FusedMultiplyAdd(vg, i5, o5).StoreUnsafe(ref o, 80);
            Vector512.FusedMultiplyAdd(vg, i6, o6).StoreUnsafe(ref o, 96);
        }
        (i0 + a0).StoreUnsafe(ref inRow, 0);
        (i1 + a1).StoreUnsafe(ref inRow, 16);
        (i2 + a2).StoreUnsafe(ref inRow, 32);
        (i3 + a3).StoreUnsafe(ref inRow, 48);
        (i4 + a4).StoreUnsafe(ref inRow, 64);
        (i5 + a5).StoreUnsafe(ref inRow, 80);
        (i6 + a6).StoreUnsafe(ref inRow, 96);
    }
}
