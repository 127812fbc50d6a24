using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Earworm.Recommend.Projection;

/// <summary>A track on the library map: its id, what it is, its colour group (the album tag, else the name of the
/// track's folder followed by a slash; spellings differing only in case are one group) and its coordinates (scaled into
/// [−1, 1]).</summary>
public sealed record MapTrack(long Id, string Path, string? Artist, string? Title, string? Album, string Group, double X, double Y)
{
    /// <summary>Colour groups for tracks: the album tag, else <c>folder/</c> (or the folder always); the first spelling met names a group whose
    /// spellings differ only in case.</summary>
    /// <param name="byFolder">Group by the track's folder alone (<c>folder/</c>), for libraries whose album tags are
    /// inconsistent within a folder.</param>
    public static IReadOnlyList<string> Groups(IEnumerable<(string Path, string? Album)> tracks, bool byFolder = false)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var first = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var (path, album) in tracks)
        {
            var key = byFolder || string.IsNullOrWhiteSpace(album)
                ? (System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) is { Length: > 0 } folder ? folder + "/" : "(no album)")
                : album.Trim();
            if (!first.TryGetValue(key, out var name)) first[key] = name = key;
            result.Add(name);
        }
        return result;
    }
}

/// <summary>
/// A 2-D map of a space written to disk (<c>earworm inspect model</c>: t-SNE of <c>audio</c>; method <c>tsne</c> exact,
/// or <c>tsne-barnes-hut</c>), read back by the web app.
/// JSON, camelCase: <c>{ "space", "method", "modelVersion", "perplexity", "seed", "klDivergence", "trustworthiness",
/// "neighbours", "createdAt", "points": [{ "id", "path", "artist", "title", "album", "group", "x", "y" }] }</c>. Coordinates are
/// divided by the largest absolute coordinate so they lie in [−1, 1] (as the web's PCA map); <c>modelVersion</c> says
/// which model's vectors were mapped, so a reader can tell a stale map from the current one.
/// </summary>
public sealed record LibraryMapFile(string Space, string Method, string? ModelVersion, double Perplexity, int Seed, double KlDivergence,
    double Trustworthiness, int Neighbours, DateTimeOffset CreatedAt, IReadOnlyList<MapTrack> Points)
{
    /// <summary>The fixed place of a space's map beside a catalog: <c>catalog.models/map-audio.json</c>.</summary>
    public static string DefaultPath(string modelFolder, string space) => System.IO.Path.Combine(modelFolder, $"map-{space}.json");

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Coordinates scaled by the largest absolute value, rounded to 5 decimals.</summary>
    public static IReadOnlyList<(double X, double Y)> Scale(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        double max = 1e-12;
        for (int i = 0; i < x.Count; i++) max = Math.Max(max, Math.Max(Math.Abs(x[i]), Math.Abs(y[i])));
        return Enumerable.Range(0, x.Count).Select(i => (Math.Round(x[i] / max, 5), Math.Round(y[i] / max, 5))).ToList();
    }

    /// <summary>Writes the map atomically (a temporary file, then a rename).</summary>
    public void Save(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full + ".tmp", JsonSerializer.Serialize(this, Json), new UTF8Encoding(false));
        File.Move(full + ".tmp", full, overwrite: true);
    }

    /// <summary>Reads a map, or null when the file does not exist.</summary>
    /// <exception cref="JsonException">the file is not a map.</exception>
    public static LibraryMapFile? TryLoad(string path)
    {
        if (!File.Exists(path)) return null;
        return JsonSerializer.Deserialize<LibraryMapFile>(File.ReadAllText(path), Json) ?? throw new JsonException($"{path} holds no map");
    }
}
