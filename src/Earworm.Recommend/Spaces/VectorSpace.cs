using Earworm.Learning.Numerics;

namespace Earworm.Recommend.Spaces;

/// <summary>
/// The tracks of one space and their vectors, row-major: row <c>i</c> is <c>Data[i·Dimension .. (i+1)·Dimension)</c>
/// and belongs to track <c>Ids[i]</c>. <see cref="Metric"/> says how the space compares vectors (cosine for the learned
/// spaces and hybrid; Euclidean for <c>descriptors</c>, whose weights were chosen for it). Immutable once built.
/// </summary>
public sealed class VectorSpace
{
    private readonly Dictionary<long, int> _row;

    public VectorSpace(string name, int dimension, long[] ids, float[] data, Metric metric, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        if (data.Length != (long)ids.Length * dimension)
            throw new ArgumentException($"space '{name}': {data.Length} floats for {ids.Length} rows of {dimension}", nameof(data));
        foreach (var x in data)
            if (!float.IsFinite(x)) throw new ArgumentException($"space '{name}' holds NaN or infinity", nameof(data));
        Name = name;
        Dimension = dimension;
        Ids = ids;
        Data = data;
        Metric = metric;
        Description = description;
        _row = new Dictionary<long, int>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
            if (!_row.TryAdd(ids[i], i)) throw new ArgumentException($"space '{name}': track {ids[i]} twice", nameof(ids));
    }

    public string Name { get; }
    public int Dimension { get; }
    public long[] Ids { get; }
    public float[] Data { get; }
    public Metric Metric { get; }

    /// <summary>What the space is, in a sentence (shown by verbs).</summary>
    public string Description { get; }

    public int Count => Ids.Length;

    public bool Contains(long trackId) => _row.ContainsKey(trackId);

    public ReadOnlySpan<float> Row(int i) => Data.AsSpan(i * Dimension, Dimension);

    /// <summary>The vector of a track, or an empty span when the space does not hold it.</summary>
    public ReadOnlySpan<float> VectorOf(long trackId) => _row.TryGetValue(trackId, out var i) ? Row(i) : [];

    /// <summary>How alike two vectors are in this space, higher is closer: the cosine, or the negated Euclidean distance.</summary>
    public float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Metric == Metric.Cosine
        ? Cosine(a, b)
        : -MathF.Sqrt(Simd.SquaredDistance(a, b));

    /// <summary>The cosine of two vectors (0 when either is zero: <see cref="VectorNorm.Cosine"/>).</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => VectorNorm.Cosine(a, b);

    /// <summary>The rows as (id, vector) pairs, copies (what an index is built from).</summary>
    public IReadOnlyList<(long Key, float[] Vector)> Rows()
    {
        var rows = new (long, float[])[Count];
        for (int i = 0; i < Count; i++) rows[i] = (Ids[i], Row(i).ToArray());
        return rows;
    }
}
