using Earworm.Catalog;
using Earworm.Recommend.Projection;
using Earworm.Recommend.Spaces;
using Earworm.Testing;

namespace Earworm.Web.Tests;

/// <summary>
/// A copy of the test library's catalog with an <c>audio</c> space as <c>earworm train audio</c> leaves one: a current
/// audio model and a vector for every analysed track. The vectors are one-hot (track <c>k</c> in library order gets
/// axis <c>k</c>), so the nearest tracks to a point are known exactly: <see cref="Between"/> makes a file's embedding that
/// is nearest to one track, then to another, whatever the descriptors say.
/// </summary>
public sealed class AudioCatalog : IDisposable
{
    public const string Version = "audio-test-0001";

    private readonly TempDirectory _dir = new("earworm-web-audio-");
    private readonly Dictionary<long, int> _axis;

    public AudioCatalog(TestLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        CatalogPath = Path.Combine(_dir.Path, "catalog.db");
        CatalogCopy.Backup(library.CatalogPath, CatalogPath);
        _axis = library.Tracks.Select(t => t.Id).Order().Select((id, k) => (id, k)).ToDictionary(x => x.id, x => x.k);
        Dimension = _axis.Count;
        using var catalog = CatalogStore.Open(CatalogPath);
        var model = catalog.SaveModel(SpaceService.Audio, "contrastive", Version, "{}", catalog.ListeningDataVersion(), null, null);
        catalog.SaveTrackVectors(SpaceService.Audio, model.Id, _axis.Select(kv => (kv.Key, Axis(kv.Value))));
    }

    public string CatalogPath { get; }

    public string UploadFolder => Path.Combine(_dir.Path, "uploads");

    public int Dimension { get; }

    /// <summary>Where the web app looks for the audio model's t-SNE map.</summary>
    public string MapFile => LibraryMapFile.DefaultPath(CatalogStore.ModelFolderFor(CatalogPath), SpaceService.Audio);

    /// <summary>A point nearest to <paramref name="first"/> (cosine 0.894), then to <paramref name="second"/> (0.447); every
    /// other track at cosine 0.</summary>
    public float[] Between(long first, long second)
    {
        var v = Axis(_axis[first]);
        v[_axis[second]] = 0.5f;
        return v;
    }

    /// <summary>Writes the t-SNE map `earworm inspect model` would, for <paramref name="modelVersion"/>: track k at
    /// (cos, sin) of k·2π/n scaled by 0.9.</summary>
    public LibraryMapFile WriteMap(string modelVersion, TestLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        int n = _axis.Count;
        var points = library.Tracks.OrderBy(t => t.Id).Select(t =>
        {
            double a = _axis[t.Id] * 2 * Math.PI / n;
            return new MapTrack(t.Id, t.Path, t.Artist, t.Title, t.Album, t.Album ?? "(no album)", Math.Round(0.9 * Math.Cos(a), 5), Math.Round(0.9 * Math.Sin(a), 5));
        }).ToList();
        var map = new LibraryMapFile(SpaceService.Audio, "tsne", modelVersion, 3, 1, 0.4321, 0.9876, 3, DateTimeOffset.UnixEpoch, points);
        map.Save(MapFile);
        return map;
    }

    private float[] Axis(int k)
    {
        var v = new float[Dimension];
        v[k] = 1;
        return v;
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>An <see cref="IAudioFileEmbedder"/> that answers a fixed vector and records each call: the path asked for and
/// whether the file was there at that moment.</summary>
public sealed class FixedEmbedder(float[] vector) : IAudioFileEmbedder
{
    private readonly List<(string Path, bool Existed)> _calls = [];

    public IReadOnlyList<(string Path, bool Existed)> Calls
    {
        get
        {
            lock (_calls) return [.. _calls];
        }
    }

    public Task<float[]> EmbedAsync(string path, CancellationToken cancellationToken)
    {
        lock (_calls) _calls.Add((path, File.Exists(path)));
        return Task.FromResult((float[])vector.Clone());
    }
}
