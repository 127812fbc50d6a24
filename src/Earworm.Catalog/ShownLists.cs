using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Earworm.Catalog;

/// <summary>
/// How the SQLite catalog keeps a shown list's tracks in the one row it writes per list (<c>shown_lists.items</c>): a
/// JSON array with an array per track, <c>[position, track, item, propensity, score]</c> (null where the track has no
/// track id, item id or score), and a sixth element, the track's context, only where it differs from the list's
/// (<c>shown_lists.context</c>, the first track's). The k-th track of a list whose first id is f has impression id f + k.
/// Numbers are written in their shortest form that reads back exactly, so a propensity is the one the policy logged.
/// Pure.
/// </summary>
internal static class ShownLists
{
    /// <summary>One track of a list as read back.</summary>
    internal readonly record struct Item(int Position, long? TrackId, long? ItemId, double Propensity, double? Score, bool OwnContext, string? Context);

    /// <summary>Whether <paramref name="b"/> belongs in the list row of <paramref name="a"/>: same listener, request,
    /// surface and policy (consecutive impressions that do form one row).</summary>
    internal static bool SameList(Impression a, Impression b) =>
        a.User == b.User && a.RequestId == b.RequestId && a.Surface == b.Surface && a.Policy == b.Policy && a.PolicyVersion == b.PolicyVersion;

    /// <summary>The items text of <paramref name="count"/> impressions from <paramref name="start"/>, one list whose
    /// context is the first one's.</summary>
    internal static string Encode(IReadOnlyList<Impression> impressions, int start, int count, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        string? context = impressions[start].Context;
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            for (int k = start; k < start + count; k++)
            {
                var m = impressions[k];
                w.WriteStartArray();
                w.WriteNumberValue(m.Position);
                if (m.TrackId is long t) w.WriteNumberValue(t); else w.WriteNullValue();
                if (m.ItemId is long i) w.WriteNumberValue(i); else w.WriteNullValue();
                w.WriteNumberValue(m.Propensity);
                // SQLite keeps a NaN score as NULL; so does this
                if (m.Score is double s && double.IsFinite(s)) w.WriteNumberValue(s); else w.WriteNullValue();
                if (m.Context != context) w.WriteStringValue(m.Context);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The tracks of an items text, in order.</summary>
    /// <exception cref="CatalogException">the text is not a list's items.</exception>
    internal static List<Item> Decode(string items, long firstId)
    {
        var list = new List<Item>();
        try
        {
            var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(items));
            Expect(ref r, JsonTokenType.StartArray);
            while (r.Read() && r.TokenType == JsonTokenType.StartArray)
            {
                Advance(ref r);
                int position = r.GetInt32();
                Advance(ref r);
                long? track = r.TokenType == JsonTokenType.Null ? null : r.GetInt64();
                Advance(ref r);
                long? item = r.TokenType == JsonTokenType.Null ? null : r.GetInt64();
                Advance(ref r);
                double propensity = r.GetDouble();
                Advance(ref r);
                double? score = r.TokenType == JsonTokenType.Null ? null : r.GetDouble();
                bool own = false;
                string? context = null;
                if (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    (own, context) = (true, r.TokenType == JsonTokenType.Null ? null : r.GetString());
                    Expect(ref r, JsonTokenType.EndArray);
                }
                list.Add(new Item(position, track, item, propensity, score, own, context));
            }
            if (r.TokenType != JsonTokenType.EndArray) throw new JsonException("a list's items end with ]");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new CatalogException($"the shown list from impression {firstId} has unreadable items ({e.Message}): the catalog is damaged");
        }
        return list;
    }

    private static void Advance(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw new JsonException("a list's item ends early");
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType token)
    {
        if (!r.Read() || r.TokenType != token) throw new JsonException($"expected {token} in a list's items");
    }
}
