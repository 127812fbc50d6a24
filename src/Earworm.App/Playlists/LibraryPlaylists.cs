using System.Text;
using Earworm.Catalog;
using Earworm.Recommend.Playlists;

namespace Earworm.App.Playlists;

/// <summary>Where a playlist was saved in the library, and how many of its tracks lie outside that folder.</summary>
public sealed record SavedPlaylist(string Path, string Folder, int TracksOutside, bool Replaced);

/// <summary>
/// Playlists saved into the library's folder as M3U8 with paths relative to it, where media servers (Jellyfin,
/// Navidrome, …) find and import them. A file Earworm wrote before (it carries the <see cref="Marker"/> line) is
/// replaced; any other file of the same name is left alone.
/// </summary>
public static class LibraryPlaylists
{
    /// <summary>An M3U comment (players ignore it) that says Earworm wrote the file.</summary>
    public const string Marker = "#EARWORM:";

    /// <summary>"Earworm – keep playing from X", "Earworm – X to Y".</summary>
    public static string DefaultName(PlaylistResult playlist)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        static string Name(PlaylistEntry e) => e.Title is null ? System.IO.Path.GetFileNameWithoutExtension(e.Path) : e.Artist is null ? e.Title : $"{e.Artist} - {e.Title}";
        if (playlist.Entries.Count == 0) return $"Earworm - {playlist.Mode}";
        return playlist.Mode == "join-the-dots"
            ? $"Earworm - {Name(playlist.Entries[0])} to {Name(playlist.Entries[^1])}"
            : $"Earworm - keep playing from {Name(playlist.Entries[0])}";
    }

    /// <param name="roots">The library's folders (the catalog's scanned roots).</param>
    /// <param name="folder">The folder to save into (one of the library's, or inside one); null: the library folder that
    /// holds every track of the playlist.</param>
    /// <param name="name">The playlist's name, also its file name; null: <see cref="DefaultName"/>.</param>
    /// <exception cref="UsageException">no library folder, several that could be meant, a folder outside the library or one
    /// that cannot be written, or a file of that name that Earworm did not write.</exception>
    public static SavedPlaylist Save(PlaylistResult playlist, IReadOnlyList<string> roots, string? folder = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        ArgumentNullException.ThrowIfNull(roots);
        string dir = Folder(playlist, roots, folder);
        name = string.IsNullOrWhiteSpace(name) ? DefaultName(playlist) : new string([.. name.Trim().Select(c => char.IsControl(c) ? ' ' : c)]);
        string path = System.IO.Path.Combine(dir, FileName(name) + ".m3u8");
        bool replaced = File.Exists(path);
        if (replaced && !File.ReadLines(path).Take(5).Any(l => l.StartsWith(Marker, StringComparison.Ordinal)))
            throw new UsageException($"{path} exists and Earworm did not write it: choose another --name");
        int outside = playlist.Entries.Count(e => !ChangeDetector.IsUnder(e.Path, dir));
        var text = new StringBuilder(PlaylistWriter.M3u8(playlist, dir, name))
            .Insert("#EXTM3U\n".Length, $"{Marker}{playlist.Mode} {playlist.Space}\n").ToString();
        string temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, path, overwrite: true); // whole or not at all: a server scanning now never reads half a playlist
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new UsageException($"cannot write the playlist into the library folder {dir}: {e.Message} " +
                                     "(media servers read playlists from there; --out FILE writes one elsewhere)");
        }
        return new SavedPlaylist(path, dir, outside, replaced);
    }

    /// <summary>The folder to save into: the one named (inside the library), else the library folder holding every track.</summary>
    private static string Folder(PlaylistResult playlist, IReadOnlyList<string> roots, string? folder)
    {
        if (folder is not null)
        {
            string full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(folder));
            if (!Directory.Exists(full)) throw new UsageException($"--library-folder {folder} is not a folder");
            if (roots.Count > 0 && !roots.Any(r => ChangeDetector.IsUnder(full, r)))
                throw new UsageException($"{full} is not inside the library ({string.Join(", ", roots)}): media servers read playlists from their library folders");
            return full;
        }
        if (roots.Count == 0) throw new UsageException("the catalog has no library folder yet (nothing was scanned): --out FILE writes the playlist elsewhere");
        var holding = roots.Where(r => playlist.Entries.All(e => ChangeDetector.IsUnder(e.Path, r))).ToList();
        // nested roots: the outermost is the library folder a server was given
        var outermost = holding.Where(r => !holding.Any(o => o != r && ChangeDetector.IsUnder(r, o))).ToList();
        if (outermost.Count == 1) return outermost[0];
        var counts = roots.Select(r => $"{r}: {playlist.Entries.Count(e => ChangeDetector.IsUnder(e.Path, r))} tracks");
        throw new UsageException($"which library folder? The playlist's tracks lie in several ({string.Join("; ", counts)}): name one with --library-folder");
    }

    /// <summary>The name as a file name: no separators or control characters, no leading dot, at most 120 characters.</summary>
    internal static string FileName(string name)
    {
        var b = new StringBuilder(name.Length);
        foreach (char c in name) b.Append(c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' || char.IsControl(c) ? '_' : c);
        string s = b.ToString().Trim().TrimStart('.');
        if (s.Length > 120) s = s[..120].TrimEnd();
        return s.Length == 0 ? "Earworm playlist" : s;
    }
}
