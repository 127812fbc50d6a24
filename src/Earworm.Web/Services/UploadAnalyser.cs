using System.Collections.Concurrent;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;

namespace Earworm.Web.Services;

/// <summary>An analysed upload: the file's name as sent, what ffprobe found, its descriptors.</summary>
public sealed record AnalysedUpload(string Id, string FileName, MediaInfo Media, TrackDescriptors Descriptors, DateTimeOffset At);

/// <summary>
/// Analyses an audio file sent by the page: written to a private temporary file, probed with ffprobe (no audio stream:
/// refused), decoded and described like a scanned track, and the file deleted whatever happens. It is not added to the
/// library; its descriptors are kept in memory (the last 64) so a playlist can start from it.
/// </summary>
public sealed class UploadAnalyser(TimeProvider time)
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
            var describer = new TrackDescriptorAnalyzer();
            try
            {
                await decoder.DecodeAsync(path, describer.Options.SampleRate, describer.Push, ct).ConfigureAwait(false);
            }
            catch (MediaReadException e)
            {
                throw new UsageException($"{fileName} could not be decoded ({e.Message})");
            }
            var upload = new AnalysedUpload(Guid.NewGuid().ToString("N")[..16], Path.GetFileName(fileName), media, describer.Result(), time.GetUtcNow());
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
}
