namespace Earworm.Recommend.Spaces;

/// <summary>
/// The one rule for showing how close a track is, in every front end: in a cosine space the cosine itself, in [−1, 1]
/// (a negative cosine points away: it never reads as close); in a Euclidean space 1/(1 + distance), in (0, 1]. The
/// indexes score by the cosine or the negated distance (<see cref="VectorSpace.Similarity"/>); this turns such a score
/// into the figure shown.
/// </summary>
public static class SimilarityScale
{
    public static double Displayed(Metric metric, double score) => metric == Metric.Cosine ? score : 1 / (1 - score);

    /// <summary>A <see cref="Displayed"/> figure in [0, 1], 1 the same point, for APIs that define that range
    /// (OpenSubsonic's sonicSimilarity): a cosine below 0 points away and reads 0; 1/(1 + distance) is already in range.</summary>
    public static double Unit(double displayed) => Math.Clamp(displayed, 0, 1);
}
