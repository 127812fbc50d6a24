using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Earworm.Catalog.Import;

namespace Earworm.Subsonic.Library;

/// <summary>
/// The API's ids, stable across restarts and re-scans: a song is its catalog id (a track keeps its row while its file
/// keeps its path), an album <c>al-</c> and an artist <c>ar-</c> followed by 12 hex digits of the SHA-256 of their
/// folded names (so they survive a rebuilt catalog too), a playlist <c>pl-</c> and its id. Ids are only ever looked
/// up in the library's tables: one that names nothing (a path, <c>../</c>, anything) is not found, and never reaches
/// the file system.
/// </summary>
public static class SubsonicIds
{
    public const string AlbumPrefix = "al-", ArtistPrefix = "ar-", PlaylistPrefix = "pl-";

    public static string Song(long trackId) => trackId.ToString(CultureInfo.InvariantCulture);

    public static string Album(string artist, string album) => AlbumPrefix + Hash(MatchText.Fold(artist) + "\u0001" + MatchText.Fold(album));

    public static string Artist(string artist) => ArtistPrefix + Hash(MatchText.Fold(artist));

    public static string Playlist(long id) => PlaylistPrefix + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The catalog id a song id holds; null for anything that is not one.</summary>
    public static long? SongId(string? id) =>
        id is { Length: > 0 and <= 18 } && id.All(char.IsAsciiDigit) && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static long? PlaylistId(string? id) =>
        id is not null && id.StartsWith(PlaylistPrefix, StringComparison.Ordinal) ? SongId(id[PlaylistPrefix.Length..]) : null;

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
