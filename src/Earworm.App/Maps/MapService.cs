using System.Text.Json;
using Earworm.App.Library;
using Earworm.Learning.Numerics;
using Earworm.Learning.Projection;
using Earworm.Recommend;
using Earworm.Recommend.Projection;
using Earworm.Recommend.Spaces;

namespace Earworm.App.Maps;

/// <summary>A point of the library map, with its colour group (<see cref="MapTrack.Groups"/>: the album tag, else the
/// track's folder; for the t-SNE map, the group `inspect model` coloured its PNG with).</summary>
public sealed record MapPoint(long Id, double X, double Y, string? Group = null);

/// <summary>The 2-D map of a space and how it was made: <c>pca</c> (with the share of the variance its axes keep) or
/// <c>tsne</c> (the audio model's map written by <c>earworm inspect model</c>, with its trustworthiness, final KL
/// divergence and perplexity, and the model it mapped). <paramref name="Note"/> says why an audio map is not the t-SNE one
/// (none drawn yet, drawn for another model, unreadable) or which tracks it lacks.</summary>
public sealed record LibraryMap(string Space, string Method, double? ExplainedVariance, IReadOnlyList<MapPoint> Points,
    double? Trustworthiness = null, double? KlDivergence = null, double? Perplexity = null, string? ModelVersion = null, string? Note = null);

/// <summary>
/// The library map: the first two principal components of a space (<see cref="Pca"/>), scaled to [-1, 1]. For the <c>audio</c> space the t-SNE map <c>earworm inspect model</c> writes beside the catalog
/// (<see cref="LibraryMapFile"/>) replaces it when it maps the current audio model.
/// </summary>
public sealed class MapService(LibraryCache library)
{
    /// <summary>The map of a space (null: the best the library has), computed once per library view and space; the
    /// audio space's t-SNE file is read again when it changes (`inspect model` writes it without touching the catalog).</summary>
    /// <exception cref="UsageException">an unknown or empty space.</exception>
    public LibraryMap Map(string? spaceName)
    {
        var view = library.Current;
        var space = view.Space(spaceName);
        if (space.Name != SpaceService.Audio) return view.Memo("map:" + space.Name, () => Project(view, space));
        var mapFile = LibraryMapFile.DefaultPath(library.Location.ModelFolder, SpaceService.Audio);
        var file = new FileInfo(mapFile);
        var stamp = file.Exists ? $"{file.Length}:{file.LastWriteTimeUtc.Ticks}" : "none";
        return view.Memo($"map:{space.Name}:{stamp}", () => ForAudio(view, space, mapFile));
    }

    /// <summary>The audio space's map: the t-SNE file at <paramref name="mapFile"/> when it maps the catalog's current audio
    /// model (its points limited to the space's tracks), else PCA with a note saying why.</summary>
    private static LibraryMap ForAudio(LibraryView library, LibrarySpace space, string mapFile)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(space);
        // named as the catalog's model folder and file (catalog.models/map-audio.json), the way `inspect model` says it
        var shown = Path.Combine(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(mapFile))) ?? "", Path.GetFileName(mapFile));
        LibraryMapFile? file;
        try
        {
            file = LibraryMapFile.TryLoad(mapFile);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return Project(library, space) with { Note = $"the t-SNE map {shown} could not be read ({e.Message}): `earworm inspect model` redraws it" };
        }
        if (file is null)
            return Project(library, space) with { Note = "no t-SNE map of the audio model yet: `earworm inspect model --out DIR` draws one" };
        var current = library.CurrentModel(SpaceService.Audio)?.Version;
        if (file.Space != SpaceService.Audio || file.ModelVersion is null || file.ModelVersion != current)
            return Project(library, space) with
            {
                Note = $"the t-SNE map {shown} is of {file.Space} model {file.ModelVersion ?? "(unnamed)"}, not of the current audio model " +
                       $"{current ?? "(none)"}: `earworm inspect model` redraws it",
            };
        var points = file.Points.Where(p => space.Vectors.Contains(p.Id) && double.IsFinite(p.X) && double.IsFinite(p.Y))
            .GroupBy(p => p.Id).Select(g => g.First())
            .Select(p => new MapPoint(p.Id, Math.Clamp(p.X, -1, 1), Math.Clamp(p.Y, -1, 1), p.Group)).OrderBy(p => p.Id).ToList();
        if (points.Count == 0)
            return Project(library, space) with { Note = $"the t-SNE map {shown} holds none of the library's tracks: `earworm inspect model` redraws it" };
        int missing = space.Vectors.Count - points.Count;
        return new LibraryMap(SpaceService.Audio, "tsne", null, points, file.Trustworthiness, file.KlDivergence, file.Perplexity, file.ModelVersion,
            missing > 0 ? $"{missing} track(s) of the audio space are not on the t-SNE map (embedded after it was drawn): `earworm inspect model` redraws it" : null);
    }

    private static LibraryMap Project(LibraryView library, LibrarySpace space)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(space);
        var groups = Groups(library);
        var ids = space.Vectors.Ids.Order().ToArray();
        int n = ids.Length, d = space.Vectors.Dimension;
        var data = new float[n * d];
        for (int i = 0; i < n; i++)
        {
            var row = data.AsSpan(i * d, d);
            space.Vectors.VectorOf(ids[i]).CopyTo(row);
            if (space.Vectors.Metric == Metric.Cosine) VectorNorm.Normalise(row);
        }
        var pca = Pca.Fit(data, n, d, 2);
        double maxAbs = 1e-12;
        for (int a = 0; a < pca.Scores.Length; a++) maxAbs = Math.Max(maxAbs, Math.Abs(pca.Scores[a]));
        var points = new MapPoint[n];
        for (int i = 0; i < n; i++)
            points[i] = new MapPoint(ids[i], Math.Round(pca.Score(i, 0) / maxAbs, 5), Math.Round(pca.Score(i, 1) / maxAbs, 5), groups.GetValueOrDefault(ids[i]));
        return new LibraryMap(space.Name, "pca", Math.Round(pca.ExplainedVariance, 4), points);
    }

    /// <summary>Each track's colour group, as `inspect model` colours its map (album tag, else folder).</summary>
    private static Dictionary<long, string> Groups(LibraryView library) => library.Memo("map-groups", () =>
    {
        var groups = MapTrack.Groups(library.Tracks.Select(t => (t.Path, t.Album)));
        return library.Tracks.Select((t, i) => (t.Id, groups[i])).ToDictionary(x => x.Id, x => x.Item2);
    });
}
