using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    public AccountRecord SaveAccount(string user, byte[] sealedPassword)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(sealedPassword);
        using var tx = _db.BeginTransaction();
        long userId = EnsureUser(user, tx);
        using var cmd = Command("""
            INSERT INTO accounts (user_id, sealed_password, created_at, updated_at) VALUES ($u, $p, $now, $now)
            ON CONFLICT (user_id) DO UPDATE SET sealed_password = excluded.sealed_password, updated_at = excluded.updated_at
            """, tx);
        cmd.Parameters.AddWithValue("$u", userId);
        cmd.Parameters.AddWithValue("$p", sealedPassword);
        cmd.Parameters.AddWithValue("$now", Now());
        cmd.ExecuteNonQuery();
        tx.Commit();
        return FindAccount(user)!;
    }

    public AccountRecord? FindAccount(string user) => Accounts("WHERE u.name = $n", user).FirstOrDefault();

    public IReadOnlyList<AccountRecord> ListAccounts() => Accounts("", null);

    public bool RemoveAccount(string user)
    {
        using var cmd = Command("DELETE FROM accounts WHERE user_id = (SELECT id FROM users WHERE name = $n)");
        cmd.Parameters.AddWithValue("$n", user);
        return cmd.ExecuteNonQuery() > 0; // the keys go with it (ON DELETE CASCADE)
    }

    public ApiKeyRecord AddApiKey(string user, string keySha256, string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keySha256);
        var account = FindAccount(user) ?? throw new CatalogException($"no account called '{user}'");
        using var cmd = Command("""
            INSERT INTO api_keys (user_id, key_sha256, label, created_at) VALUES ($u, $h, $l, $now) RETURNING id
            """);
        cmd.Parameters.AddWithValue("$u", account.UserId);
        cmd.Parameters.AddWithValue("$h", keySha256);
        cmd.Parameters.AddWithValue("$l", label ?? "");
        cmd.Parameters.AddWithValue("$now", Now());
        long id = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        return ListApiKeys(user).Single(k => k.Id == id);
    }

    public IReadOnlyList<ApiKeyRecord> ListApiKeys(string? user = null)
    {
        using var cmd = Command($"""
            SELECT k.id, u.name, k.key_sha256, k.label, k.created_at FROM api_keys k JOIN users u ON u.id = k.user_id
            {(user is null ? "" : "WHERE u.name = $n")} ORDER BY k.id
            """);
        if (user is not null) cmd.Parameters.AddWithValue("$n", user);
        using var r = cmd.ExecuteReader();
        var list = new List<ApiKeyRecord>();
        while (r.Read()) list.Add(new ApiKeyRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), Time(r.GetString(4))));
        return list;
    }

    public bool RevokeApiKey(long id)
    {
        using var cmd = Command("DELETE FROM api_keys WHERE id = $id");
        cmd.Parameters.AddWithValue("$id", id);
        return cmd.ExecuteNonQuery() > 0;
    }

    private List<AccountRecord> Accounts(string where, string? user)
    {
        using var cmd = Command($"""
            SELECT a.user_id, u.name, a.sealed_password, a.created_at, a.updated_at,
                   (SELECT COUNT(*) FROM api_keys k WHERE k.user_id = a.user_id)
            FROM accounts a JOIN users u ON u.id = a.user_id {where} ORDER BY u.name
            """);
        if (user is not null) cmd.Parameters.AddWithValue("$n", user);
        using var r = cmd.ExecuteReader();
        var list = new List<AccountRecord>();
        while (r.Read())
            list.Add(new AccountRecord(r.GetInt64(0), r.GetString(1), (byte[])r.GetValue(2), Time(r.GetString(3)), Time(r.GetString(4)), r.GetInt32(5)));
        return list;
    }

    /// <summary>The id of the listener called <paramref name="user"/>, created when new.</summary>
    private long EnsureUser(string user, SqliteTransaction? tx)
    {
        using var u = Command("""
            INSERT INTO users (name, created_at) VALUES ($n, $now) ON CONFLICT (name) DO UPDATE SET name = name RETURNING id
            """, tx);
        u.Parameters.AddWithValue("$n", user);
        u.Parameters.AddWithValue("$now", Now());
        return Convert.ToInt64(u.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
