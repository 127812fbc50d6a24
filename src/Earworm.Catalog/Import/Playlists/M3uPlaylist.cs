using System.Globalization;

namespace Earworm.Catalog.Import.Playlists;

/// <summary>
/// M3U and M3U8 playlists: one entry per line, a path (absolute, or relative to the playlist's folder; Windows
/// backslashes accepted) or a URL (<c>file://</c> URLs become paths; http and other URLs are kept as items without
/// audio). Extended M3U is understood: <c>#EXTM3U</c>, <c>#PLAYLIST:name</c>, and <c>#EXTINF:seconds,Artist - Title</c>
/// whose artist and title (split at the first " - " or " – ") help match the next entry when its path is not in the
/// catalog. Other <c>#</c> lines are comments.
/// </summary>
public static class M3uPlaylist
{
    /// <param name="fileName">the playlist's path: named in errors, and its file name is the playlist's name
    /// unless <c>#PLAYLIST:</c> gives one.</param>
    /// <param name="baseDirectory">the playlist's folder, against which relative entries are resolved.</param>
    /// <exception cref="DatasetFormatException">an #EXTINF with no duration or no entry after it, or an entry that
    /// is neither a path nor a URL (file, line and reason).</exception>
    public static PlaylistRecord Parse(TextReader reader, string fileName, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        string? name = null;
        var entries = new List<PlaylistLine>();
        (string? Artist, string? Title, int Line)? hint = null;
        int lineNumber = 0;
        string? raw;
        while ((raw = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var line = (lineNumber == 1 ? raw.TrimStart('\uFEFF') : raw).Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("#EXTINF:", StringComparison.OrdinalIgnoreCase))
            {
                if (hint is { } h) throw new DatasetFormatException(fileName, lineNumber, $"#EXTINF follows the #EXTINF of line {h.Line} with no entry between them");
                hint = ExtInf(line["#EXTINF:".Length..], fileName, lineNumber);
                continue;
            }
            if (line.StartsWith("#PLAYLIST:", StringComparison.OrdinalIgnoreCase))
            {
                name = line["#PLAYLIST:".Length..].Trim() is { Length: > 0 } n ? n : name;
                continue;
            }
            if (line.StartsWith('#')) continue;
            var at = Locations.Resolve(line, baseDirectory)
                     ?? throw new DatasetFormatException(fileName, lineNumber, $"\"{line}\" is neither a path nor a URL");
            entries.Add(new PlaylistLine(new ItemRef { Path = at.Path, Url = at.Url, Artist = hint?.Artist, Title = hint?.Title }, lineNumber));
            hint = null;
        }
        if (hint is { } last) throw new DatasetFormatException(fileName, last.Line, "#EXTINF has no entry after it");
        return new PlaylistRecord(name ?? Path.GetFileNameWithoutExtension(fileName), fileName, entries);
    }

    /// <summary>"123,Artist - Title" or "-1 tvg-id="x",Title": the duration must be a number; attributes are skipped.</summary>
    private static (string? Artist, string? Title, int Line) ExtInf(string text, string fileName, int lineNumber)
    {
        int comma = IndexOfUnquoted(text, ',');
        var head = (comma < 0 ? text : text[..comma]).Trim();
        var duration = head.Split(' ', 2)[0];
        if (!double.TryParse(duration, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
            throw new DatasetFormatException(fileName, lineNumber, $"#EXTINF duration \"{duration}\" is not a number of seconds");
        var display = comma < 0 ? "" : text[(comma + 1)..].Trim();
        if (display.Length == 0) return (null, null, lineNumber);
        foreach (var dash in (string[])[" - ", " – ", " — "])
        {
            int i = display.IndexOf(dash, StringComparison.Ordinal);
            if (i > 0 && display[(i + dash.Length)..].Trim() is { Length: > 0 } title)
                return (display[..i].Trim(), title, lineNumber);
        }
        return (null, display, lineNumber);
    }

    private static int IndexOfUnquoted(string text, char c)
    {
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == c && !quoted) return i;
        }
        return -1;
    }
}
