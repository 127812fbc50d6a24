using System.Security.Cryptography;
using System.Text;
using Earworm.Catalog.Import.Csv;
using Earworm.Catalog.Import.HetRec;
using Earworm.Catalog.Import.Json;
using Earworm.Catalog.Import.Playlists;
using Earworm.Catalog.Scanning;

namespace Earworm.Catalog.Import;

/// <summary>What <c>earworm import</c> was told beside the format and paths.</summary>
public sealed record ImportOptions
{
    /// <summary>The listener: needed by files that name none, replaces the one name of a single-listener export
    /// (Spotify, ListenBrainz), owns the playlists; refused for files that name many users (csv with a user column,
    /// lastfm-2k).</summary>
    public string? User { get; init; }

    public InteractionCsvOptions Csv { get; init; } = new();
    public SpotifyOptions Spotify { get; init; } = new();
}

/// <summary>
/// The edge of importing: finds the files (a folder stands for the files in it of the format's extensions), reads
/// and hashes them, parses each in full and applies <see cref="ImportOptions.User"/>. Nothing touches the catalog
/// here, so a malformed file is refused before anything is written.
/// </summary>
public static class ImportReader
{
    /// <exception cref="UsageException">a path that does not exist, a folder without files of the format, or
    /// <c>--user</c> missing where needed or given where it cannot apply.</exception>
    /// <exception cref="DatasetFormatException">a malformed file (file, line and reason).</exception>
    public static IReadOnlyList<ImportSource> Read(ImportFormat format, IReadOnlyList<string> paths, ImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Csv.Validate();
            options.Spotify.Validate();
        }
        catch (ArgumentException e)
        {
            throw UsageException.From(e);
        }
        if (options.User is { } u && string.IsNullOrWhiteSpace(u)) throw new UsageException("--user needs a name");
        if (paths.Count == 0) throw new UsageException("nothing to import: name a file or folder");
        var sources = Files(format, paths).Select(f => ReadOne(format, f, options)).ToList();
        return sources.Select(s => WithUser(s, options.User?.Trim())).ToList();
    }

    /// <summary>The files to read, in order, without repeats; for lastfm-2k the folders.</summary>
    internal static IReadOnlyList<string> Files(ImportFormat format, IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var given in paths)
        {
            var full = Path.GetFullPath(given);
            if (format == ImportFormat.LastFm2k)
            {
                if (File.Exists(full)) full = Path.GetDirectoryName(full)!;
                if (!Directory.Exists(full)) throw new UsageException($"no such file or folder: {given}");
                files.Add(full);
                continue;
            }
            if (File.Exists(full))
            {
                files.Add(full);
                continue;
            }
            if (!Directory.Exists(full)) throw new UsageException($"no such file or folder: {given}");
            var ext = ImportFormats.Extensions(format);
            // an unpacked ListenBrainz export keeps its listens in listens/YEAR/MONTH.jsonl beside user.json and feedback.jsonl
            var root = format == ImportFormat.ListenBrainz && Directory.Exists(Path.Combine(full, "listens")) ? Path.Combine(full, "listens") : full;
            var found = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                .Where(f => ext.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)) && ImportFormats.TakesFromFolder(format, Path.GetFileName(f)))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (found.Count == 0) throw new UsageException($"no {string.Join(" or ", ext)} files in {given}");
            files.AddRange(found);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return files.Where(f => seen.Add(LibraryWalker.Canonical(f) ?? f)).ToList();
    }

    private static ImportSource ReadOne(ImportFormat format, string path, ImportOptions options)
    {
        if (format == ImportFormat.LastFm2k) return LastFm2kFolder.Read(path);
        var bytes = File.ReadAllBytes(path);
        var canonical = LibraryWalker.Canonical(path) ?? path;
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var dir = Path.GetDirectoryName(path)!;
        var source = new ImportSource(format, canonical, sha);
        switch (format)
        {
            case ImportFormat.Csv:
            case ImportFormat.Tsv:
            {
                var csv = format == ImportFormat.Tsv ? options.Csv with { Delimiter = options.Csv.Delimiter ?? '\t' } : options.Csv;
                return WithLog(source, InteractionCsv.Parse(new StringReader(Decode(bytes)), path, dir, csv));
            }
            case ImportFormat.LastFmCsv:
                return WithLog(source, LastFmScrobbleCsv.Parse(new StringReader(Decode(bytes)), path));
            case ImportFormat.ListenBrainz:
                return WithLog(source, ListenBrainzExport.Parse(bytes, path));
            case ImportFormat.Spotify:
                return WithLog(source, SpotifyStreamingHistory.Parse(bytes, path, options.Spotify));
            case ImportFormat.M3u:
            {
                var playlist = M3uPlaylist.Parse(new StringReader(Decode(bytes)), path, dir) with { SourcePath = canonical };
                return source with { Rows = playlist.Entries.Count, Playlists = [playlist] };
            }
            case ImportFormat.Xspf:
            {
                var playlist = XspfPlaylist.Parse(new StringReader(Decode(bytes)), path, dir) with { SourcePath = canonical };
                return source with { Rows = playlist.Entries.Count, Playlists = [playlist] };
            }
            case ImportFormat.MpdJson:
            {
                var playlists = MpdSlice.Parse(bytes, path, canonical);
                return source with { Rows = playlists.Sum(p => p.Entries.Count), Playlists = playlists };
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(format));
        }
    }

    private static ImportSource WithLog(ImportSource source, ListenLog log) =>
        source with { Rows = log.Rows, Listens = log.Listens, Ignored = log.Ignored };

    private static ImportSource WithUser(ImportSource s, string? user)
    {
        if (ImportFormats.IsPlaylist(s.Format)) return s with { User = user };
        if (user is not null)
        {
            if (ImportFormats.NamesManyUsers(s.Format) && s.Listens.Any(l => l.User is not null))
                throw new UsageException(s.Format == ImportFormat.LastFm2k
                    ? $"{s.Path} holds its own users (lastfm-2k:ID); --user does not apply"
                    : $"{s.Path} names its users in a column; --user applies only to files without one");
            return s with { User = user, Listens = s.Listens.Select(l => l with { User = user }).ToList() };
        }
        if (s.Listens.FirstOrDefault(l => l.User is null) is { } anonymous)
            throw new UsageException($"{s.Path}:{anonymous.LineNumber}: the {ImportFormats.Name(s.Format)} file does not say whose listening it is: pass --user NAME");
        return s;
    }

    /// <summary>Text as playlists and CSVs come: UTF-8 (a BOM stripped), UTF-16 with a BOM, else ISO-8859-1
    /// (the older M3U and Windows exports), decided by whether the bytes are valid UTF-8.</summary>
    internal static string Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> b = bytes;
        if (b.StartsWith(Encoding.UTF8.Preamble)) b = b[3..];
        else if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.Unicode.GetString(b[2..]);
        else if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.BigEndianUnicode.GetString(b[2..]);
        try
        {
            return StrictUtf8.GetString(b);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(b);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
