using System.Text;
using System.Text.Json;

namespace Earworm.Catalog.Import.Json;

/// <summary>
/// Walks the records of a JSON listening export, either one array of objects or JSON lines (one object per line),
/// telling each record's 1-based number and the line it starts on, so errors can name both.
/// </summary>
internal static class JsonRecords
{
    public delegate void RecordHandler(JsonElement record, int lineNumber, int recordNumber);

    /// <exception cref="DatasetFormatException">malformed JSON, or neither an array nor JSON lines.</exception>
    public static void ForEach(ReadOnlySpan<byte> utf8, string fileName, RecordHandler handle)
    {
        var bom = Encoding.UTF8.Preamble;
        if (utf8.StartsWith(bom)) utf8 = utf8[bom.Length..];
        int start = 0;
        while (start < utf8.Length && utf8[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        if (start == utf8.Length) return;
        if (utf8[start] == (byte)'[') Array(utf8, fileName, handle);
        else if (utf8[start] == (byte)'{') Lines(utf8, fileName, handle);
        else throw new DatasetFormatException(fileName, 1 + utf8[..start].Count((byte)'\n'), "expected a JSON array of records or JSON lines (one object per line)");
    }

    private static void Array(ReadOnlySpan<byte> utf8, string fileName, RecordHandler handle)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        int record = 0, line = 1;
        bool inRecord = false;
        long counted = 0;
        try
        {
            reader.Read(); // [
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                long at = reader.TokenStartIndex;
                line += utf8[(int)counted..(int)at].Count((byte)'\n');
                counted = at;
                record++;
                inRecord = true;
                var element = JsonElement.ParseValue(ref reader);
                inRecord = false;
                handle(element, line, record);
            }
            inRecord = false;
            reader.Read(); // throws on anything but white space after the array
        }
        catch (JsonException e)
        {
            int at = (int)(e.LineNumber ?? 0) + 1;
            var reason = "malformed JSON: " + Brief(e.Message);
            throw inRecord ? new DatasetFormatException(fileName, at, record, reason) : new DatasetFormatException(fileName, at, reason);
        }
    }

    private static void Lines(ReadOnlySpan<byte> utf8, string fileName, RecordHandler handle)
    {
        int line = 0, record = 0;
        while (utf8.Length > 0)
        {
            line++;
            int end = utf8.IndexOf((byte)'\n');
            var text = end < 0 ? utf8 : utf8[..end];
            utf8 = end < 0 ? [] : utf8[(end + 1)..];
            if (text.Trim((byte)'\r').Trim((byte)' ').Trim((byte)'\t').IsEmpty) continue;
            record++;
            JsonElement element;
            try
            {
                var reader = new Utf8JsonReader(text);
                element = JsonElement.ParseValue(ref reader);
                if (reader.Read()) throw new DatasetFormatException(fileName, line, record, "more than one JSON value on the line (JSON lines hold one object each)");
            }
            catch (JsonException e)
            {
                throw new DatasetFormatException(fileName, line, record, "malformed JSON: " + Brief(e.Message));
            }
            handle(element, line, record);
        }
    }

    /// <summary>System.Text.Json's message without the position it appends (the exception we throw names it).</summary>
    internal static string Brief(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd(' ', '|', '.');
    }

    // ---- reading fields ------------------------------------------------------------------------

    /// <summary>A string property; null when absent, null or blank.</summary>
    public static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && v.GetString() is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    /// <summary>An object property; null when absent or not an object.</summary>
    public static JsonElement? Object(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static bool Has(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;
}
