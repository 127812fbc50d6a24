namespace Earworm.Audio.Media;

/// <summary>What a file holds, normalised from ffprobe's JSON or the decoding ffmpeg's dump of its input
/// (<see cref="FfmpegLog"/>): the container, its best audio stream, whether it carries a picture, and the
/// tags a listener cares about. Null where the file does not say.</summary>
public sealed record MediaInfo
{
    /// <summary>ffprobe's format_name, e.g. "ogg", "mp3", "flac", "mov,mp4,m4a,3gp,3g2,mj2".</summary>
    public required string Container { get; init; }
    /// <summary>The chosen audio stream's codec, e.g. "vorbis"; null when there is no audio stream.</summary>
    public string? Codec { get; init; }
    public double? DurationSeconds { get; init; }
    public int? SampleRateHz { get; init; }
    public int? Channels { get; init; }
    public long? BitRate { get; init; }
    /// <summary>An embedded picture (cover art: a stream with the attached-picture disposition).</summary>
    public bool HasPicture { get; init; }
    public string? Title { get; init; }
    public string? Artist { get; init; }
    public string? Album { get; init; }
    public string? AlbumArtist { get; init; }
    public string? Genre { get; init; }
    public int? TrackNumber { get; init; }
    public int? Year { get; init; }
    /// <summary>Every tag, keys lower-cased; stream tags first, container tags win on conflict.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public bool HasAudio => Codec is not null;
}
