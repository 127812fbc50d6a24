using Earworm.App.Library;
using Earworm.Learning.Numerics;

namespace Earworm.Subsonic.Library;

/// <summary>
/// Artists alike by sound: each artist is the centroid of their tracks' unit vectors in a space, and two artists are as
/// close as the cosine of their centroids. Built once per library view and space.
/// </summary>
public sealed class ArtistSimilarity
{
    private readonly List<(string ArtistId, float[] Centroid)> _centroids = [];

    public ArtistSimilarity(SubsonicLibrary library, LibrarySpace space)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(space);
        int dims = space.Vectors.Dimension;
        foreach (var artist in library.Artists)
        {
            var sum = new float[dims];
            int n = 0;
            foreach (var t in artist.Tracks)
            {
                if (!space.Vectors.Contains(t.Id)) continue;
                if (VectorNorm.TryUnit(space.Vectors.VectorOf(t.Id)) is not { } unit) continue;
                for (int i = 0; i < dims; i++) sum[i] += unit[i];
                n++;
            }
            if (n > 0) _centroids.Add((artist.Id, sum));
        }
    }

    public static ArtistSimilarity Of(SubsonicLibrary library, LibrarySpace space) =>
        library.View.Memo($"subsonic-artists:{space.Name}", () => new ArtistSimilarity(library, space));

    /// <summary>The artists nearest to <paramref name="artistId"/>, nearest first (none when it has no tracks in the space).</summary>
    public IReadOnlyList<(string ArtistId, double Cosine)> Nearest(string artistId, int count)
    {
        var own = _centroids.FirstOrDefault(c => c.ArtistId == artistId).Centroid;
        if (own is null) return [];
        return _centroids.Where(c => c.ArtistId != artistId).Select(c => (c.ArtistId, Cosine: (double)VectorNorm.Cosine(own, c.Centroid)))
            .OrderByDescending(x => x.Cosine).ThenBy(x => x.ArtistId, StringComparer.Ordinal).Take(count).ToList();
    }
}
