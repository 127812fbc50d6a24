using System.Text.RegularExpressions;
using Earworm.Audio.Media;

namespace Earworm.Catalog.Scanning;

/// <summary>Which of a track's title, artist and album were guessed from its path rather than read from its tags.</summary>
[Flags]
public enum GuessedTags
{
    None = 0,
    Title = 1,
    Artist = 2,
    Album = 4,
}

public static class GuessedTagsExtensions
{
    /// <summary>"title", "artist", "album": the fields guessed, as views and JSON name them.</summary>
    public static IReadOnlyList<string> Names(this GuessedTags g)
    {
        var names = new List<string>(3);
        if (g.HasFlag(GuessedTags.Title)) names.Add("title");
        if (g.HasFlag(GuessedTags.Artist)) names.Add("artist");
        if (g.HasFlag(GuessedTags.Album)) names.Add("album");
        return names;
    }
}

/// <summary>
/// Fills the tags a file lacks from where it lies, the way a person reads a folder: the title from the file name
/// (a leading track number dropped; "Artist - Title" split when the artist is missing, or when the left side is the
/// artist the tags name), the album from the folder ("CD1"/"Disc 2" folders look one level up; "Artist - Album" and
/// "1999 - Album" folders split), the artist from the album artist tag when only that is set. What was guessed is
/// marked, so every view can say so. Placeholder tags ("untitled", "unknown") count as missing. Pure.
/// </summary>
public static partial class TagGuess
{
    private static readonly HashSet<string> Placeholders = new(StringComparer.OrdinalIgnoreCase)
    {
        "untitled", "unknown", "no title", "unknown title", "unknown artist", "unknown album", "untitled track", "track",
    };

    /// <summary>The media with its missing title, artist and album filled in, and which were guessed.</summary>
    public static (MediaInfo Media, GuessedTags Guessed) Apply(string path, MediaInfo media)
    {
        ArgumentNullException.ThrowIfNull(media);
        // of the titles a file repeats, the one its name says (MediaTags took the first, not knowing the name)
        var title = media.Tags.TryGetValue("title", out var titles) ? MediaTags.OneTitle(titles, path) : media.Title;
        var g = Guess(path, title, media.Artist, media.Album, media.AlbumArtist);
        return (media with { Title = g.Title, Artist = g.Artist, Album = g.Album }, g.Guessed);
    }

    /// <summary>Title, artist and album for a file at <paramref name="path"/> whose tags say what they say (null: absent).</summary>
    public static (string? Title, string? Artist, string? Album, GuessedTags Guessed) Guess(
        string path, string? title, string? artist, string? album, string? albumArtist)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        title = Real(title);
        artist = Real(artist) ?? Real(albumArtist);
        album = Real(album);
        var guessed = GuessedTags.None;

        if (title is null)
        {
            var name = Tidy(Path.GetFileNameWithoutExtension(path));
            name = WithoutArtist(WithoutTrackNumber(name), ref artist, ref guessed);
            if (name.Length > 0)
            {
                title = name;
                guessed |= GuessedTags.Title;
            }
        }

        if (album is null && AlbumFolder(path) is { } folder)
        {
            var name = Tidy(folder);
            if (YearPrefix().Match(name) is { Success: true } y) name = y.Groups["rest"].Value;
            name = WithoutArtist(name, ref artist, ref guessed);
            if (name.Length > 0)
            {
                album = name;
                guessed |= GuessedTags.Album;
            }
        }
        return (title, artist, album, guessed);
    }

    /// <summary>The folder that names the album: the file's own, or its parent's when the file's is a disc folder.</summary>
    private static string? AlbumFolder(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        for (int up = 0; up < 2 && !string.IsNullOrEmpty(dir); up++)
        {
            var name = Path.GetFileName(dir);
            if (string.IsNullOrEmpty(name)) return null; // the file system's root names nothing
            if (!DiscFolder().IsMatch(name)) return name;
            dir = Path.GetDirectoryName(dir);
        }
        return null;
    }

    private static string? Real(string? tag)
    {
        var t = tag?.Trim().Trim('[', ']', '<', '>', '(', ')').Trim();
        return string.IsNullOrEmpty(t) || Placeholders.Contains(t) ? null : tag!.Trim();
    }

    // "my_song_title" → "my song title": underscores stand for spaces only in names without spaces
    private static string Tidy(string name)
    {
        var n = name.Trim();
        if (!n.Contains(' ', StringComparison.Ordinal) && n.Contains('_', StringComparison.Ordinal)) n = n.Replace('_', ' ');
        return Spaces().Replace(n, " ").Trim();
    }

    /// <summary>"01 - Song", "01. Song", "3) Song", "01 Song", "1-03 Song" → "Song"; "1979", "99 Luftballons", "2.5 Hours" stay.</summary>
    internal static string WithoutTrackNumber(string name)
    {
        var m = TrackNumber().Match(name);
        if (!m.Success) return name;
        var rest = m.Groups["rest"].Value;
        bool punctuated = m.Groups["sep"].Value.Trim().Length > 0;
        bool leadingZero = m.Groups["num"].Value.Length > 1 && m.Groups["num"].Value[0] == '0';
        if (punctuated ? char.IsDigit(rest[0]) : !(leadingZero || m.Groups["disc"].Success)) return name;
        return rest.Trim();
    }

    // "Artist - Name": the artist, when the tags have none, is the left side (a guess); the name is the right side
    // then, or when the left side is the artist the tags name. Otherwise the whole is the name.
    private static string WithoutArtist(string name, ref string? artist, ref GuessedTags guessed)
    {
        var m = ArtistDash().Match(name);
        if (!m.Success) return name;
        string left = name[..m.Index].Trim(), right = name[(m.Index + m.Length)..].Trim();
        if (left.Length == 0 || right.Length == 0) return name;
        if (artist is null)
        {
            artist = left;
            guessed |= GuessedTags.Artist;
            return right;
        }
        return string.Equals(left, artist, StringComparison.OrdinalIgnoreCase) ? right : name;
    }

    [GeneratedRegex(@"^(?<disc>\d{1,2}-)?(?<num>\d{1,3})(?<sep>\s*[.)_-]\s*|\s+)(?<rest>\S.*)$")]
    private static partial Regex TrackNumber();

    [GeneratedRegex(@"\s+[-–—]\s+")]
    private static partial Regex ArtistDash();

    [GeneratedRegex(@"^(cd|disc|disk)\s*\d{1,2}$", RegexOptions.IgnoreCase)]
    private static partial Regex DiscFolder();

    [GeneratedRegex(@"^[\[(]?(19|20)\d\d[\])]?\s*[-.]?\s+(?<rest>\S.*)$")]
    private static partial Regex YearPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
