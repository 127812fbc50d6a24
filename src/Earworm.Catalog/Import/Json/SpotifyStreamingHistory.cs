using System.Globalization;
using System.Text.Json;

namespace Earworm.Catalog.Import.Json;

/// <summary>Which Spotify streams count as plays.</summary>
public sealed record SpotifyOptions
{
    /// <summary>A stream counts as a play from this many milliseconds heard (Spotify's own threshold for counting a
    /// stream is 30 s); shorter ones are recorded as skips.</summary>
    public int MinPlayedMs { get; init; } = 30_000;

    /// <exception cref="ArgumentOutOfRangeException">a negative threshold.</exception>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfNegative(MinPlayedMs);
}

/// <summary>
/// Spotify's "Extended streaming history" (<c>Streaming_History_Audio_*.json</c>): a JSON array of streams with
/// <c>ts</c> (when the stream ended, UTC), <c>ms_played</c>, <c>master_metadata_track_name</c>,
/// <c>master_metadata_album_artist_name</c>, <c>master_metadata_album_album_name</c>, <c>spotify_track_uri</c>,
/// <c>skipped</c>, <c>reason_end</c> and, in older exports, <c>username</c>. The basic "Account data" history
/// (<c>StreamingHistory*.json</c>: <c>endTime</c>, <c>artistName</c>, <c>trackName</c>, <c>msPlayed</c>) is read too.
/// <para>A stream is a play (count 1) when at least <see cref="SpotifyOptions.MinPlayedMs"/> were heard and
/// <c>skipped</c> is not true; any other stream is kept as a skip (count 0), never a positive count. Its time is
/// when it started (<c>ts</c> − <c>ms_played</c>), as the other formats record. Podcast episodes and audiobooks
/// (no track name) are left out.</para>
/// </summary>
public static class SpotifyStreamingHistory
{
    /// <exception cref="DatasetFormatException">malformed JSON, or a stream without its time or play length
    /// (file, line, record number and reason).</exception>
    public static ListenLog Parse(ReadOnlySpan<byte> utf8, string fileName, SpotifyOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        options ??= new SpotifyOptions();
        options.Validate();
        var log = new ListenLog.Builder();
        JsonRecords.ForEach(utf8, fileName, (stream, line, record) =>
        {
            log.Rows++;
            DatasetFormatException Bad(string reason) => new(fileName, line, record, reason);
            if (stream.ValueKind != JsonValueKind.Object) throw Bad($"expected a stream object, found {stream.ValueKind.ToString().ToLowerInvariant()}");
            bool basic = !stream.TryGetProperty("ts", out _) && stream.TryGetProperty("endTime", out _);
            var endText = JsonRecords.String(stream, basic ? "endTime" : "ts") ?? throw Bad(basic ? "endTime is missing" : "ts is missing");
            if (!TryParseEnd(endText, out var end)) throw Bad($"{(basic ? "endTime" : "ts")} \"{endText}\" is not a date and time");
            long msPlayed = MsPlayed(stream, basic ? "msPlayed" : "ms_played") ?? throw Bad($"{(basic ? "msPlayed" : "ms_played")} is missing or not a non-negative number");
            var title = JsonRecords.String(stream, basic ? "trackName" : "master_metadata_track_name");
            if (title is null)
            {
                log.Ignore("not a music track (podcast episode or audiobook)");
                return;
            }
            var artist = JsonRecords.String(stream, basic ? "artistName" : "master_metadata_album_artist_name");
            if (artist is null)
            {
                log.Ignore("no artist name");
                return;
            }
            bool skipped = stream.TryGetProperty("skipped", out var s) && s.ValueKind == JsonValueKind.True;
            bool play = msPlayed >= options.MinPlayedMs && !skipped;
            var item = new ItemRef
            {
                Artist = artist,
                Title = title,
                Album = basic ? null : JsonRecords.String(stream, "master_metadata_album_album_name"),
                SourceKey = basic ? null : JsonRecords.String(stream, "spotify_track_uri"),
            };
            long started = (long)Math.Floor((end.ToUnixTimeMilliseconds() - msPlayed) / 1000.0);
            log.Add(new Listen(JsonRecords.String(stream, "username"), item, play ? 1 : 0, started, line));
        });
        return log.Build();
    }

    private static long? MsPlayed(JsonElement stream, string name)
    {
        if (!stream.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number) return null;
        if (v.TryGetInt64(out long ms)) return ms >= 0 ? ms : null;
        return v.TryGetDouble(out double d) && d >= 0 && double.IsFinite(d) ? (long)d : null;
    }

    private static bool TryParseEnd(string text, out DateTimeOffset end) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end);
}
