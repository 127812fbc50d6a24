using System.Globalization;

namespace Earworm;

/// <summary>A count with its noun as people write it: "0 tracks", "1 track", "2 tracks" (the one place every
/// sentence Earworm prints gets its singular and plural).</summary>
public static class Counted
{
    /// <summary>"1 track", "3 tracks"; <paramref name="plural"/> where the noun does not just take an s ("entries").</summary>
    public static string Of(long count, string singular, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + Noun(count, singular, plural);

    /// <summary>The noun alone, for a count written apart from it ("1 of 3 tracks").</summary>
    public static string Noun(long count, string singular, string? plural = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(singular);
        return count == 1 ? singular : plural ?? singular + "s";
    }
}
