using Earworm.Recommend;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;

namespace Earworm.Web.Library;

/// <summary>One space of Earworm.Recommend loaded for a snapshot: its vectors, its index and the playlist engine over them
/// (all immutable once built, so requests share them).</summary>
public sealed record SpaceHandle(VectorSpace Vectors, IVectorIndex Index, PlaylistEngine Engine)
{
    public string Name => Vectors.Name;

    /// <summary>The track's vector, or null when the space has none for it.</summary>
    public float[]? Vector(long trackId) => Vectors.Contains(trackId) ? Vectors.VectorOf(trackId).ToArray() : null;

    public bool IsCosine => Vectors.Metric == Metric.Cosine;
}
