namespace Earworm.Audio.Media;

/// <summary>The one mapping from a file's raw tags (keys lower-cased) to the <see cref="MediaInfo"/> fields a listener
/// cares about, shared by the readers of ffprobe's JSON and of ffmpeg's own dump.
/// A tag the file repeats (several TITLE= Vorbis comments, say) reaches us as one value, ffmpeg's join of them with
/// ';' between. Per field: the title and the album are one name, so one of the values is taken (<see cref="OneTitle"/>:
/// the one the file's name says, else the first; the album: the first); the artist, album artist and genre keep the
/// join, since several performers or several genres are each true (the genre tags split it again:
/// <c>Catalog/Tags/FileTags</c>). <see cref="Tags"/> keeps every raw value as it came.</summary>
public static partial class MediaTags
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
            Title = OneTitle(Tag(tags, "title"), null),
            Artist = Tag(tags, "artist"),
            Album = Repeated(Tag(tags, "album")) is [var album, ..] ? album : null,
            AlbumArtist = Tag(tags, "album_artist") ?? Tag(tags, "albumartist"),
            Genre = Tag(tags, "genre"),
            TrackNumber = LeadingInt(Tag(tags, "track") ?? Tag(tags, "tracknumber")),
            Year = Year(Tag(tags, "date") ?? Tag(tags, "year") ?? Tag(tags, "originaldate")),
            Tags = tags,
        };
    }

    /// <summary>The values ffmpeg joined with ';' when a file repeats a tag: "Caves;Desert" → [Caves, Desert]. A ';'
    /// followed by a space is part of one value ("Hello; Goodbye"), as ffmpeg's join puts none there.</summary>
    public static IReadOnlyList<string> Repeated(string? value) => value is null ? []
        : JoinPattern().Split(value).Select(v => v.Trim()).Where(v => v.Length > 0).ToList();

    /// <summary>One title from a title tag that may hold several (a file of a game's soundtrack tagged with every piece's
    /// name): the one the file's name holds (the longest such, letters and digits compared), else the first.</summary>
    /// <param name="path">the file's path or name; null when not known (the first value then).</param>
    public static string? OneTitle(string? value, string? path)
    {
        var values = Repeated(value);
        if (values.Count <= 1) return values.Count == 1 ? values[0] : null;
        if (path is not null)
        {
            var name = Letters(Path.GetFileNameWithoutExtension(path));
            var named = values.Where(v => Letters(v) is { Length: > 0 } l && name.Contains(l, StringComparison.Ordinal))
                .MaxBy(v => Letters(v).Length);
            if (named is not null) return named;
        }
        return values[0];
    }

    private static string Letters(string s) => string.Concat(s.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    [System.Text.RegularExpressions.GeneratedRegex(@";(?!\s)")]
    private static partial System.Text.RegularExpressions.Regex JoinPattern();

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
