using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog;

/// <summary>A learned model the catalog knows: which space it fills, how it was made, and where its file lies.</summary>
/// <param name="Space">The space its vectors live in: <c>cf</c>, <c>track2vec</c>, <c>audio</c>…</param>
/// <param name="Kind">The algorithm: <c>als</c>, <c>bpr</c>, <c>track2vec</c>, <c>itemknn</c>, <c>audio-cnn</c>…</param>
/// <param name="Version">A stable identity of the model (e.g. a hash of its parameters, seed and data version);
/// every stored vector names the model that made it.</param>
/// <param name="ParamsJson">The hyper-parameters, as JSON.</param>
/// <param name="DataVersion">The <see cref="CatalogStore.ListeningDataVersion"/> (or another data identity) it was
/// trained on.</param>
/// <param name="FilePath">The model's own file (factors, weights), when it has one.</param>
/// <param name="MetricsJson">Training figures (loss, validation metric, time), as JSON.</param>
public sealed record ModelRecord(long Id, string Space, string Kind, string Version, string ParamsJson, string DataVersion,
    string? FilePath, string? MetricsJson, DateTimeOffset CreatedAt, bool IsCurrent);

/// <summary>Vectors of one space, row-major: row <c>i</c> is <c>Data[i*Dims .. (i+1)*Dims)</c> and belongs to
/// <c>Ids[i]</c> (track ids or item ids, as the call says).</summary>
public sealed record SpaceVectors(string Space, int Dims, long[] Ids, float[] Data)
{
    public int Count => Ids.Length;

    public ReadOnlySpan<float> Row(int i) => Data.AsSpan(i * Dims, Dims);
}

public sealed partial class CatalogStore
{
    /// <summary>The folder for the model files of a catalog: <c>catalog.db</c> → <c>catalog.models/</c> (beside the
    /// excerpt cache, <c>catalog.cache/</c>).</summary>
    public static string ModelFolderFor(string catalogPath) => Path.ChangeExtension(Path.GetFullPath(catalogPath), ".models");

    /// <summary>An identity of the listening data (interactions and playlists) that changes whenever it does; models
    /// record it so a stale model is recognised.</summary>
    public string ListeningDataVersion()
    {
        using var cmd = Command("""
            SELECT (SELECT COUNT(*) FROM interactions), (SELECT COALESCE(MAX(id), 0) FROM interactions),
                   (SELECT COALESCE(SUM(count), 0) FROM interactions), (SELECT COUNT(*) FROM playlist_entries),
                   (SELECT COALESCE(MAX(updated_at), '') FROM playlists)
            """);
        using var r = cmd.ExecuteReader();
        r.Read();
        return string.Create(CultureInfo.InvariantCulture,
            $"i{r.GetInt64(0)}-m{r.GetInt64(1)}-s{r.GetDouble(2):R}-p{r.GetInt64(3)}-{r.GetString(4)}");
    }

    /// <summary>Records a model; with <paramref name="makeCurrent"/> it becomes its space's current model (the one
    /// verbs use), in the same transaction. A model with the same version is replaced.</summary>
    public ModelRecord SaveModel(string space, string kind, string version, string paramsJson, string dataVersion,
        string? filePath, string? metricsJson, bool makeCurrent = true)
    {
        using var tx = _db.BeginTransaction();
        if (makeCurrent) Execute("UPDATE models SET is_current = 0 WHERE space = $s AND is_current = 1", tx, ("$s", space));
        using var cmd = Command("""
            INSERT INTO models (space, kind, version, params_json, data_version, file_path, metrics_json, created_at, is_current)
            VALUES ($space, $kind, $version, $params, $data, $file, $metrics, $now, $current)
            ON CONFLICT (version) DO UPDATE SET space = $space, kind = $kind, params_json = $params, data_version = $data,
                file_path = $file, metrics_json = $metrics, created_at = $now, is_current = $current
            RETURNING id
            """, tx);
        foreach (var (n, v) in new (string, object?)[] { ("$space", space), ("$kind", kind), ("$version", version),
                     ("$params", paramsJson), ("$data", dataVersion), ("$file", filePath), ("$metrics", metricsJson),
                     ("$now", Now()), ("$current", makeCurrent ? 1 : 0) })
            cmd.Parameters.AddWithValue(n, Db(v));
        long id = Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        tx.Commit();
        return FindModel(id)!;
    }

    /// <summary>Updates a model's training figures (e.g. after an evaluation).</summary>
    public void SetModelMetrics(long modelId, string metricsJson) =>
        Execute("UPDATE models SET metrics_json = $m WHERE id = $id", null, ("$m", metricsJson), ("$id", modelId));

    public ModelRecord? FindModel(long id) => QueryModels("WHERE id = $id", ("$id", id)).FirstOrDefault();

    /// <summary>The model verbs use for a space, or null when the space has none yet.</summary>
    public ModelRecord? CurrentModel(string space) =>
        QueryModels("WHERE space = $s AND is_current = 1", ("$s", space)).FirstOrDefault();

    public IReadOnlyList<ModelRecord> ListModels() => QueryModels("ORDER BY space, created_at DESC");

    private List<ModelRecord> QueryModels(string where, params (string Name, object? Value)[] args)
    {
        using var cmd = Command("SELECT id, space, kind, version, params_json, data_version, file_path, metrics_json, " +
                                "created_at, is_current FROM models " + where);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, Db(v));
        using var r = cmd.ExecuteReader();
        var list = new List<ModelRecord>();
        while (r.Read())
            list.Add(new ModelRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7),
                DateTimeOffset.Parse(r.GetString(8), CultureInfo.InvariantCulture), r.GetInt64(9) != 0));
        return list;
    }

    private void Execute(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(sql, tx);
        Run(cmd, args);
    }

    // ---- vectors ---------------------------------------------------------------------------

    /// <summary>Replaces every item vector of a space with a model's, in one transaction (a crash leaves the old set).</summary>
    public void ReplaceItemVectors(string space, long modelId, int dims, IEnumerable<(long ItemId, float[] Vector)> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        using var tx = _db.BeginTransaction();
        Execute("DELETE FROM item_vectors WHERE space = $s", tx, ("$s", space));
        using var ins = Command("INSERT INTO item_vectors (space, item_id, model_id, vector) VALUES ($s, $id, $m, $v)", tx);
        var pId = ins.Parameters.Add("$id", SqliteType.Integer);
        var pV = ins.Parameters.Add("$v", SqliteType.Blob);
        ins.Parameters.AddWithValue("$s", space);
        ins.Parameters.AddWithValue("$m", modelId);
        foreach (var (itemId, v) in vectors)
        {
            if (v.Length != dims) throw new ArgumentException($"item {itemId}: {v.Length} dimensions, expected {dims}", nameof(vectors));
            pId.Value = itemId;
            pV.Value = ToBlob(v);
            ins.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>Stores (or replaces) one track's vector in a space: embedding commits track by track, so an
    /// interrupted run keeps what it did.</summary>
    public void SaveTrackVectors(string space, long modelId, IEnumerable<(long TrackId, float[] Vector)> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        using var tx = _db.BeginTransaction();
        using var ins = Command("""
            INSERT INTO track_vectors (space, track_id, model_id, vector) VALUES ($s, $id, $m, $v)
            ON CONFLICT (space, track_id) DO UPDATE SET model_id = $m, vector = $v
            """, tx);
        var pId = ins.Parameters.Add("$id", SqliteType.Integer);
        var pV = ins.Parameters.Add("$v", SqliteType.Blob);
        ins.Parameters.AddWithValue("$s", space);
        ins.Parameters.AddWithValue("$m", modelId);
        foreach (var (trackId, v) in vectors)
        {
            pId.Value = trackId;
            pV.Value = ToBlob(v);
            ins.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>Removes a space's vectors (both kinds of owner).</summary>
    public void DeleteSpace(string space)
    {
        using var tx = _db.BeginTransaction();
        Execute("DELETE FROM track_vectors WHERE space = $s", tx, ("$s", space));
        Execute("DELETE FROM item_vectors WHERE space = $s", tx, ("$s", space));
        tx.Commit();
    }

    /// <summary>Removes a space's track vectors made by any model but <paramref name="modelId"/>: vectors of two models
    /// are points of two different spaces and must never be searched together. Returns how many were removed.</summary>
    public int DeleteTrackVectorsNotOf(string space, long modelId)
    {
        using var cmd = Command("DELETE FROM track_vectors WHERE space = $s AND model_id IS NOT $m");
        cmd.Parameters.AddWithValue("$s", space);
        cmd.Parameters.AddWithValue("$m", modelId);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>The track ids that already have a vector made by <paramref name="modelId"/> in a space (what an
    /// embedding run may skip).</summary>
    public IReadOnlySet<long> TracksWithVectors(string space, long modelId)
    {
        using var cmd = Command("SELECT track_id FROM track_vectors WHERE space = $s AND model_id = $m");
        cmd.Parameters.AddWithValue("$s", space);
        cmd.Parameters.AddWithValue("$m", modelId);
        using var r = cmd.ExecuteReader();
        var set = new HashSet<long>();
        while (r.Read()) set.Add(r.GetInt64(0));
        return set;
    }

    /// <summary>The vectors of a space for the library's analysed tracks, by track id: a track's own vector
    /// (e.g. <c>audio</c>), or the vector of the item linked to it (e.g. <c>cf</c>, <c>track2vec</c>).</summary>
    public SpaceVectors LoadTrackVectors(string space) => LoadVectors(space, """
        SELECT t.id, v.vector FROM track_vectors v JOIN tracks t ON t.id = v.track_id
        WHERE v.space = $s AND t.status = 'analysed'
        UNION ALL
        SELECT t.id, v.vector FROM item_vectors v JOIN items i ON i.id = v.item_id JOIN tracks t ON t.id = i.track_id
        WHERE v.space = $s AND t.status = 'analysed'
        ORDER BY 1
        """);

    /// <summary>The item vectors of a space (items with or without audio), by item id.</summary>
    public SpaceVectors LoadItemVectors(string space) =>
        LoadVectors(space, "SELECT item_id, vector FROM item_vectors WHERE space = $s ORDER BY item_id");

    /// <summary>The spaces that hold vectors, with how many tracks of the library each covers.</summary>
    public IReadOnlyList<(string Space, int Tracks, int Items)> ListSpaces()
    {
        using var cmd = Command("""
            SELECT space, SUM(tracks), SUM(items) FROM (
                SELECT v.space, COUNT(*) AS tracks, 0 AS items FROM track_vectors v JOIN tracks t ON t.id = v.track_id
                WHERE t.status = 'analysed' GROUP BY v.space
                UNION ALL
                SELECT v.space, COUNT(i.track_id), COUNT(*) FROM item_vectors v JOIN items i ON i.id = v.item_id
                GROUP BY v.space)
            GROUP BY space ORDER BY space
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, int, int)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetInt32(1), r.GetInt32(2)));
        return list;
    }

    private SpaceVectors LoadVectors(string space, string sql)
    {
        using var cmd = Command(sql);
        cmd.Parameters.AddWithValue("$s", space);
        using var r = cmd.ExecuteReader();
        var ids = new List<long>();
        var data = new List<float>();
        int dims = -1;
        while (r.Read())
        {
            var blob = (byte[])r.GetValue(1);
            var v = MemoryMarshal.Cast<byte, float>(blob);
            if (dims < 0) dims = v.Length;
            else if (v.Length != dims)
                throw new CatalogException($"space '{space}' mixes vectors of {dims} and {v.Length} dimensions (id {r.GetInt64(0)})");
            ids.Add(r.GetInt64(0));
            data.AddRange(v);
        }
        return new SpaceVectors(space, Math.Max(dims, 0), [.. ids], [.. data]);
    }

    private static byte[] ToBlob(float[] v) => MemoryMarshal.AsBytes(RequireFinite(v).AsSpan()).ToArray();

    /// <summary>A vector every back end may store: no NaN, no infinity.</summary>
    internal static float[] RequireFinite(float[] v)
    {
        foreach (var x in v)
            if (!float.IsFinite(x)) throw new ArgumentException("a vector holds NaN or infinity", nameof(v));
        return v;
    }
}
