using Earworm.App.Library;
using Earworm.Recommend.Spaces;

namespace Earworm.App.Uploads;

/// <summary>An upload as a point of one of the library's spaces.</summary>
public sealed record UploadPoint(LibrarySpace Space, float[] Vector);

/// <summary>
/// Places an analysed upload in the library's spaces the way the CLI places a file outside the library
/// (<see cref="SpaceService.FileVectorAsync"/>, the one owner of that rule): its descriptors in <c>descriptors</c>, its
/// audio-model embedding (made while the file existed, <see cref="UploadAudio"/>) in <c>audio</c>, both joined in a
/// <c>hybrid</c> made of those two; never in <c>cf</c> or <c>track2vec</c>, which come from listening data. The points
/// are computed once per upload and catalog snapshot.
/// </summary>
public sealed class UploadPlacement(LibraryCache library)
{
    private sealed record Places(IReadOnlyDictionary<string, float[]> Vectors, IReadOnlyDictionary<string, string> Refusals);

    /// <summary>The spaces <paramref name="upload"/> can be placed in, best first (audio before descriptors).</summary>
    public async Task<IReadOnlyList<string>> SpacesAsync(LibraryView view, AnalysedUpload upload)
    {
        ArgumentNullException.ThrowIfNull(view);
        var places = await PlacesAsync(view, upload).ConfigureAwait(false);
        return [.. view.AvailableSpaces.Where(places.Vectors.ContainsKey)];
    }

    /// <summary>The upload's point in the space named, or (none named) in the best space it can be placed in
    /// (<see cref="SpaceService.Preferred"/> among those).</summary>
    /// <exception cref="UsageException">the space is not in the catalog, or the upload cannot be placed there (the
    /// message says why: no audio model, a hybrid with listening-data spaces…).</exception>
    public async Task<UploadPoint> PlaceAsync(LibraryView view, AnalysedUpload upload, string? spaceName)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(upload);
        var places = await PlacesAsync(view, upload).ConfigureAwait(false);
        var name = string.IsNullOrWhiteSpace(spaceName)
            ? SpaceService.Preferred(view.AvailableSpaces.Where(places.Vectors.ContainsKey))
            : spaceName.Trim();
        var space = view.Space(name);
        if (places.Vectors.TryGetValue(space.Name, out var vector)) return new UploadPoint(space, vector);
        var possible = view.AvailableSpaces.Where(places.Vectors.ContainsKey).ToList();
        throw new UsageException($"{upload.FileName} cannot be placed in the {space.Name} space: " +
                                 $"{places.Refusals.GetValueOrDefault(space.Name, "no reason known")}" +
                                 (possible.Count > 0 ? $" (it can be placed in: {string.Join(", ", possible)})" : ""));
    }

    private Task<Places> PlacesAsync(LibraryView view, AnalysedUpload upload) =>
        view.Memo("upload:" + upload.Id, () => library.WithCatalogAsync(async catalog =>
        {
            var spaces = new SpaceService(catalog);
            var audio = new EmbeddedUpload(view, upload);
            var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var refusals = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in view.AvailableSpaces)
            {
                try
                {
                    // The embedding is already made: nothing here waits, so no request's cancellation is needed.
                    vectors[name] = await spaces.FileVectorAsync(name, upload.FileName, upload.Descriptors, audio, CancellationToken.None)
                        .ConfigureAwait(false);
                }
                catch (UsageException e)
                {
                    refusals[name] = e.Message;
                }
            }
            return new Places(vectors, refusals);
        }));

    /// <summary>The upload's embedding, made by the analyser while the file existed, handed to
    /// <see cref="SpaceService.FileVectorAsync"/> as the file's place in <c>audio</c>; refused when there is none, when
    /// another audio model has become current since, or when its size is not the space's.</summary>
    private sealed class EmbeddedUpload(LibraryView view, AnalysedUpload upload) : IAudioFileEmbedder
    {
        public Task<float[]> EmbedAsync(string path, CancellationToken cancellationToken)
        {
            var audio = upload.Audio;
            if (audio.Vector is not { } vector) throw new UsageException($"it has no audio embedding: {audio.Unavailable}");
            var current = view.CurrentModel(SpaceService.Audio)?.Version;
            if (current != audio.ModelVersion)
                throw new UsageException($"it was embedded by audio model {audio.ModelVersion}, and the catalog's audio model is now " +
                                         $"{current ?? "none"}: send the file again");
            int dims = view.Space(SpaceService.Audio).Vectors.Dimension;
            if (vector.Length != dims)
                throw new UsageException($"the audio model gives {vector.Length} dimensions and the catalog's audio space has {dims}: run `earworm embed`");
            return Task.FromResult(vector);
        }
    }
}
