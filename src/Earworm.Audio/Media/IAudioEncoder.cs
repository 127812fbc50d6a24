namespace Earworm.Audio.Media;

/// <summary>Writes PCM to an encoded audio file; the container and codec follow the file extension
/// (.mp3, .ogg, .flac, .wav, .opus, .m4a).</summary>
public interface IAudioEncoder
{
    /// <param name="interleaved">float32 samples in [-1, 1], channels interleaved.</param>
    /// <param name="sampleRate">Hz.</param>
    /// <param name="channels">1 or 2.</param>
    /// <param name="outputPath">written atomically: a partial file never appears under this name.</param>
    /// <param name="tags">container tags such as title, artist, album, genre, track, date.</param>
    Task EncodeAsync(ReadOnlyMemory<float> interleaved, int sampleRate, int channels, string outputPath,
        IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);
}
