using System.Globalization;
using Npgsql;

namespace Earworm.Catalog;

/// <summary>Commands on a PostgreSQL connection with named parameters (<c>@name</c>; null is SQL NULL), for the
/// catalog and its import writer. Commands join the connection's open transaction, if any.</summary>
internal static class PostgresSql
{
    public static NpgsqlCommand Command(this NpgsqlConnection db, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = new NpgsqlCommand(sql, db);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return cmd;
    }

    public static int Execute(this NpgsqlConnection db, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = db.Command(sql, args);
        return cmd.ExecuteNonQuery();
    }

    public static object? Scalar(this NpgsqlConnection db, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = db.Command(sql, args);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public static long? ScalarLong(this NpgsqlConnection db, string sql, params (string Name, object? Value)[] args) =>
        db.Scalar(sql, args) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;

    public static List<T> Rows<T>(this NpgsqlConnection db, string sql, Func<NpgsqlDataReader, T> read, params (string Name, object? Value)[] args)
    {
        using var cmd = db.Command(sql, args);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(read(r));
        return list;
    }
}
