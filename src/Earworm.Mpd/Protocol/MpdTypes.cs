using System.Globalization;

namespace Earworm.Mpd.Protocol;

/// <summary>What the player does.</summary>
public enum MpdPlayState { Stop, Play, Pause }

/// <summary>The answer to <c>status</c>, the fields the DJ reads.</summary>
/// <param name="SongPosition">The current song's position in the queue (also while stopped: the one <c>play</c> would start).</param>
/// <param name="ElapsedSeconds">How far into the current song (ms precision).</param>
public sealed record MpdStatus(MpdPlayState State, int? SongPosition, long? SongId, double? ElapsedSeconds, double? DurationSeconds,
    int QueueLength, long QueueVersion, bool Random, bool Consume, string? Error)
{
    public static MpdStatus From(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var d = MpdTypes.Last(pairs);
        return new MpdStatus(
            d.GetValueOrDefault("state") switch { "play" => MpdPlayState.Play, "pause" => MpdPlayState.Pause, _ => MpdPlayState.Stop },
            (int?)MpdTypes.Long(d, "song"), MpdTypes.Long(d, "songid"),
            MpdTypes.Double(d, "elapsed") ?? MpdTypes.TimeField(d, 0),
            MpdTypes.Double(d, "duration") ?? MpdTypes.TimeField(d, 1),
            (int)(MpdTypes.Long(d, "playlistlength") ?? 0), MpdTypes.Long(d, "playlist") ?? 0,
            d.GetValueOrDefault("random") == "1", d.GetValueOrDefault("consume") is "1" or "oneshot", d.GetValueOrDefault("error"));
    }
}

/// <summary>A song of MPD's queue (<c>playlistinfo</c>, <c>currentsong</c>) or database.</summary>
/// <param name="File">Its URI: the path relative to MPD's music directory (or a stream URL).</param>
/// <param name="Id">Its queue id (stable while it stays queued); null outside the queue.</param>
public sealed record MpdSong(string File, long? Id, int? Position, double? DurationSeconds, string? Artist, string? Title)
{
    public string DisplayName => Title is null ? System.IO.Path.GetFileName(File) : Artist is null ? Title : $"{Artist} – {Title}";

    /// <summary>Every song of an answer, each starting at its <c>file</c> line (other entities, such as directories and
    /// playlists of <c>lsinfo</c>, are left out).</summary>
    public static IReadOnlyList<MpdSong> ListFrom(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var songs = new List<MpdSong>();
        Dictionary<string, string>? current = null;
        foreach (var (key, value) in pairs)
        {
            if (key is "file" or "directory" or "playlist")
            {
                if (current is not null) songs.Add(From(current));
                current = key == "file" ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["file"] = value } : null;
            }
            else current?.TryAdd(key, value); // tags may repeat (two artists): the first is kept
        }
        if (current is not null) songs.Add(From(current));
        return songs;
    }

    private static MpdSong From(Dictionary<string, string> d) => new(d["file"], MpdTypes.Long(d, "Id"), (int?)MpdTypes.Long(d, "Pos"),
        MpdTypes.Double(d, "duration") ?? MpdTypes.Double(d, "Time"), d.GetValueOrDefault("Artist"), d.GetValueOrDefault("Title"));
}

internal static class MpdTypes
{
    /// <summary>The pairs as a dictionary, a repeated key keeping its last value (keys compared ignoring case).</summary>
    public static Dictionary<string, string> Last(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in pairs) d[k] = v;
        return d;
    }

    public static long? Long(IReadOnlyDictionary<string, string> d, string key) =>
        d.TryGetValue(key, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : null;

    public static double? Double(IReadOnlyDictionary<string, string> d, string key) =>
        d.TryGetValue(key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) ? x : null;

    /// <summary>Old MPD's <c>time: ELAPSED:TOTAL</c> (whole seconds), part 0 or 1.</summary>
    public static double? TimeField(IReadOnlyDictionary<string, string> d, int part) =>
        d.TryGetValue("time", out var v) && v.Split(':') is { Length: 2 } parts
        && double.TryParse(parts[part], NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : null;
}
