using System.Globalization;
using System.Text.Json;

namespace Earworm.Catalog;

/// <summary>One scan as recorded: when, over which roots, and how it ended (null while running or if killed).</summary>
public sealed record ScanRecord(long Id, IReadOnlyList<string> Roots, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string? Outcome, int Analysed, int Failed, int Unchanged, int Missing, double AudioSeconds);

public sealed partial class CatalogStore
{
    public long StartScan(IReadOnlyList<string> roots)
    {
        using var cmd = Command("INSERT INTO scans (roots_json, started_at) VALUES ($r, $now) RETURNING id");
        cmd.Parameters.AddWithValue("$r", JsonSerializer.Serialize(roots));
        cmd.Parameters.AddWithValue("$now", Now());
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <param name="outcome">"completed", "interrupted" or "failed".</param>
    public void FinishScan(long scanId, string outcome, int analysed, int failed, int unchanged, int missing, double audioSeconds)
    {
        using var cmd = Command("""
            UPDATE scans SET finished_at = $now, outcome = $o, analysed = $a, failed = $f, unchanged = $u,
                missing = $m, audio_seconds = $s WHERE id = $id
            """);
        Run(cmd, ("$now", Now()), ("$o", outcome), ("$a", analysed), ("$f", failed), ("$u", unchanged), ("$m", missing),
            ("$s", audioSeconds), ("$id", scanId));
    }

    /// <summary>The most recent scan, if any.</summary>
    public ScanRecord? LastScan()
    {
        using var cmd = Command("SELECT id, roots_json, started_at, finished_at, outcome, analysed, failed, unchanged, missing, audio_seconds FROM scans ORDER BY id DESC LIMIT 1");
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return new ScanRecord(r.GetInt64(0), JsonSerializer.Deserialize<string[]>(r.GetString(1)) ?? [],
            DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture),
            r.IsDBNull(3) ? null : DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture),
            r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.GetDouble(9));
    }

    /// <summary>Every folder any scan was given, oldest first, without repeats: the library's extent (what may be
    /// served or re-scanned), since each scan may name different folders.</summary>
    public IReadOnlyList<string> ScannedRoots()
    {
        using var cmd = Command("SELECT roots_json FROM scans ORDER BY id");
        using var r = cmd.ExecuteReader();
        var roots = new List<string>();
        while (r.Read())
            foreach (var root in JsonSerializer.Deserialize<string[]>(r.GetString(0)) ?? [])
                if (!roots.Contains(root, StringComparer.Ordinal)) roots.Add(root);
        return roots;
    }
}
