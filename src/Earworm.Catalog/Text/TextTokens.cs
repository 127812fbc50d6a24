using System.Text;
using Earworm.Catalog.Import;

namespace Earworm.Catalog.Text;

/// <summary>
/// Text as terms: folded (<see cref="MatchText.Fold"/>: case and accents), split at anything not a letter or digit
/// (an apostrophe inside a word is dropped: "don't" → "dont"), English stop words and one-letter or digit-only tokens
/// left out, each word stemmed (<see cref="PorterStemmer"/>), so "melodies", "melodic" and "melody" are one term.
/// </summary>
public static class TextTokens
{
    /// <summary>The longest token kept, in characters (longer ones are links, hashes or noise).</summary>
    public const int MaxTokenLength = 30;

    /// <summary>English function words, after the SMART system's list (Salton 1971), shortened to the common ones.</summary>
    public static IReadOnlySet<string> StopWords { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
        "became", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "even", "ever", "every", "few", "for", "from", "further", "had", "has",
        "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in",
        "into", "is", "it", "its", "itself", "just", "me", "more", "most", "much", "my", "myself", "no", "nor", "not", "now",
        "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same",
        "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
        "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon", "us", "very",
        "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "whose", "why", "will", "with",
        "within", "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves", "since", "may", "might",
        "must", "shall", "many", "well", "still", "though", "although", "s", "t", "don", "dont", "cant", "wont", "isnt",
    };

    /// <summary>The terms of <paramref name="text"/>, in order (repeats kept: they are the term frequencies).</summary>
    public static List<string> Terms(string text) => [.. Read(text).Select(x => x.Term)];

    /// <summary>The terms of <paramref name="text"/> with the words they came from ("melodies" → "melodi"), in order.</summary>
    public static List<(string Term, string Word)> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<(string, string)>();
        foreach (var word in Words(text))
            if (Term(word) is { } t) terms.Add((t, word));
        return terms;
    }

    /// <summary>The term one word becomes, or null for a stop word, a digit-only, one-letter or overlong token.</summary>
    public static string? Term(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length < 2 || word.Length > MaxTokenLength || StopWords.Contains(word) || word.All(char.IsDigit)) return null;
        return PorterStemmer.Stem(word);
    }

    /// <summary>The folded words of <paramref name="text"/>, before stop words and stemming.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var folded = MatchText.Fold(text);
        var sb = new StringBuilder();
        for (int i = 0; i <= folded.Length; i++)
        {
            char c = i < folded.Length ? folded[i] : ' ';
            if (char.IsLetterOrDigit(c)) sb.Append(c);
            else if (c == '\'' && sb.Length > 0 && i + 1 < folded.Length && char.IsLetter(folded[i + 1])) continue;
            else if (sb.Length > 0)
            {
                yield return sb.ToString();
                sb.Clear();
            }
        }
    }
}
