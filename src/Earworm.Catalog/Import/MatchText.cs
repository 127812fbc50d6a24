using System.Text;

namespace Earworm.Catalog.Import;

/// <summary>
/// Folds names for matching, so "Björk – Jóga" from one service meets "bjork - joga" from another: lower case,
/// Latin diacritics removed (é→e, ø→o, ß→ss, æ→ae, ł→l…; combining marks dropped), typographic quotes and
/// dashes made plain, runs of white space made one space, ends trimmed. Nothing else (no "The", no "&"→"and").
/// Hand-made because Earworm runs in globalization-invariant mode, where <c>string.Normalize</c> does nothing.
/// </summary>
public static class MatchText
{
    private const int TableStart = 0x00C0;

    // U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A), lower-cased base letters; '*' marks the
    // characters spelled with two letters (see Expand) and '=' those kept as they are (× and ÷).
    private const string Table =
        "aaaaaa*ceeeeiiii" + "dnooooo=ouuuuy**" + "aaaaaa*ceeeeiiii" + "dnooooo=ouuuuy*y" +
        "aaaaaaccccccccdd" + "ddeeeeeeeeeegggg" + "gggghhhhiiiiiiii" + "ii**jjkkklllllll" +
        "lllnnnnnn*nnoooo" + "oo**rrrrrrssssss" + "ssttttttuuuuuuuu" + "uuuuwwyyyzzzzzzs";

    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (char raw in text)
        {
            if (char.IsWhiteSpace(raw))
            {
                space = sb.Length > 0;
                continue;
            }
            if (raw is >= '\u0300' and <= '\u036F') continue; // combining diacritical marks
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            char c = char.ToLowerInvariant(raw);
            if (c is >= (char)TableStart and <= '\u017F')
            {
                char m = Table[c - TableStart];
                if (m == '*') sb.Append(Expand(c));
                else sb.Append(m == '=' ? c : m);
                continue;
            }
            sb.Append(c switch
            {
                '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '`' or '\u00B4' => '\'',
                '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' => '"',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
                _ => c,
            });
        }
        return sb.ToString();
    }

    private static string Expand(char c) => c switch
    {
        '\u00E6' => "ae",
        '\u00FE' => "th",
        '\u00DF' => "ss",
        '\u0133' => "ij",
        '\u0149' => "'n",
        '\u0153' => "oe",
        _ => c.ToString(),
    };
}
