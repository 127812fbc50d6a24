using System.Xml;
using System.Xml.Linq;

namespace Earworm.Catalog.Import.Playlists;

/// <summary>
/// XSPF ("spiff") playlists (xspf.org/spec, version 1): <c>playlist/title</c> names the playlist; each
/// <c>trackList/track</c> is an entry, its first <c>location</c> (a URI: <c>file:</c> or relative ones become paths,
/// relative to the playlist's folder; others are kept as URLs) and its <c>creator</c>, <c>title</c> and
/// <c>album</c>; an <c>identifier</c> of the form <c>https://musicbrainz.org/recording/MBID</c> gives a recording
/// MBID. A track needs a location or both a creator and a title. DTDs are refused.
/// </summary>
public static class XspfPlaylist
{
    public const string Namespace = "http://xspf.org/ns/0/";

    /// <exception cref="DatasetFormatException">malformed XML, a root that is not an XSPF playlist, or a track that names
    /// nothing (file, line and reason).</exception>
    public static PlaylistRecord Parse(TextReader reader, string fileName, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        XDocument doc;
        try
        {
            using var xml = XmlReader.Create(reader, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            doc = XDocument.Load(xml, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new DatasetFormatException(fileName, Math.Max(1, e.LineNumber), "malformed XML: " + Brief(e.Message));
        }
        var root = doc.Root!;
        XNamespace ns = root.Name.NamespaceName;
        if (root.Name.LocalName != "playlist" || (ns != Namespace && ns != XNamespace.None))
            throw new DatasetFormatException(fileName, Line(root), $"expected an XSPF <playlist> in namespace {Namespace}, found <{root.Name.LocalName}>");
        var name = Text(root.Element(ns + "title"));
        var entries = new List<PlaylistLine>();
        foreach (var track in root.Element(ns + "trackList")?.Elements(ns + "track") ?? [])
        {
            int line = Line(track);
            var location = Text(track.Element(ns + "location"));
            var item = new ItemRef
            {
                Artist = Text(track.Element(ns + "creator")),
                Title = Text(track.Element(ns + "title")),
                Album = Text(track.Element(ns + "album")),
                Mbid = track.Elements(ns + "identifier").Select(i => Mbid(Text(i))).FirstOrDefault(m => m is not null),
            };
            if (location is not null)
            {
                // a relative location is a URI reference too: its escapes (%20) are decoded before it becomes a path
                var text = Uri.TryCreate(location, UriKind.Absolute, out _) ? location : Uri.UnescapeDataString(location);
                var at = Locations.Resolve(text, baseDirectory)
                         ?? throw new DatasetFormatException(fileName, line, $"location \"{location}\" is neither a path nor a URL");
                item = item with { Path = at.Path, Url = at.Url };
            }
            else if (item.Artist is null || item.Title is null)
            {
                throw new DatasetFormatException(fileName, line, "the track has no location, and no creator and title to find it by");
            }
            entries.Add(new PlaylistLine(item, line));
        }
        return new PlaylistRecord(name ?? Path.GetFileNameWithoutExtension(fileName), fileName, entries);
    }

    private static string? Text(XElement? e) => e is null || string.IsNullOrWhiteSpace(e.Value) ? null : e.Value.Trim();

    private static int Line(XElement e) => e is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 1;

    private static string? Mbid(string? identifier)
    {
        const string prefix = "musicbrainz.org/recording/";
        if (identifier is null) return null;
        int i = identifier.IndexOf(prefix, StringComparison.OrdinalIgnoreCase);
        if (i < 0) return null;
        var id = identifier[(i + prefix.Length)..].TrimEnd('/');
        return Guid.TryParse(id, out var g) ? g.ToString() : null;
    }

    private static string Brief(string message)
    {
        int cut = message.IndexOf(" Line ", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd(' ', ',', '.');
    }
}
