using System.Globalization;

namespace Earworm.Catalog.Import;

/// <summary>
/// The key a catalog item is filed under, unique in the catalog, so importing the same thing twice (or from two
/// sources) lands on the same item. The first that applies:
/// <list type="number">
/// <item>the source's own key where it is the identity (<see cref="ItemRef.KeyedBySource"/>: Spotify track URIs of the
/// Million Playlist Dataset);</item>
/// <item><c>song:ARTIST\tTITLE</c>, both <see cref="MatchText.Fold">folded</see>: one item for a song whichever
/// service reported it;</item>
/// <item><c>mbid:ID</c>, a MusicBrainz recording id;</item>
/// <item>the source's own key (<c>lastfm-2k:artist:51</c>, <c>csv:VALUE</c>);</item>
/// <item><c>path:/abs/path</c>, <c>url:URL</c>, <c>track:N</c>.</item>
/// </list>
/// An item matched to a catalog track is found by its track first; see <see cref="CatalogStore.Import"/>.
/// </summary>
public static class ItemKeys
{
    /// <summary>The key of <paramref name="item"/>; null when it names nothing (no parser emits such an item).</summary>
    public static string? For(ItemRef item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.KeyedBySource && !string.IsNullOrWhiteSpace(item.SourceKey)) return item.SourceKey;
        if (Song(item.Artist, item.Title) is { } song) return song;
        if (!string.IsNullOrWhiteSpace(item.Mbid)) return "mbid:" + item.Mbid.Trim().ToLowerInvariant();
        if (!string.IsNullOrWhiteSpace(item.SourceKey)) return item.SourceKey;
        if (!string.IsNullOrWhiteSpace(item.Path)) return "path:" + item.Path;
        if (!string.IsNullOrWhiteSpace(item.Url)) return "url:" + item.Url;
        if (item.TrackId is { } id) return Track(id);
        return null;
    }

    /// <summary><c>song:ARTIST\tTITLE</c> folded, or null when either is blank.</summary>
    public static string? Song(string? artist, string? title)
    {
        if (string.IsNullOrWhiteSpace(artist) || string.IsNullOrWhiteSpace(title)) return null;
        var a = MatchText.Fold(artist);
        var t = MatchText.Fold(title);
        return a.Length == 0 || t.Length == 0 ? null : $"song:{a}\t{t}";
    }

    /// <summary>What an item shares with others, as the sequence models' side features key it: <c>artist:ARTIST</c> and
    /// <c>album:ARTIST\tALBUM</c>, folded as <see cref="Song"/>'s names; a blank one is null.</summary>
    public static IReadOnlyList<string?> Features(string? artist, string? album)
    {
        static string? Fold(string? s) => string.IsNullOrWhiteSpace(s) ? null : MatchText.Fold(s) is { Length: > 0 } f ? f : null;
        var a = Fold(artist);
        var b = Fold(album);
        return [a is null ? null : "artist:" + a, b is null ? null : "album:" + a + "\t" + b];
    }

    public static string Track(long trackId) => "track:" + trackId.ToString(CultureInfo.InvariantCulture);
}
