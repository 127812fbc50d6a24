using Earworm.Catalog.Text;

namespace Earworm.Catalog;

public sealed partial class PostgresCatalog
{
    public int SetTexts(IReadOnlyList<TextDocument> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        foreach (var t in texts) CatalogStore.Checked(t);
        using var tx = _db.BeginTransaction();
        int written = 0;
        foreach (var t in texts)
            written += Execute("""
                INSERT INTO texts (kind, key, name, body, source, updated_at) VALUES (@k, @key, @n, @b, @s, @now)
                ON CONFLICT (kind, key) DO UPDATE SET name = excluded.name, body = excluded.body, source = excluded.source,
                    updated_at = excluded.updated_at
                WHERE texts.body <> excluded.body OR texts.name <> excluded.name
                """, ("k", t.Kind.Name()), ("key", t.Key), ("n", t.Name), ("b", t.Body), ("s", t.Source), ("now", Now()));
        tx.Commit();
        return written;
    }

    public IReadOnlyList<TextDocument> AllTexts() => Rows(
        "SELECT kind, key, name, body, source FROM texts ORDER BY kind COLLATE \"C\", key COLLATE \"C\"",
        r => new TextDocument(TextKinds.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));
}
