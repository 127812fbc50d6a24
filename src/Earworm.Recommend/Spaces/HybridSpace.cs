using Earworm.Learning.Numerics;

namespace Earworm.Recommend.Spaces;

/// <summary>
/// The <c>hybrid</c> space: several spaces joined into one by concatenating each track's per-space vectors, each
/// L2-normalised and scaled by √(wₛ / Σw). Every hybrid vector then has unit length and the cosine of two hybrid
/// vectors is the weighted mean of their per-space cosines, Σ (wₛ/Σw)·cosₛ — so a weight says how much a space counts,
/// whatever its dimension. For a Euclidean space (<c>descriptors</c>) the per-space term is the cosine of its
/// (centred, standardised) vectors.
/// </summary>
/// <remarks>Only the tracks present in every joined space are in the hybrid: a track with no listening data has no
/// <c>cf</c> vector, so a hybrid that includes <c>cf</c> leaves it out (search it in <c>descriptors</c> or
/// <c>audio</c>). Which spaces join is the caller's choice; <see cref="SpaceService"/> joins every non-empty one.</remarks>
public static class HybridSpace
{
    public const string Name = "hybrid";

    /// <summary>Joins <paramref name="parts"/> with their weights (each &gt; 0) over the tracks they share.</summary>
    public static VectorSpace Combine(IReadOnlyList<(VectorSpace Space, double Weight)> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("a hybrid needs at least one space", nameof(parts));
        foreach (var (s, w) in parts)
            if (!(w > 0) || !double.IsFinite(w)) throw new ArgumentException($"weight of '{s.Name}' must be positive, got {w}", nameof(parts));
        double total = parts.Sum(p => p.Weight);
        var scale = parts.Select(p => (float)Math.Sqrt(p.Weight / total)).ToArray();
        int dims = parts.Sum(p => p.Space.Dimension);
        // the tracks in every space, in the first space's order (ascending ids from the catalog)
        var ids = parts[0].Space.Ids.Where(id => parts.All(p => p.Space.Contains(id))).ToArray();
        var data = new float[ids.Length * dims];
        for (int r = 0; r < ids.Length; r++)
        {
            int offset = r * dims;
            for (int p = 0; p < parts.Count; p++)
            {
                var v = parts[p].Space.VectorOf(ids[r]);
                var dest = data.AsSpan(offset, v.Length);
                VectorNorm.WriteScaledUnit(v, scale[p], dest);
                offset += v.Length;
            }
        }
        var described = string.Join(" + ", parts.Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{p.Space.Name} ({p.Weight / total:0.##})")));
        return new VectorSpace(Name, dims, ids, data, Metric.Cosine,
            $"hybrid of {described}: per-space unit vectors concatenated, cosine = weighted mean of the spaces' cosines; " +
            "tracks missing from any of them are left out");
    }

    /// <summary>Projects a query given per-space vectors (in the order and with the weights of
    /// <paramref name="parts"/>) into the hybrid.</summary>
    public static float[] Project(IReadOnlyList<(VectorSpace Space, double Weight)> parts, IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count != parts.Count) throw new ArgumentException("one vector per space", nameof(vectors));
        double total = parts.Sum(p => p.Weight);
        var q = new float[parts.Sum(p => p.Space.Dimension)];
        int offset = 0;
        for (int p = 0; p < parts.Count; p++)
        {
            if (vectors[p].Length != parts[p].Space.Dimension)
                throw new ArgumentException($"{parts[p].Space.Name}: {vectors[p].Length} dimensions, expected {parts[p].Space.Dimension}", nameof(vectors));
            VectorNorm.WriteScaledUnit(vectors[p], (float)Math.Sqrt(parts[p].Weight / total), q.AsSpan(offset, vectors[p].Length));
            offset += vectors[p].Length;
        }
        return q;
    }
}
