namespace Earworm.Catalog.Tags;

/// <summary>
/// The tags a file carries about its music, from its raw tags (keys lower-cased, as <c>MediaInfo.Tags</c> has them):
/// genre, mood, grouping, style (and their ID3/Vorbis spellings), each split at ';', ',', '/' and '|' (several genres
/// in one field, as taggers write them); and the comment when it reads as keywords — short pieces between those
/// separators, none a sentence (more than <see cref="MaxKeywordWords"/> words) or a link. Normalised and unique.
/// </summary>
public static class FileTags
{
    /// <summary>The tag keys read, as ffmpeg names them for ID3v2 (TCON, TMOO, TIT1/GRP1) and Vorbis comments.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["genre", "mood", "tmoo", "grouping", "grp1", "tit1", "style", "styles"];

    /// <summary>A comment piece with more words than this is prose, not a keyword.</summary>
    public const int MaxKeywordWords = 3;

    private static readonly char[] Separators = [';', ',', '/', '|', '\0'];

    public static IReadOnlyList<string> From(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var found = new List<string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        void Add(string? tag)
        {
            if (TagText.Normalise(tag) is { } t && keys.Add(TagText.Key(t))) found.Add(t);
        }
        foreach (var key in Keys)
            if (tags.TryGetValue(key, out var value))
                foreach (var piece in value.Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    Add(piece);
        if (tags.TryGetValue("comment", out var comment) && Keywords(comment) is { } words)
            foreach (var w in words) Add(w);
        return found;
    }

    /// <summary>The comment's pieces when every one is a keyword; null when it is prose, a link or a rip's signature.</summary>
    private static string[]? Keywords(string comment)
    {
        if (comment.Contains("://", StringComparison.Ordinal) || comment.Contains("www.", StringComparison.OrdinalIgnoreCase)) return null;
        var pieces = comment.Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (pieces.Length == 0) return null;
        foreach (var p in pieces)
        {
            if (p.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > MaxKeywordWords) return null;
            if (p.Any(char.IsDigit) && !p.Any(char.IsLetter)) return null;
        }
        return pieces;
    }
}
