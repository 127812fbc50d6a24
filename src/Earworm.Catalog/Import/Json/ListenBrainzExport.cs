using System.Text.Json;

namespace Earworm.Catalog.Import.Json;

/// <summary>
/// A ListenBrainz listens export: a JSON array of listens (the account page's "Export listens") or JSON lines
/// (the monthly <c>listens/YYYY/M.jsonl</c> files of the newer zip export), one listen each:
/// <c>listened_at</c> (unix seconds, or ISO 8601), <c>track_metadata.artist_name</c> and <c>track_name</c>
/// (required), <c>release_name</c>, and a recording MBID from <c>track_metadata.additional_info.recording_mbid</c>
/// or <c>track_metadata.mbid_mapping.recording_mbid</c>; <c>user_name</c> when present. Every listen counts one play.
/// </summary>
public static class ListenBrainzExport
{
    /// <exception cref="DatasetFormatException">malformed JSON or a listen without its time, artist or track name
    /// (file, line, record number and reason).</exception>
    public static ListenLog Parse(ReadOnlySpan<byte> utf8, string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var log = new ListenLog.Builder();
        JsonRecords.ForEach(utf8, fileName, (listen, line, record) =>
        {
            log.Rows++;
            DatasetFormatException Bad(string reason) => new(fileName, line, record, reason);
            if (listen.ValueKind != JsonValueKind.Object) throw Bad($"expected a listen object, found {listen.ValueKind.ToString().ToLowerInvariant()}");
            long at = ListenedAt(listen) ?? throw Bad("listened_at is missing or not unix seconds");
            var meta = JsonRecords.Object(listen, "track_metadata") ?? throw Bad("track_metadata is missing");
            var artist = JsonRecords.String(meta, "artist_name") ?? throw Bad("track_metadata.artist_name is missing or empty");
            var title = JsonRecords.String(meta, "track_name") ?? throw Bad("track_metadata.track_name is missing or empty");
            var mbid = (JsonRecords.Object(meta, "additional_info") is { } info ? JsonRecords.String(info, "recording_mbid") : null)
                       ?? (JsonRecords.Object(meta, "mbid_mapping") is { } map ? JsonRecords.String(map, "recording_mbid") : null);
            var item = new ItemRef
            {
                Artist = artist,
                Title = title,
                Album = JsonRecords.String(meta, "release_name"),
                Mbid = mbid?.ToLowerInvariant(),
            };
            log.Add(new Listen(JsonRecords.String(listen, "user_name"), item, 1, at, line));
        });
        return log.Build();
    }

    private static long? ListenedAt(JsonElement listen)
    {
        if (!listen.TryGetProperty("listened_at", out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long s) && s >= 0) return s;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && d >= 0 && double.IsFinite(d)) return (long)d;
        if (v.ValueKind == JsonValueKind.String && Timestamps.TryParse(v.GetString()!, out long t)) return t;
        return null;
    }
}
