using System.Globalization;

namespace Earworm.Catalog.Import;

/// <summary>Times as listening files write them, read into unix seconds (UTC).</summary>
internal static class Timestamps
{
    /// <summary>Unix seconds at or above this are taken for milliseconds (10^11 s is the year 5138; 10^11 ms is 1973).</summary>
    public const long MillisecondsFrom = 100_000_000_000;

    private static readonly string[] LastFmFormats =
    [
        "d MMM yyyy HH:mm", "d MMM yyyy, HH:mm", "d MMM yyyy H:mm", "d MMM yyyy, H:mm",
        "d MMM yyyy HH:mm:ss", "d MMM yyyy, HH:mm:ss",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
    ];

    /// <summary>Unix seconds (digits, optionally with a fraction; milliseconds from <see cref="MillisecondsFrom"/>), or an
    /// ISO 8601 date and time (UTC unless it carries an offset).</summary>
    public static bool TryParse(string text, out long unixSeconds)
    {
        var t = text.Trim();
        if (t.Length > 0 && char.IsAsciiDigit(t[0])
            && double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n) && double.IsFinite(n))
        {
            unixSeconds = n >= MillisecondsFrom ? (long)Math.Floor(n / 1000) : (long)Math.Floor(n);
            return true;
        }
        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var d)
            && t.Contains('-', StringComparison.Ordinal))
        {
            unixSeconds = d.ToUnixTimeSeconds();
            return true;
        }
        unixSeconds = 0;
        return false;
    }

    /// <summary>Last.fm export dates: "31 Jan 2021 14:05" (also with a comma after the year, or seconds), or
    /// anything <see cref="TryParse"/> reads. UTC, as Last.fm exports them.</summary>
    public static bool TryParseLastFm(string text, out long unixSeconds)
    {
        var t = text.Trim();
        if (DateTime.TryParseExact(t, LastFmFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
        {
            unixSeconds = new DateTimeOffset(d, TimeSpan.Zero).ToUnixTimeSeconds();
            return true;
        }
        return TryParse(t, out unixSeconds);
    }
}
