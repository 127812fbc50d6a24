namespace Earworm.Learning.Numerics;

/// <summary>
/// L2 normalisation, the one owner of it in Earworm (spaces, indexes, playlists, hybrids, factor targets, embeddings).
/// The norm is accumulated and the division made in double, so a long vector of small values keeps its precision and
/// a vector along an axis becomes exactly 1 there.
/// </summary>
/// <remarks>
/// <b>The zero-vector rule.</b> A vector whose norm is 0 — or not finite (NaN, ∞) — has no direction: it is never
/// divided, it stays as it is (a copy of it, for the copying forms), and <see cref="Normalise(Span{float})"/> says so
/// by returning false. Callers that must not use such a vector (a recommendation has nothing to explain with it, a
/// prediction nothing to score) ask <see cref="TryUnit"/>, which gives null.
/// </remarks>
public static class VectorNorm
{
    /// <summary>Whether a norm gives a direction: positive and finite.</summary>
    public static bool HasDirection(double norm) => norm > 0 && double.IsFinite(norm);

    /// <summary>In place: <paramref name="v"/> ← v / ‖v‖. False (and <paramref name="v"/> unchanged) for a vector
    /// without direction.</summary>
    public static bool Normalise(Span<float> v)
    {
        double n = Norm(v);
        if (!HasDirection(n)) return false;
        foreach (ref var x in v) x = (float)(x / n);
        return true;
    }

    /// <summary>In place, for doubles (features of a regression): as <see cref="Normalise(Span{float})"/>.</summary>
    public static bool Normalise(Span<double> v)
    {
        double s = 0;
        foreach (var x in v) s += x * x;
        double n = Math.Sqrt(s);
        if (!HasDirection(n)) return false;
        foreach (ref var x in v) x /= n;
        return true;
    }

    /// <summary>‖v‖₂, accumulated in double.</summary>
    public static double Norm(ReadOnlySpan<float> v)
    {
        double s = 0;
        foreach (var x in v) s += (double)x * x;
        return Math.Sqrt(s);
    }

    /// <summary><paramref name="v"/> scaled to unit length, as a new array (a copy of <paramref name="v"/> when it
    /// has no direction).</summary>
    public static float[] Unit(ReadOnlySpan<float> v)
    {
        var u = v.ToArray();
        Normalise(u);
        return u;
    }

    /// <summary><paramref name="v"/> scaled to unit length, or null when it has no direction.</summary>
    public static float[]? TryUnit(ReadOnlySpan<float> v)
    {
        var u = v.ToArray();
        return Normalise(u) ? u : null;
    }

    /// <summary>dest ← scale · v / ‖v‖ (zeros when <paramref name="v"/> has no direction: it contributes nothing).</summary>
    public static void WriteScaledUnit(ReadOnlySpan<float> v, float scale, Span<float> dest)
    {
        if (dest.Length != v.Length) throw new ArgumentException($"{v.Length} values into {dest.Length}", nameof(dest));
        double n = Norm(v);
        if (!HasDirection(n))
        {
            dest.Clear();
            return;
        }
        for (int i = 0; i < v.Length; i++) dest[i] = (float)(v[i] / n * scale);
    }

    /// <summary>The cosine of two vectors; 0 when either has no direction.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double na = Norm(a), nb = Norm(b);
        return HasDirection(na) && HasDirection(nb) ? (float)(Simd.Dot(a, b) / (na * nb)) : 0;
    }
}
