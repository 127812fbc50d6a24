using System.Runtime.Intrinsics;

namespace Earworm.Learning.Tests;

/// <summary>A fact about a code path taken only on CPUs with 512-bit vectors; skipped, with the reason, elsewhere.</summary>
public sealed class Vector512FactAttribute : FactAttribute
{
    public Vector512FactAttribute()
    {
        if (!Vector512.IsHardwareAccelerated) Skip = "this CPU has no hardware-accelerated 512-bit vectors";
    }
}
