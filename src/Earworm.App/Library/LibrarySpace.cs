using Earworm.Recommend;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;

namespace Earworm.App.Library;

/// <summary>One space loaded for a <see cref="LibraryView"/>: its vectors, its index and the playlist engine over them
/// (all immutable once built, so requests share them).</summary>
public sealed record LibrarySpace(VectorSpace Vectors, IVectorIndex Index, PlaylistEngine Engine)
{
    public string Name => Vectors.Name;

    /// <summary>The track's vector, or null when the space has none for it.</summary>
    public float[]? Vector(long trackId) => Vectors.Contains(trackId) ? Vectors.VectorOf(trackId).ToArray() : null;
}
