namespace Earworm.Learning.Numerics;

/// <summary>Seeds derived from several integers that are the same in every process (unlike
/// <see cref="HashCode.Combine{T1, T2}"/>, which .NET randomises per process), so seeded runs repeat.</summary>
public static class SeedMix
{
    /// <summary>SplitMix64's finaliser over the pair (Steele, Lea and Flood 2014).</summary>
    public static int Mix(int a, int b)
    {
        ulong z = ((ulong)(uint)a << 32 | (uint)b) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }

    /// <summary>The mix of three integers: <c>Mix(Mix(a, b), c)</c>.</summary>
    public static int Mix(int a, int b, int c) => Mix(Mix(a, b), c);
}
