using Earworm.Catalog.Tags;

namespace Earworm.Recommend.Text;

/// <summary>A track that words matched: how well (Σ idf × the tag's share of the track's tags) and which words.</summary>
public sealed record TextMatch(long TrackId, double Score, IReadOnlyList<string> Words);

/// <summary>What a query's words became: the tags each matched, and the words no tag matched.</summary>
public sealed record TextQueryResult(IReadOnlyList<TextMatch> Tracks, IReadOnlyDictionary<string, IReadOnlyList<string>> Matched,
    IReadOnlyList<string> Unmatched);

/// <summary>
/// Words matched to tags ("calm piano for the evening"): the query is normalised as tags are (<see cref="TagText"/>),
/// then read left to right, the longest run of up to three words that is a tag first ("rainy day", "drum and bass"),
/// a plural also as its singular ("pianos"); a single word that is one word of a longer tag ("guitar" in "electric
/// guitar") matches that tag at half weight; stop words ("for", "the", "some"…) match nothing. A track's score is the
/// sum over matched tags of idf·share — idf = ln(1 + N/df) over the N tagged tracks (Sparck Jones 1972), share the
/// tag's score over the track's best — so a rare, strongly held tag counts most.
/// </summary>
public static class TagQuery
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "for", "of", "and", "or", "in", "on", "to", "with", "some", "me", "my", "music", "songs", "song",
        "tracks", "track", "play", "playing", "something", "like", "that", "this", "at", "by", "from", "please", "i", "want",
        "is", "it", "be", "into", "more", "very", "really",
    };

    /// <exception cref="ArgumentException">the query has no words.</exception>
    public static TextQueryResult Match(string text, IReadOnlyList<TrackTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var words = (TagText.Normalise(text) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) throw new ArgumentException("the query has no words");
        var byKey = tags.GroupBy(t => TagText.Key(t.Tag)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var byWord = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal); // a word of a multi-word tag → those tags' keys
        foreach (var (key, list) in byKey)
        {
            var parts = list[0].Tag.Split(' ');
            if (parts.Length < 2) continue;
            foreach (var p in parts.Where(p => !StopWords.Contains(p)))
                (byWord.TryGetValue(p, out var set) ? set : byWord[p] = []).Add(key);
        }
        var terms = new List<(string Words, string Key, double Weight)>();
        var unmatched = new List<string>();
        for (int i = 0; i < words.Length;)
        {
            int taken = 0;
            for (int len = Math.Min(3, words.Length - i); len >= 1 && taken == 0; len--)
            {
                var phrase = string.Join(' ', words, i, len);
                var key = TagText.Key(phrase);
                if (byKey.ContainsKey(key)) terms.Add((phrase, key, 1));
                else if (key.Length > 3 && key[^1] == 's' && byKey.ContainsKey(key[..^1])) terms.Add((phrase, key[..^1], 1));
                else continue;
                taken = len;
            }
            if (taken == 0)
            {
                var w = words[i];
                if (!StopWords.Contains(w) && byWord.TryGetValue(w, out var keys))
                    terms.AddRange(keys.Select(k => (w, k, 0.5)));
                else if (!StopWords.Contains(w)) unmatched.Add(w);
                taken = 1;
            }
            i += taken;
        }
        var best = tags.GroupBy(t => t.TrackId).ToDictionary(g => g.Key, g => g.Max(t => t.Score));
        int n = best.Count;
        var scores = new Dictionary<long, (double Score, List<string> Words)>();
        foreach (var (phrase, key, weight) in terms)
        {
            var onTracks = byKey[key].GroupBy(t => t.TrackId).ToList();
            double idf = Math.Log(1 + (double)n / onTracks.Count);
            foreach (var g in onTracks)
            {
                double share = Math.Min(1, g.Sum(t => t.Score) / best[g.Key]);
                var s = scores.TryGetValue(g.Key, out var x) ? x : (0, []);
                if (!s.Words.Contains(phrase)) s.Words.Add(phrase);
                scores[g.Key] = (s.Score + weight * idf * share, s.Words);
            }
        }
        var tracks = scores.Select(kv => new TextMatch(kv.Key, kv.Value.Score, kv.Value.Words))
            .OrderByDescending(m => m.Score).ThenBy(m => m.TrackId).ToList();
        var matched = terms.GroupBy(t => t.Words).ToDictionary(g => g.Key,
            g => (IReadOnlyList<string>)[.. g.Select(t => byKey[t.Key][0].Tag).Distinct()], StringComparer.Ordinal);
        return new TextQueryResult(tracks, matched, unmatched);
    }
}
