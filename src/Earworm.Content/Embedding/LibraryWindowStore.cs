namespace Earworm.Content.Embedding;

/// <summary>
/// The window vectors of a library's tracks under one model, appended track by track to a file (record: track id
/// int64, window count int32, dims int32, then count × dims float32). TF-IDF needs every track's windows; an
/// interrupted run keeps the complete records and drops a torn last one.
/// </summary>
internal static class LibraryWindowStore
{
    public static Dictionary<long, float[][]> ReadAll(string path)
    {
        var result = new Dictionary<long, float[][]>();
        if (!File.Exists(path)) return result;
        using var s = File.OpenRead(path);
        using var r = new BinaryReader(s);
        long good = 0;
        try
        {
            while (s.Position < s.Length)
            {
                long id = r.ReadInt64();
                int count = r.ReadInt32(), dims = r.ReadInt32();
                if (count < 0 || dims < 1 || (long)count * dims * 4 > s.Length - s.Position) break;
                var windows = new float[count][];
                for (int i = 0; i < count; i++)
                {
                    windows[i] = new float[dims];
                    for (int d = 0; d < dims; d++) windows[i][d] = r.ReadSingle();
                }
                result[id] = windows;
                good = s.Position;
            }
        }
        catch (EndOfStreamException) { }
        _ = good;
        return result;
    }

    /// <summary>Appends one track's windows (the file is cut back to its last complete record first).</summary>
    public static void Append(string path, long trackId, IReadOnlyList<float[]> windows)
    {
        using var s = new FileStream(path, FileMode.Append, FileAccess.Write);
        using var w = new BinaryWriter(s);
        w.Write(trackId);
        w.Write(windows.Count);
        w.Write(windows.Count > 0 ? windows[0].Length : 1);
        foreach (var v in windows)
            foreach (var x in v) w.Write(x);
    }

    /// <summary>Rewrites the file with only complete records (after an interruption tore the last one).</summary>
    public static void Compact(string path, Dictionary<long, float[][]> records)
    {
        var tmp = path + ".tmp";
        File.Delete(tmp);
        foreach (var (id, windows) in records) Append(tmp, id, windows);
        if (File.Exists(tmp)) File.Move(tmp, path, overwrite: true);
        else File.Delete(path);
    }
}
