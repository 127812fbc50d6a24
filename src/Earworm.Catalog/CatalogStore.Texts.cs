using Earworm.Catalog.Text;

namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    public int SetTexts(IReadOnlyList<TextDocument> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        foreach (var t in texts) Checked(t);
        using var tx = _db.BeginTransaction();
        using var upsert = Command("""
            INSERT INTO texts (kind, key, name, body, source, updated_at) VALUES ($k, $key, $n, $b, $s, $now)
            ON CONFLICT (kind, key) DO UPDATE SET name = excluded.name, body = excluded.body, source = excluded.source,
                updated_at = excluded.updated_at
            WHERE body <> excluded.body OR name <> excluded.name
            """, tx);
        int written = 0;
        foreach (var t in texts)
        {
            upsert.Parameters.Clear();
            foreach (var (name, value) in new (string, object)[] { ("$k", t.Kind.Name()), ("$key", t.Key), ("$n", t.Name), ("$b", t.Body), ("$s", t.Source), ("$now", Now()) })
                upsert.Parameters.AddWithValue(name, value);
            written += upsert.ExecuteNonQuery();
        }
        tx.Commit();
        return written;
    }

    public IReadOnlyList<TextDocument> AllTexts()
    {
        using var cmd = Command("SELECT kind, key, name, body, source FROM texts ORDER BY kind, key");
        using var r = cmd.ExecuteReader();
        var list = new List<TextDocument>();
        while (r.Read()) list.Add(new TextDocument(TextKinds.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));
        return list;
    }

    /// <summary>A text both stores accept: a key, a name and a body, none blank.</summary>
    internal static TextDocument Checked(TextDocument text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text.Key) || string.IsNullOrWhiteSpace(text.Name) || string.IsNullOrWhiteSpace(text.Body))
            throw new ArgumentException($"a {text.Kind.Name()} text needs a key, a name and a body (key '{text.Key}')");
        return text;
    }
}
