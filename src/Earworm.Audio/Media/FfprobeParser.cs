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

            return MediaTags.Build(String(format, "format_name") ?? "unknown", String(audio, "codec_name"),
                Double(audio, "duration") ?? Double(format, "duration"), (int?)Long(audio, "sample_rate"), (int?)Long(audio, "channels"),
                Long(audio, "bit_rate") ?? Long(format, "bit_rate"), HasAttachedPicture(root), tags);
        }
    }

    // The first audio stream that is not an attached picture; ffprobe lists streams in file order.
    private static JsonElement ChooseAudioStream(JsonElement root)
    {
        foreach (var s in Streams(root))
            if (String(s, "codec_type") == "audio" && !IsAttachedPicture(s)) return s;
        return default;
    }

    // A cover: a (video) stream with the attached_pic disposition.
    private static bool HasAttachedPicture(JsonElement root) => Streams(root).Any(IsAttachedPicture);

    private static IEnumerable<JsonElement> Streams(JsonElement root) =>
        root.TryGetProperty("streams", out var streams) && streams.ValueKind == JsonValueKind.Array ? streams.EnumerateArray() : [];

    private static bool IsAttachedPicture(JsonElement s) =>
        s.TryGetProperty("disposition", out var d) && d.ValueKind == JsonValueKind.Object
        && d.TryGetProperty("attached_pic", out var pic) && pic.ValueKind == JsonValueKind.Number && pic.GetInt32() == 1;

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
}
