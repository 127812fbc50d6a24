namespace Earworm.Learning.Numerics;

/// <summary>
/// Derives independent seeds from a model seed and a few indices (epoch, thread, job, user) with
/// SplitMix64's finaliser, so a stochastic run depends only on its seed and never on thread timing
/// or on a shared generator.
/// </summary>
internal static class SeedMixer
{
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Combine(int seed, long a) => Mix(Mix((ulong)(uint)seed) ^ (ulong)a);

    public static ulong Combine(int seed, long a, long b) => Mix(Combine(seed, a) ^ Mix((ulong)b));

    public static ulong Combine(int seed, long a, long b, long c) => Mix(Combine(seed, a, b) ^ Mix(Mix((ulong)c)));
}

/// <summary>
/// A small, fast generator for the hot loops (SplitMix64: one add and three multiply-xorshifts per
/// draw). Mutable struct: keep one per thread, pass by ref.
/// </summary>
internal struct FastRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        ulong z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    /// <summary>Uniform in 0..n−1 (Lemire's multiply-shift; bias below 2⁻³² for the sizes used here).</summary>
    public int Next(int n) => (int)((NextUInt64() >> 32) * (ulong)(uint)n >> 32);

    /// <summary>Uniform in [0, 1) with 24 bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));
}
