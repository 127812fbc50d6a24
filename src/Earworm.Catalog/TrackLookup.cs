using System.Globalization;

namespace Earworm.Catalog;

/// <summary>
/// Finds the track a person means: a catalog id, a file path (a library file, or a copy of one elsewhere: the same
/// bytes are the same track), or words of "artist – title" (case- and accent-insensitive, every word must appear in
/// artist, title, album or file name).
/// Ambiguity is an error that lists the candidates, never a guess.
/// </summary>
public static class TrackLookup
{
    /// <summary>The one track <paramref name="query"/> names, or null when nothing matches.</summary>
    /// <exception cref="UsageException">several tracks match; the message lists some.</exception>
    public static TrackRecord? Find(ICatalog catalog, string query)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        if (long.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && catalog.FindById(id) is { } byId)
            return byId;
        if (File.Exists(query))
        {
            var canonical = Scanning.LibraryWalker.Canonical(query) ?? Path.GetFullPath(query);
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
        var words = Words(query);
        if (words.Length == 0) return null;
        var matches = catalog.ListTracks()
            .Where(t => t.Status != TrackStatus.Missing)
            .Where(t =>
            {
                var hay = Fold($"{t.Artist} {t.Title} {t.Album} {Path.GetFileNameWithoutExtension(t.Path)}");
                return words.All(w => hay.Contains(w, StringComparison.Ordinal));
            })
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

    private static string[] Words(string text) =>
        Fold(text).Split([' ', '-', '–', '—', '_', ',', '.', '/'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Lower case without diacritics: "Ballade für Klavier" → "ballade fur klavier" (<see cref="Import.MatchText"/>,
    /// the one folding of names in Earworm).</summary>
    internal static string Fold(string text) => Import.MatchText.Fold(text);
}
