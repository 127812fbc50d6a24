using Earworm.Catalog.Tags;
using Earworm.Catalog.Text;
using Earworm.Learning.Numerics;

namespace Earworm.Recommend.Text;

/// <summary>
/// Words matched to tags and to the texts about the tracks ("calm piano for the evening"). The tags first, as
/// <see cref="TagQuery"/> reads them; then every word that is a term of the texts (<see cref="TextTokens"/>: stemmed,
/// stop words dropped) through the <c>text</c> space's LSA (<see cref="WordSpaces"/>): the word's term vector is compared
/// with each track's text vector, and a track scores idf × the cosine where the cosine is at least
/// <see cref="MinCosine"/> — so a word never given as a tag still finds the tracks whose texts say it, or say what is
/// said with it ("gentle" reaching texts of "calm" and "soft"). A track's score is the sum; the words it matched are kept.
/// </summary>
public static class WordQuery
{
    /// <summary>The least cosine between a word and a track's texts that counts as a match.</summary>
    public const double MinCosine = 0.35;

    /// <summary>How a match through the texts is named among the words that pulled a track in.</summary>
    public const string ThroughTexts = "texts";

    /// <param name="tags">The tags of the tracks that may be matched.</param>
    /// <param name="words">The spaces of words (the <c>text</c> LSA); null or without texts: tags only.</param>
    /// <param name="candidate">Which tracks may be matched through texts (those of the space the playlist walks).</param>
    /// <exception cref="ArgumentException">the query has no words.</exception>
    public static TextQueryResult Match(string text, IReadOnlyList<TrackTag> tags, WordSpaces? words, Func<long, bool> candidate)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(candidate);
        var byTags = TagQuery.Match(text, tags);
        if (words?.Text is not { } space || words.TextLsa is not { } lsa) return byTags;
        var scores = byTags.Tracks.ToDictionary(m => m.TrackId, m => (m.Score, Words: m.Words.ToList()));
        var matched = byTags.Matched.ToDictionary(kv => kv.Key, kv => kv.Value.ToList(), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var throughTexts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in TextTokens.Words(text))
        {
            if (TextTokens.Term(word) is not { } term || !seen.Add(term) || lsa.Term(term) is not { } vector) continue;
            double idf = lsa.Weights.IdfOf(term);
            bool any = false;
            for (int i = 0; i < space.Count; i++)
            {
                long id = space.Ids[i];
                if (!candidate(id)) continue;
                double cos = VectorNorm.Cosine(vector, space.Row(i));
                if (cos < MinCosine) continue;
                any = true;
                var s = scores.TryGetValue(id, out var x) ? x : (0, []);
                if (!s.Words.Contains(word)) s.Words.Add(word);
                scores[id] = (s.Score + idf * cos, s.Words);
            }
            if (!any) continue;
            throughTexts.Add(word);
            (matched.TryGetValue(word, out var list) ? list : matched[word] = []).Add(ThroughTexts);
        }
        var tracks = scores.Select(kv => new TextMatch(kv.Key, kv.Value.Score, kv.Value.Words))
            .OrderByDescending(m => m.Score).ThenBy(m => m.TrackId).ToList();
        return new TextQueryResult(tracks, matched.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal),
            [.. byTags.Unmatched.Where(w => !throughTexts.Contains(w))]);
    }
}
