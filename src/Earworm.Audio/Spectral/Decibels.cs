using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Earworm.Audio.Spectral;

/// <summary>Power to decibels, the one owner of it (the log-mel front end and the descriptors' mel meters).</summary>
public static class Decibels
{
    /// <summary>In place: p ← 10·log10(max(p, <paramref name="floor"/>)), as <c>librosa.power_to_db</c> with ref = 1,
    /// amin = floor and top_db = None; four values at a time where the CPU has 256-bit lanes.</summary>
    /// <param name="useVectors">false forces the scalar loop (tests compare the two).</param>
    public static void FromPower(Span<double> power, double floor, bool useVectors = true)
    {
        int m = 0;
        if (useVectors && Vector256.IsHardwareAccelerated)
        {
            var floors = Vector256.Create(floor);
            var scale = Vector256.Create(10 / Math.Log(10)); // 10·log10(x) = (10/ln 10)·ln x
            var vectors = MemoryMarshal.Cast<double, Vector256<double>>(power);
            for (int v = 0; v < vectors.Length; v++) vectors[v] = scale * Vector256.Log(Vector256.Max(vectors[v], floors));
            m = vectors.Length * Vector256<double>.Count;
        }
        for (; m < power.Length; m++) power[m] = 10 * Math.Log10(Math.Max(power[m], floor));
    }
}
