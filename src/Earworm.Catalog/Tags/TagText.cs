using System.Text;
using Earworm.Catalog.Import;

namespace Earworm.Catalog.Tags;

/// <summary>
/// The one spelling of a tag, whoever wrote it: lower case, accents folded (<see cref="MatchText.Fold"/>), "&amp;",
/// "'n'" and "n'" between words read as "and", every run of punctuation or white space one space ("hip-hop",
/// "hip_hop", "Hip  Hop" → "hip hop"). Two spellings are the same tag when their <see cref="Key"/>s are equal, which
/// also drops the spaces, so "hiphop" meets "hip hop" and "drum'n'bass" meets "drum and bass".
/// </summary>
public static class TagText
{
    /// <summary>Longest tag kept, in characters (Last.fm's own limit is 255; longer ones are sentences, not tags).</summary>
    public const int MaxLength = 64;

    /// <summary>The normalised tag, or null when nothing of it is left (only punctuation) or it is too long.</summary>
    public static string? Normalise(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var folded = MatchText.Fold(tag);
        var sb = new StringBuilder(folded.Length);
        bool gap = false;
        for (int i = 0; i < folded.Length; i++)
        {
            char c = folded[i];
            if (char.IsLetterOrDigit(c) || c == '+' || c == '#')
            {
                if (gap && sb.Length > 0) sb.Append(' ');
                gap = false;
                sb.Append(c);
            }
            else if (c == '&')
            {
                AppendAnd(sb);
                gap = true;
            }
            else if (c == '\'' && IsAndContraction(folded, i, out int end))
            {
                AppendAnd(sb);
                gap = true;
                i = end;
            }
            else gap = true;
        }
        var s = sb.ToString();
        return s.Length is 0 or > MaxLength ? null : s;
    }

    /// <summary>What makes two spellings one tag: the normalised form without its spaces.</summary>
    public static string Key(string normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        return normalised.Replace(" ", "", StringComparison.Ordinal);
    }

    private static void AppendAnd(StringBuilder sb)
    {
        if (sb.Length > 0) sb.Append(' ');
        sb.Append("and");
    }

    /// <summary>"'n'" or "'n" followed by a non-letter, at <paramref name="at"/>: drum'n'bass, rock 'n' roll.</summary>
    private static bool IsAndContraction(string s, int at, out int end)
    {
        end = at;
        if (at + 1 >= s.Length || s[at + 1] != 'n') return false;
        int next = at + 2;
        if (next < s.Length && s[next] == '\'') next++;
        else if (next < s.Length && char.IsLetter(s[next])) return false;
        end = next - 1;
        return true;
    }
}
