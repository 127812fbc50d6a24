using System.Globalization;

namespace Earworm.App;

/// <summary>Durations and sizes as people read them, the same in every front end.</summary>
public static class Durations
{
    /// <summary>"m:ss", or "h:mm:ss" from an hour; empty for null.</summary>
    public static string Clock(double? seconds) =>
        seconds is { } s ? (s >= 3600 ? TimeSpan.FromSeconds(s).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
                                      : TimeSpan.FromSeconds(s).ToString(@"m\:ss", CultureInfo.InvariantCulture)) : "";

    /// <summary>B, KiB, MiB or GiB.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.00} GiB"),
    };
}
