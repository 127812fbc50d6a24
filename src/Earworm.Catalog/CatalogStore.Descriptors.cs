
using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Audio.Descriptors;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    internal static readonly JsonSerializerOptions DescriptorJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Stores (or replaces) a track's descriptors: the whole record as JSON, the values people sort and
    /// filter by as columns.</summary>
    public void SaveDescriptors(long trackId, TrackDescriptors descriptors)
    {
        using var tx = _db.BeginTransaction();
        WriteDescriptors(trackId, descriptors, tx);
        tx.Commit();
    }

    private void WriteDescriptors(long trackId, TrackDescriptors d, SqliteTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(d);
        using var cmd = Command("""
            INSERT INTO descriptors (track_id, version, is_silent, tempo_bpm, key_name, camelot, loudness_lufs, energy,
                danceability, brightness_hz, json, computed_at)
            VALUES ($id, $v, $silent, $tempo, $key, $camelot, $lufs, $energy, $dance, $bright, $json, $now)
            ON CONFLICT (track_id) DO UPDATE SET version = $v, is_silent = $silent, tempo_bpm = $tempo, key_name = $key,
                camelot = $camelot, loudness_lufs = $lufs, energy = $energy, danceability = $dance, brightness_hz = $bright,
                json = $json, computed_at = $now
            """, tx);
        Run(cmd, ("$id", trackId), ("$v", TrackDescriptors.Version), ("$silent", d.IsSilent ? 1 : 0), ("$tempo", d.TempoBpm),
            ("$key", d.KeyName), ("$camelot", d.CamelotCode), ("$lufs", d.IntegratedLoudnessLufs), ("$energy", d.Energy),
            ("$dance", d.Danceability), ("$bright", d.SpectralCentroidHz),
            ("$json", JsonSerializer.Serialize(d, DescriptorJson)), ("$now", Now()));
    }

    /// <summary>A track's descriptors of the current version, or null.</summary>
    public TrackDescriptors? FindDescriptors(long trackId)
    {
        using var cmd = Command("SELECT json FROM descriptors WHERE track_id = $id AND version = $v");
        cmd.Parameters.AddWithValue("$id", trackId);
        cmd.Parameters.AddWithValue("$v", TrackDescriptors.Version);
        return cmd.ExecuteScalar() is string json ? JsonSerializer.Deserialize<TrackDescriptors>(json, DescriptorJson) : null;
    }

    /// <summary>Every analysed track's current descriptors, by track id.</summary>
    public IReadOnlyDictionary<long, TrackDescriptors> AllDescriptors()
    {
        using var cmd = Command("""
            SELECT d.track_id, d.json FROM descriptors d JOIN tracks t ON t.id = d.track_id
            WHERE d.version = $v AND t.status = 'analysed' ORDER BY d.track_id
            """);
        cmd.Parameters.AddWithValue("$v", TrackDescriptors.Version);
        using var r = cmd.ExecuteReader();
        var all = new Dictionary<long, TrackDescriptors>();
        while (r.Read()) all[r.GetInt64(0)] = JsonSerializer.Deserialize<TrackDescriptors>(r.GetString(1), DescriptorJson)!;
        return all;
    }

}
