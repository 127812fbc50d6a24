using Microsoft.Data.Sqlite;

namespace Earworm.Testing;

/// <summary>A consistent copy of a SQLite catalog (SQLite's online backup: safe while a server has it open), for a test
/// that adds to a shared fixture's catalog without the others seeing it.</summary>
public static class CatalogCopy
{
    public static void Backup(string from, string to)
    {
        using var source = new SqliteConnection($"Data Source={from};Mode=ReadOnly;Pooling=False");
        using var target = new SqliteConnection($"Data Source={to};Pooling=False");
        source.Open();
        target.Open();
        source.BackupDatabase(target);
    }
}
