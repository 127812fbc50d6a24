namespace Earworm.Audio.Media;

/// <summary>The one mapping from a file's raw tags (keys lower-cased) to the <see cref="MediaInfo"/> fields a listener
/// cares about, shared by the readers of ffprobe's JSON and of ffmpeg's own dump.</summary>
public static class MediaTags
{
    public static MediaInfo Build(string container, string? codec, double? durationSeconds, int? sampleRateHz, int? channels,
        long? bitRate, bool hasPicture, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return new MediaInfo
        {
            Container = container,
            Codec = codec,
            DurationSeconds = durationSeconds is > 0 and < 1e7 ? durationSeconds : null,
            SampleRateHz = sampleRateHz,
            Channels = channels,
            BitRate = bitRate,
            HasPicture = hasPicture,
            Title = Tag(tags, "title"),
            Artist = Tag(tags, "artist"),
            Album = Tag(tags, "album"),
            AlbumArtist = Tag(tags, "album_artist") ?? Tag(tags, "albumartist"),
            Genre = Tag(tags, "genre"),
            TrackNumber = LeadingInt(Tag(tags, "track") ?? Tag(tags, "tracknumber")),
            Year = Year(Tag(tags, "date") ?? Tag(tags, "year") ?? Tag(tags, "originaldate")),
            Tags = tags,
        };
    }

    private static string? Tag(IReadOnlyDictionary<string, string> tags, string key) => tags.TryGetValue(key, out var v) ? v : null;

    /// <summary>"2/10" → 2, "07" → 7, "A1" → null.</summary>
    internal static int? LeadingInt(string? s)
    {
        if (s is null) return null;
        int n = 0, digits = 0;
        foreach (var c in s.Trim())
        {
            if (c is < '0' or > '9' || digits == 9) break;
            n = n * 10 + (c - '0');
            digits++;
        }
        return digits > 0 ? n : null;
    }

    /// <summary>"1999-05-01" → 1999; a year outside 1000–2999 is not believed.</summary>
    internal static int? Year(string? s) => LeadingInt(s) is { } y and >= 1000 and <= 2999 ? y : null;
}
