using System.Collections.Concurrent;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.App.Library;
using Earworm.Recommend.Spaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Earworm.App.Uploads;

/// <summary>An upload's point in the <c>audio</c> space: the current audio model's embedding of the file, made while
/// the file existed, and that model's version; or, when there is none, why.</summary>
public sealed record UploadAudio(float[]? Vector, string? ModelVersion, string? Unavailable)
{
    public static UploadAudio None(string why) => new(null, null, why);
}

/// <summary>An analysed upload: the file's name as sent, what ffprobe found, its descriptors and its audio embedding, and
/// its content hash (a library track with the same bytes is the same music, left out of what the upload pulls in).</summary>
public sealed record AnalysedUpload(string Id, string FileName, MediaInfo Media, TrackDescriptors Descriptors, DateTimeOffset At, UploadAudio Audio,
    string? ContentHash = null)
{
    /// <summary>The upload as a query of <c>SimilarTracks</c> (not a library track: id −1), so its duplicates in the
    /// library (same bytes, same artist and title) are left out.</summary>
    public Earworm.Recommend.Playlists.TrackFacts AsQuery() =>
        new(-1, FileName, Media.Artist, Media.Title, Media.DurationSeconds, ContentHash, Descriptors);
}

/// <summary>
/// Analyses an audio file sent by the page: written to a private temporary file, probed with ffprobe (no audio stream:
/// refused), decoded and described like a scanned track, embedded by the catalog's current audio model when the catalog
/// has one and the analyser was given the embedder (<see cref="IAudioFileEmbedder"/>), and the file deleted whatever
/// happens. It is not added to the library; its descriptors and embedding are kept in memory (the last 64) so a
/// playlist can start from it.
/// </summary>
public sealed class UploadAnalyser(TimeProvider time, LibraryCache? library = null, IAudioFileEmbedder? embedder = null,
    ILogger<UploadAnalyser>? logger = null)
{
    private const int Kept = 64;
    private readonly ConcurrentDictionary<string, AnalysedUpload> _uploads = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _decoders = new(Math.Max(1, Environment.ProcessorCount / 2));

    /// <summary>Where temporary files go (tests look there to see them gone).</summary>
    public string TempFolder { get; init; } = Path.Combine(Path.GetTempPath(), "earworm-uploads");

    public AnalysedUpload? Find(string id) => _uploads.GetValueOrDefault(id);

    /// <exception cref="UsageException">the content is not audio ffmpeg can read.</exception>
    public async Task<AnalysedUpload> AnalyseAsync(Stream content, string fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var tools = FfmpegTools.Locate();
        Directory.CreateDirectory(TempFolder);
        // The sent name is only shown, never used as a path.
        var path = Path.Combine(TempFolder, Guid.NewGuid().ToString("N") + ".upload");
        await _decoders.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            var file = new FileStream(path, create);
            await using (file.ConfigureAwait(false)) await content.CopyToAsync(file, ct).ConfigureAwait(false);
            var decoder = new FfmpegDecoder(tools);
            MediaInfo media;
            try
            {
                media = await decoder.ProbeAsync(path, ct).ConfigureAwait(false);
            }
            catch (MediaReadException e)
            {
                throw new UsageException($"{fileName} is not an audio file ffmpeg can read ({e.Message})");
            }
            if (!media.HasAudio) throw new UsageException($"{fileName} has no audio stream");
            TrackDescriptors descriptors;
            try
            {
                descriptors = await FileDescriber.DescribeAsync(path, ct, decoder).ConfigureAwait(false);
            }
            catch (MediaReadException e)
            {
                throw new UsageException($"{fileName} could not be decoded ({e.Message})");
            }
            var audio = await EmbedAsync(path, fileName, ct).ConfigureAwait(false);
            var hash = await Earworm.Catalog.ContentHash.OfFileAsync(path, ct).ConfigureAwait(false);
            var upload = new AnalysedUpload(Guid.NewGuid().ToString("N")[..16], Path.GetFileName(fileName), media, descriptors, time.GetUtcNow(), audio, hash);
            _uploads[upload.Id] = upload;
            foreach (var old in _uploads.Values.OrderByDescending(u => u.At).Skip(Kept)) _uploads.TryRemove(old.Id, out _);
            return upload;
        }
        finally
        {
            _decoders.Release();
            try
            {
                File.Delete(path);
            }
            catch (IOException) { }
        }
    }

    /// <summary>The file in the audio space, while it still exists: only when the catalog's audio space is filled by a
    /// current audio model (embedding with another would give a point in a different space).</summary>
    private async Task<UploadAudio> EmbedAsync(string path, string fileName, CancellationToken ct)
    {
        var view = library?.Current;
        if (view is null || !view.AvailableSpaces.Contains(SpaceService.Audio))
            return UploadAudio.None($"the catalog has no audio space: {SpaceService.FillWith(SpaceService.Audio)}");
        if (view.CurrentModel(SpaceService.Audio) is not { } model)
            return UploadAudio.None($"the catalog's audio vectors have no current audio model: {SpaceService.FillWith(SpaceService.Audio)}");
        if (embedder is null)
            return UploadAudio.None("this server cannot embed files with the audio model (`earworm serve` can)");
        try
        {
            var vector = await embedder.EmbedAsync(path, ct).ConfigureAwait(false);
            return new UploadAudio(vector, model.Version, null);
        }
        catch (EarwormException e)
        {
            // The descriptors still place the file: the analysis goes on without the audio space.
            (logger ?? NullLogger<UploadAnalyser>.Instance).LogWarning(e, "The audio model could not embed the upload {File}", fileName);
            return UploadAudio.None($"the audio model could not embed it ({e.Message})");
        }
    }
}
