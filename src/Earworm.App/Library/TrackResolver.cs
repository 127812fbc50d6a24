using System.Globalization;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.App.Library;

/// <summary>What a person named: a catalog track, or an audio file outside the library (at <see cref="File"/>).</summary>
public sealed record NamedTarget(TrackRecord? Track, string? File)
{
    /// <summary>The file to read for it: the outside file, else the track's own.</summary>
    public string? Path => File ?? Track?.Path;
}

/// <summary>
/// Finds the track a person means, the same way for every front end: a catalog id, a file path (a library file, or a
/// copy of one elsewhere: the same bytes are the same track), or words of "artist – title" (<see cref="TrackSearch"/>:
/// every word must appear; missing tracks are passed over). Ambiguity is an error that lists the candidates, never a
/// guess. <see cref="Resolve"/> also accepts an audio file outside the library.
/// </summary>
public static class TrackResolver
{
    /// <summary>The one track <paramref name="query"/> names, or null when nothing matches.</summary>
    /// <exception cref="UsageException">several tracks match; the message lists some.</exception>
    public static TrackRecord? Find(ICatalog catalog, string query)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        if (long.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && catalog.FindById(id) is { } byId)
            return byId;
        if (File.Exists(query)) return ByFile(catalog, query);
        var words = TrackSearch.Words(query);
        if (words.Length == 0) return null;
        var matches = catalog.ListTracks()
            .Where(t => t.Status != TrackStatus.Missing && TrackSearch.Matches(TrackSearch.Text(t), words))
            .ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new UsageException($"\"{query}\" matches {matches.Count} tracks: " +
                string.Join("; ", matches.Take(5).Select(t => $"{t.Id} {t.Artist} – {t.Title}")) +
                (matches.Count > 5 ? "; …" : "") + ". Give more words, or the id."),
        };
    }

    /// <summary>The track <paramref name="query"/> names, or else the audio file at that path outside the library.</summary>
    /// <exception cref="TrackNotFoundException">neither a track nor a file matches.</exception>
    /// <exception cref="UsageException">several tracks match.</exception>
    public static NamedTarget Resolve(ICatalog? catalog, string query)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var track = catalog is null ? null : Find(catalog, query);
        if (track is not null) return new NamedTarget(track, null);
        if (File.Exists(query)) return new NamedTarget(null, System.IO.Path.GetFullPath(query));
        throw new TrackNotFoundException($"no track or file matches \"{query}\"");
    }

    /// <summary>The error for a catalog track that is not analysed (missing, failed, pending), named as a starting point:
    /// every front end says it the same way.</summary>
    public static UsageException NotAnalysed(TrackRecord track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return new UsageException($"track {track.Id} ({track.Path}) is {track.Status.ToString().ToLowerInvariant()}, not analysed" +
                                  (track.Status == TrackStatus.Missing ? ": its file is gone (scan its folder again if it moved)" : ""));
    }

    /// <summary>A library file by its canonical path, else a library track with the same bytes.</summary>
    private static TrackRecord? ByFile(ICatalog catalog, string path)
    {
        var canonical = LibraryWalker.Canonical(path) ?? System.IO.Path.GetFullPath(path);
        if (catalog.FindByPath(canonical) is { } byPath) return byPath;
        try
        {
            return catalog.FindAnalysedByHash(ContentHash.OfFile(canonical));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>A request named a track the library does not have (the web app answers 404; the CLI exits with 2).</summary>
public sealed class TrackNotFoundException : UsageException
{
    public TrackNotFoundException(long id) : base($"no track {id} in the library") => TrackId = id;

    public TrackNotFoundException(string message) : base(message) { }

    /// <summary>The id asked for, when one was.</summary>
    public long? TrackId { get; }
}
