using Earworm.Catalog.Import;

namespace Earworm.Catalog.Text;

/// <summary>The words the texts say about one track: each term's count over every text that reaches it.</summary>
public sealed record TrackWords(long TrackId, IReadOnlyDictionary<string, double> TermCounts, IReadOnlyList<string> Texts);

/// <summary>
/// Which texts reach which tracks, and the terms they bring (<see cref="TextTokens"/>): a track's own text, its album's
/// (by folded album name) and its artist's (by folded artist name) — the same rule a text's key was made by
/// (<see cref="KeyOf"/>), so a text on an artist reaches tracks a later scan adds. Also the word each term is shown as:
/// the one most often written for it.
/// </summary>
public sealed class TrackTexts
{
    private TrackTexts(IReadOnlyList<TrackWords> tracks, IReadOnlyDictionary<string, string> shownAs)
    {
        Tracks = tracks;
        ShownAs = shownAs;
    }

    /// <summary>The tracks some text reaches, by id.</summary>
    public IReadOnlyList<TrackWords> Tracks { get; }

    /// <summary>Term → the word shown for it ("melodi" → "melodies" when that is how the texts most often write it).</summary>
    public IReadOnlyDictionary<string, string> ShownAs { get; }

    /// <summary>The key a text about <paramref name="name"/> of this kind has: the folded name, or a track's id.</summary>
    public static string KeyOf(TextKind kind, string name) => kind == TextKind.Track ? name.Trim() : MatchText.Fold(name);

    /// <summary>The word a term is shown as (the term itself when no text wrote it).</summary>
    public string Show(string term) => ShownAs.GetValueOrDefault(term, term);

    /// <param name="tracks">The tracks texts may reach: id, artist and album (missing tracks left out by the caller).</param>
    public static TrackTexts Collect(IEnumerable<(long Id, string? Artist, string? Album)> tracks, IReadOnlyList<TextDocument> texts)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(texts);
        var words = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var parsed = new Dictionary<(TextKind, string), (Dictionary<string, double> Counts, string Name)>();
        foreach (var text in texts)
        {
            var counts = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (term, word) in TextTokens.Read(text.Body))
            {
                counts[term] = counts.GetValueOrDefault(term) + 1;
                var w = words.TryGetValue(term, out var d) ? d : words[term] = new Dictionary<string, int>(StringComparer.Ordinal);
                w[word] = w.GetValueOrDefault(word) + 1;
            }
            parsed[(text.Kind, text.Key)] = (counts, $"{text.Kind.Name()} {text.Name}");
        }
        var result = new List<TrackWords>();
        foreach (var (id, artist, album) in tracks)
        {
            var reached = new List<(Dictionary<string, double> Counts, string Name)>();
            if (parsed.TryGetValue((TextKind.Track, id.ToString(System.Globalization.CultureInfo.InvariantCulture)), out var own)) reached.Add(own);
            if (album is not null && parsed.TryGetValue((TextKind.Album, MatchText.Fold(album)), out var ofAlbum)) reached.Add(ofAlbum);
            if (artist is not null && parsed.TryGetValue((TextKind.Artist, MatchText.Fold(artist)), out var ofArtist)) reached.Add(ofArtist);
            if (reached.Count == 0) continue;
            var sum = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (counts, _) in reached)
                foreach (var (term, n) in counts) sum[term] = sum.GetValueOrDefault(term) + n;
            result.Add(new TrackWords(id, sum, [.. reached.Select(r => r.Name)]));
        }
        var shownAs = words.ToDictionary(kv => kv.Key,
            kv => kv.Value.OrderByDescending(w => w.Value).ThenBy(w => w.Key.Length).ThenBy(w => w.Key, StringComparer.Ordinal).First().Key,
            StringComparer.Ordinal);
        return new TrackTexts(result, shownAs);
    }
}
