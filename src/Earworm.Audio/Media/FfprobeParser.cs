using System.Globalization;
using System.Text.Json;

namespace Earworm.Audio.Media;

/// <summary>
/// Turns the output of <c>ffprobe -print_format json -show_format -show_streams</c> into a
/// <see cref="MediaInfo"/>. Pure: tested on saved ffprobe output, no ffmpeg needed.
/// </summary>
public static class FfprobeParser
{
    /// <exception cref="FormatException">the text is not ffprobe JSON.</exception>
    public static MediaInfo Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"ffprobe output is not JSON: {e.Message}", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException("ffprobe output is not a JSON object");
            var format = root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            var audio = ChooseAudioStream(root);

            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (audio.ValueKind == JsonValueKind.Object) AddTags(tags, audio);
            if (format.ValueKind == JsonValueKind.Object) AddTags(tags, format);

            double? duration = Double(audio, "duration") ?? Double(format, "duration");
            return new MediaInfo
            {
                Container = String(format, "format_name") ?? "unknown",
                Codec = String(audio, "codec_name"),
                DurationSeconds = duration is > 0 and < 1e7 ? duration : null,
                SampleRateHz = (int?)Long(audio, "sample_rate"),
                Channels = (int?)Long(audio, "channels"),
                BitRate = Long(audio, "bit_rate") ?? Long(format, "bit_rate"),
                Title = Tag(tags, "title"),
                Artist = Tag(tags, "artist"),
                Album = Tag(tags, "album"),
                AlbumArtist = Tag(tags, "album_artist") ?? Tag(tags, "albumartist"),
                Genre = Tag(tags, "genre"),
                TrackNumber = LeadingInt(Tag(tags, "track") ?? Tag(tags, "tracknumber")),
                Year = Year(Tag(tags, "date") ?? Tag(tags, "year") ?? Tag(tags, "originaldate")),
                Tags = tags,
            };
        }
    }

    // The first audio stream that is not an attached picture; ffprobe lists streams in file order.
    private static JsonElement ChooseAudioStream(JsonElement root)
    {
        if (!root.TryGetProperty("streams", out var streams) || streams.ValueKind != JsonValueKind.Array) return default;
        foreach (var s in streams.EnumerateArray())
        {
            if (String(s, "codec_type") != "audio") continue;
            if (s.TryGetProperty("disposition", out var d) && d.ValueKind == JsonValueKind.Object
                && d.TryGetProperty("attached_pic", out var pic) && pic.ValueKind == JsonValueKind.Number && pic.GetInt32() == 1)
                continue;
            return s;
        }
        return default;
    }

    private static void AddTags(Dictionary<string, string> tags, JsonElement owner)
    {
        if (!owner.TryGetProperty("tags", out var t) || t.ValueKind != JsonValueKind.Object) return;
        foreach (var p in t.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) continue;
            var value = p.Value.GetString()!.Trim();
            if (value.Length > 0) tags[p.Name.ToLowerInvariant()] = value;
        }
    }

    private static string? Tag(Dictionary<string, string> tags, string key) => tags.TryGetValue(key, out var v) ? v : null;

    private static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // ffprobe writes most numbers as strings ("44100", "3.000000") and a few as numbers (channels).
    private static double? Double(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
        return v.ValueKind == JsonValueKind.String
               && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d : null;
    }

    private static long? Long(JsonElement e, string name)
    {
        var d = Double(e, name);
        return d is { } x && x >= 0 && x < long.MaxValue ? (long)x : null;
    }

    /// <summary>"2/10" → 2, "07" → 7, "A1" → null.</summary>
    internal static int? LeadingInt(string? s)
    {
        if (s is null) return null;
        int n = 0, digits = 0;
        foreach (var c in s.Trim())
        {
            if (c is < '0' or > '9' || digits == 9) break;
            n = n * 10 + (c - '0');
            digits++;
        }
        return digits > 0 ? n : null;
    }

    /// <summary>"1999-05-01" → 1999; a year outside 1000–2999 is not believed.</summary>
    internal static int? Year(string? s) => LeadingInt(s) is { } y and >= 1000 and <= 2999 ? y : null;
}
