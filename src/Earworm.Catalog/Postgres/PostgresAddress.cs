using System.Globalization;
using Npgsql;

namespace Earworm.Catalog;

/// <summary>
/// A PostgreSQL catalog as a person names it: <c>postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE</c> (also
/// <c>postgres://</c>; the password may come from <c>PGPASSWORD</c> or <c>~/.pgpass</c> instead, as for psql).
/// </summary>
public sealed record PostgresAddress(string Host, int Port, string User, string Database, string? Password)
{
    /// <summary>Whether <paramref name="db"/> names a PostgreSQL catalog rather than a SQLite file.</summary>
    public static bool IsPostgres(string? db) =>
        db is not null && (db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase));

    /// <exception cref="CatalogException">the address is not of the form above.</exception>
    public static PostgresAddress Parse(string db)
    {
        ArgumentNullException.ThrowIfNull(db);
        const string form = "postgresql://USER@HOST:PORT/DATABASE";
        if (!IsPostgres(db) || !Uri.TryCreate(db, UriKind.Absolute, out var uri))
            throw new CatalogException($"'{db}' is not a PostgreSQL address: expected {form}");
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new CatalogException($"'{Redacted(db)}': options after '?' are not understood: expected {form}");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (string.IsNullOrEmpty(uri.Host) || database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
            throw new CatalogException($"'{Redacted(db)}' names no host or no database: expected {form}");
        var userInfo = uri.UserInfo.Split(':', 2);
        var user = Uri.UnescapeDataString(userInfo[0]);
        if (user.Length == 0) user = Environment.GetEnvironmentVariable("PGUSER") ?? Environment.UserName;
        var password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null;
        return new PostgresAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port, user, database, password);
    }

    /// <summary>The address as shown to people: never the password.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"postgresql://{Uri.EscapeDataString(User)}@{Host}:{Port}/{Uri.EscapeDataString(Database)}");

    /// <summary>Npgsql's connection string: pooled, with a command timeout long enough for bulk imports.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = User,
        Password = Password,
        Database = Database,
        Timeout = 15,
        CommandTimeout = 600,
        MaxPoolSize = 100,
    }.ConnectionString;

    private static string Redacted(string db) => System.Text.RegularExpressions.Regex.Replace(db, "://([^:@/]*):[^@/]*@", "://$1:***@");
}
