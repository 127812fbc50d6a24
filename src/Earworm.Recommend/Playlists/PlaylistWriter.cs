using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml.Linq;

namespace Earworm.Recommend.Playlists;

/// <summary>Writes a playlist for players: M3U8 (UTF-8 extended M3U, paths relative to the playlist's folder when the
/// track lies under it, else absolute), XSPF (XML Shareable Playlist Format 1, <c>file://</c> URIs) or JSON (the
/// <see cref="PlaylistResult"/>, camelCase). The format follows the extension.</summary>
public static class PlaylistWriter
{
    /// <summary>One track of an XSPF playlist: its file (null: none, named by creator and title alone) and what is known.</summary>
    public sealed record XspfTrack(string? Path, string? Title, string? Creator, double? DurationSeconds, string? Annotation);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(PlaylistResult playlist, string path)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        var full = Path.GetFullPath(path);
        var text = Path.GetExtension(full).ToLowerInvariant() switch
        {
            ".m3u8" or ".m3u" => M3u8(playlist, Path.GetDirectoryName(full)!),
            ".xspf" => Xspf(playlist),
            ".json" => JsonText(playlist),
            var other => throw new UsageException($"cannot write a playlist as '{other}': use .m3u8, .xspf or .json"),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text, new UTF8Encoding(false));
    }

    /// <param name="title">The playlist's name (<c>#PLAYLIST:</c>, which Navidrome and others show); default "Earworm MODE (SPACE)".</param>
    public static string M3u8(PlaylistResult playlist, string folder, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        var sb = new StringBuilder("#EXTM3U\n");
        sb.Append(CultureInfo.InvariantCulture, $"#PLAYLIST:{title ?? $"Earworm {playlist.Mode} ({playlist.Space})"}\n");
        foreach (var e in playlist.Entries)
        {
            var name = e.Title is null ? Path.GetFileNameWithoutExtension(e.Path) : e.Artist is null ? e.Title : $"{e.Artist} - {e.Title}";
            sb.Append(CultureInfo.InvariantCulture, $"#EXTINF:{(int)Math.Round(e.DurationSeconds ?? -1)},{name}\n");
            sb.Append(RelativeWhenUnder(folder, e.Path)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The path relative to <paramref name="folder"/> when it lies under it (or a sibling folder of it), else absolute.</summary>
    public static string RelativeWhenUnder(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        bool escapes = Path.IsPathRooted(relative) || relative.Split(Path.DirectorySeparatorChar).TakeWhile(p => p == "..").Count() > 1;
        return escapes ? path : relative;
    }

    public static string Xspf(PlaylistResult playlist)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        return Xspf($"Earworm {playlist.Mode} ({playlist.Space})",
            playlist.Entries.Select(e => new XspfTrack(e.Path, e.Title, e.Artist, e.DurationSeconds, e.Reasons.Count == 0 ? null : string.Join("; ", e.Reasons))));
    }

    /// <summary>XSPF of tracks that may have no file: a track without <see cref="XspfTrack.Path"/> is named by its creator
    /// and title alone, which XSPF allows (a player or a service resolves it).</summary>
    public static string Xspf(string title, IEnumerable<XspfTrack> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        XNamespace ns = "http://xspf.org/ns/0/";
        var doc = new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(ns + "playlist", new XAttribute("version", "1"),
                new XElement(ns + "title", title),
                new XElement(ns + "trackList", tracks.Select(e => new XElement(ns + "track",
                    e.Path is null ? null : new XElement(ns + "location", new Uri(e.Path).AbsoluteUri),
                    e.Title is null ? null : new XElement(ns + "title", e.Title),
                    e.Creator is null ? null : new XElement(ns + "creator", e.Creator),
                    e.DurationSeconds is { } d ? new XElement(ns + "duration", ((long)Math.Round(d * 1000)).ToString(CultureInfo.InvariantCulture)) : null,
                    e.Annotation is null ? null : new XElement(ns + "annotation", e.Annotation))))));
        using var writer = new Utf8StringWriter();
        doc.Save(writer);
        return writer.ToString() + "\n";
    }

    public static string JsonText(PlaylistResult playlist) => JsonSerializer.Serialize(playlist, Json) + "\n";

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter() : base(CultureInfo.InvariantCulture) { }
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
