using Npgsql;
using NpgsqlTypes;

namespace Earworm.Catalog;

public sealed partial class PostgresCatalog
{
    public ModelRecord SaveModel(string space, string kind, string version, string paramsJson, string dataVersion,
        string? filePath, string? metricsJson, bool makeCurrent = true)
    {
        using var tx = _db.BeginTransaction();
        if (makeCurrent) Execute("UPDATE models SET is_current = false WHERE space = @s AND is_current", ("s", space));
        long id = ScalarLong("""
            INSERT INTO models (space, kind, version, params_json, data_version, file_path, metrics_json, created_at, is_current)
            VALUES (@space, @kind, @version, @params, @data, @file, @metrics, @now, @current)
            ON CONFLICT (version) DO UPDATE SET space = excluded.space, kind = excluded.kind, params_json = excluded.params_json,
                data_version = excluded.data_version, file_path = excluded.file_path, metrics_json = excluded.metrics_json,
                created_at = excluded.created_at, is_current = excluded.is_current
            RETURNING id
            """, ("space", space), ("kind", kind), ("version", version), ("params", paramsJson), ("data", dataVersion),
            ("file", filePath), ("metrics", metricsJson), ("now", Now()), ("current", makeCurrent))!.Value;
        tx.Commit();
        return FindModel(id)!;
    }

    public void SetModelMetrics(long modelId, string metricsJson) =>
        Execute("UPDATE models SET metrics_json = @m WHERE id = @id", ("m", metricsJson), ("id", modelId));

    public ModelRecord? FindModel(long id) => Models("WHERE id = @id", ("id", id)).FirstOrDefault();

    public ModelRecord? CurrentModel(string space) => Models("WHERE space = @s AND is_current", ("s", space)).FirstOrDefault();

    public IReadOnlyList<ModelRecord> ListModels() => Models("ORDER BY space COLLATE \"C\", created_at DESC");

    private List<ModelRecord> Models(string where, params (string Name, object? Value)[] args) => Rows(
        "SELECT id, space, kind, version, params_json, data_version, file_path, metrics_json, created_at, is_current FROM models " + where,
        r => new ModelRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
            Text(r, 6), Text(r, 7), Time(r, 8), r.GetBoolean(9)), args);

    // ---- vectors (real[]: 4 bytes a dimension) -----------------------------------------------

    /// <summary>Replaces every item vector of a space at once: the old set is deleted and the new one copied in
    /// (binary COPY) in one transaction.</summary>
    public void ReplaceItemVectors(string space, long modelId, int dims, IEnumerable<(long ItemId, float[] Vector)> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        using var tx = _db.BeginTransaction();
        Execute("DELETE FROM item_vectors WHERE space = @s", ("s", space));
        using (var copy = _db.BeginBinaryImport("COPY item_vectors (space, item_id, model_id, vector) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (itemId, v) in vectors)
            {
                if (v.Length != dims) throw new ArgumentException($"item {itemId}: {v.Length} dimensions, expected {dims}", nameof(vectors));
                copy.StartRow();
                copy.Write(space, NpgsqlDbType.Text);
                copy.Write(itemId, NpgsqlDbType.Bigint);
                copy.Write(modelId, NpgsqlDbType.Bigint);
                copy.Write(CatalogStore.RequireFinite(v), NpgsqlDbType.Array | NpgsqlDbType.Real);
            }
            copy.Complete();
        }
        tx.Commit();
    }

    /// <summary>Stores (or replaces) tracks' vectors in a space, committed together: copied into a scratch table, then
    /// merged.</summary>
    public void SaveTrackVectors(string space, long modelId, IEnumerable<(long TrackId, float[] Vector)> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var rows = vectors.Select(x => (x.TrackId, CatalogStore.RequireFinite(x.Vector))).ToList();
        using var tx = _db.BeginTransaction();
        Execute("CREATE TEMP TABLE new_track_vectors (track_id bigint NOT NULL, vector real[] NOT NULL) ON COMMIT DROP");
        using (var copy = _db.BeginBinaryImport("COPY new_track_vectors (track_id, vector) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (trackId, v) in rows)
            {
                copy.StartRow();
                copy.Write(trackId, NpgsqlDbType.Bigint);
                copy.Write(v, NpgsqlDbType.Array | NpgsqlDbType.Real);
            }
            copy.Complete();
        }
        Execute("""
            INSERT INTO track_vectors (space, track_id, model_id, vector)
            SELECT DISTINCT ON (track_id) @s, track_id, @m, vector FROM new_track_vectors ORDER BY track_id
            ON CONFLICT (space, track_id) DO UPDATE SET model_id = excluded.model_id, vector = excluded.vector
            """, ("s", space), ("m", modelId));
        tx.Commit();
    }

    public void DeleteSpace(string space)
    {
        using var tx = _db.BeginTransaction();
        Execute("DELETE FROM track_vectors WHERE space = @s", ("s", space));
        Execute("DELETE FROM item_vectors WHERE space = @s", ("s", space));
        tx.Commit();
    }

    public int DeleteTrackVectorsNotOf(string space, long modelId) =>
        Execute("DELETE FROM track_vectors WHERE space = @s AND model_id <> @m", ("s", space), ("m", modelId));

    public IReadOnlySet<long> TracksWithVectors(string space, long modelId) =>
        Rows("SELECT track_id FROM track_vectors WHERE space = @s AND model_id = @m", r => r.GetInt64(0), ("s", space), ("m", modelId)).ToHashSet();

    public SpaceVectors LoadTrackVectors(string space) => LoadVectors(space, """
        SELECT t.id, v.vector FROM track_vectors v JOIN tracks t ON t.id = v.track_id
        WHERE v.space = @s AND t.status = 'analysed'
        UNION ALL
        SELECT t.id, v.vector FROM item_vectors v JOIN items i ON i.id = v.item_id JOIN tracks t ON t.id = i.track_id
        WHERE v.space = @s AND t.status = 'analysed'
        ORDER BY 1
        """);

    public SpaceVectors LoadItemVectors(string space) =>
        LoadVectors(space, "SELECT item_id, vector FROM item_vectors WHERE space = @s ORDER BY item_id");

    public IReadOnlyList<(string Space, int Tracks, int Items)> ListSpaces() => Rows("""
        SELECT space, SUM(tracks), SUM(items) FROM (
            SELECT v.space, COUNT(*) AS tracks, 0 AS items FROM track_vectors v JOIN tracks t ON t.id = v.track_id
            WHERE t.status = 'analysed' GROUP BY v.space
            UNION ALL
            SELECT v.space, COUNT(i.track_id), COUNT(*) FROM item_vectors v JOIN items i ON i.id = v.item_id
            GROUP BY v.space) counted
        GROUP BY space ORDER BY space COLLATE "C"
        """, r => (r.GetString(0), Int(r, 1), Int(r, 2)));

    private SpaceVectors LoadVectors(string space, string sql)
    {
        using var cmd = Command(sql, ("s", space));
        using var r = cmd.ExecuteReader();
        var ids = new List<long>();
        var data = new List<float>();
        int dims = -1;
        while (r.Read())
        {
            var v = r.GetFieldValue<float[]>(1);
            if (dims < 0) dims = v.Length;
            else if (v.Length != dims)
                throw new CatalogException($"space '{space}' mixes vectors of {dims} and {v.Length} dimensions (id {r.GetInt64(0)})");
            ids.Add(r.GetInt64(0));
            data.AddRange(v);
        }
        return new SpaceVectors(space, Math.Max(dims, 0), [.. ids], [.. data]);
    }
}
