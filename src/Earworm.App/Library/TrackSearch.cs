using Earworm.Catalog;
using Earworm.Catalog.Import;

namespace Earworm.App.Library;

/// <summary>
/// The one rule for finding tracks by words, the same in every front end (the CLI's TRACK arguments, the web app's
/// search box): words and tracks are folded by <see cref="MatchText"/> (case, accents, typographic quotes and dashes),
/// everything but letters and digits splits words, and a track matches when every word appears in its artist, title,
/// album, genre or file name.
/// </summary>
public static class TrackSearch
{
    /// <summary>The words of a query, folded; none for blank text.</summary>
    public static string[] Words(string? query) =>
        string.IsNullOrWhiteSpace(query) ? [] : Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>What a track is searched by, folded as the words are.</summary>
    public static string Text(TrackRecord track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return Fold($"{track.Artist} {track.Title} {track.Album} {track.Genre} {Path.GetFileNameWithoutExtension(track.Path)}");
    }

    /// <summary>Whether every word appears in <paramref name="text"/> (a <see cref="Text"/>); no words match everything.</summary>
    public static bool Matches(string text, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(words);
        foreach (var w in words)
            if (!text.Contains(w, StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary><see cref="MatchText.Fold"/>, with everything but letters and digits made a space so words split cleanly.</summary>
    public static string Fold(string text)
    {
        var folded = MatchText.Fold(text).ToCharArray();
        for (int i = 0; i < folded.Length; i++)
            if (!char.IsLetterOrDigit(folded[i])) folded[i] = ' ';
        return new string(folded);
    }
}
