namespace Earworm.Recommend;

/// <summary>
/// Nearest-neighbour search over the vectors of one space. Scores are comparable across implementations: the cosine
/// for <see cref="Metric.Cosine"/>, the negated Euclidean distance for <see cref="Metric.Euclidean"/>; higher is closer.
/// Implementations are immutable once built and safe to query from many threads.
/// </summary>
public interface IVectorIndex
{
    Metric Metric { get; }
    int Dimension { get; }
    int Count { get; }

    /// <summary>The <paramref name="k"/> rows closest to <paramref name="query"/>, best first, skipping those
    /// <paramref name="exclude"/> rejects.</summary>
    IReadOnlyList<Neighbour> Nearest(ReadOnlySpan<float> query, int k, Func<long, bool>? exclude = null);
}
