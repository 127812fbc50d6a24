using System.Runtime.InteropServices;

namespace Earworm.Recommend;

/// <summary>
/// Saves and loads an <see cref="HnswIndex"/>: a little-endian binary file — the magic <c>EWHNSW01</c>, a
/// fingerprint of the vectors it was built from (so a stale file is recognised), the options, metric and sizes,
/// then the arrays (keys, levels, vectors, layer-0 links, upper links) as they lie in memory, so loading is a
/// few bulk reads and no rebuild.
/// </summary>
public static class HnswFile
{
    private const ulong Magic = 0x31304E53_4E485745; // "EWHNSW01"

    public static void Save(HnswIndex index, string path, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(index);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // a name of its own: processes that share the folder (a cluster's silos on one machine) may save the same index at once
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var stream = File.Create(temp))
        using (var w = new BinaryWriter(stream))
            index.WriteTo(w, fingerprint);
        File.Move(temp, path, overwrite: true); // a crash leaves the old file or none, never half of one
    }

    /// <summary>The index in <paramref name="path"/>, or null when it is absent or was built from other vectors
    /// (its fingerprint differs) or is not an index file.</summary>
    public static HnswIndex? TryLoad(string path, string fingerprint)
    {
        if (!File.Exists(path)) return null;
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream);
        if (stream.Length < 16 || r.ReadUInt64() != Magic) return null;
        if (r.ReadString() != fingerprint) return null;
        return HnswIndex.ReadFrom(r);
    }

    internal static void WriteArray<T>(BinaryWriter w, T[] array) where T : unmanaged
    {
        w.Write(array.Length);
        w.Write(MemoryMarshal.AsBytes(array.AsSpan()));
    }

    internal static T[] ReadArray<T>(BinaryReader r) where T : unmanaged
    {
        int n = r.ReadInt32();
        if (n < 0) throw new InvalidDataException("corrupt index file");
        var array = new T[n];
        var bytes = MemoryMarshal.AsBytes(array.AsSpan());
        if (r.BaseStream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length)
            throw new InvalidDataException("truncated index file");
        return array;
    }

    internal static ulong MagicNumber => Magic;
}

public sealed partial class HnswIndex
{
    private HnswIndex(HnswOptions options, Metric metric, int dimension, float[] data, long[] keys, int[] levels, int[] links0,
        int[]?[] upper, int entry, int maxLevel)
    {
        Options = options;
        Metric = metric;
        Dimension = dimension;
        _data = data;
        _keys = keys;
        _levels = levels;
        _links0 = links0;
        _upper = upper;
        _entry = entry;
        _maxLevel = maxLevel;
    }

    internal void WriteTo(BinaryWriter w, string fingerprint)
    {
        w.Write(HnswFile.MagicNumber);
        w.Write(fingerprint);
        w.Write(Options.M);
        w.Write(Options.EfConstruction);
        w.Write(Options.EfSearch);
        w.Write(Options.Seed);
        w.Write((int)Metric);
        w.Write(Dimension);
        w.Write(_entry);
        w.Write(_maxLevel);
        HnswFile.WriteArray(w, _keys);
        HnswFile.WriteArray(w, _levels);
        HnswFile.WriteArray(w, _data);
        HnswFile.WriteArray(w, _links0);
        // upper layers: one flat array, each node's block in order (its size follows from its level)
        var flat = new int[_upper.Sum(u => u?.Length ?? 0)];
        int at = 0;
        foreach (var u in _upper)
        {
            if (u is null) continue;
            u.CopyTo(flat, at);
            at += u.Length;
        }
        HnswFile.WriteArray(w, flat);
    }

    internal static HnswIndex ReadFrom(BinaryReader r)
    {
        var options = new HnswOptions(r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32()).Validate();
        var metric = (Metric)r.ReadInt32();
        int dimension = r.ReadInt32(), entry = r.ReadInt32(), maxLevel = r.ReadInt32();
        var keys = HnswFile.ReadArray<long>(r);
        var levels = HnswFile.ReadArray<int>(r);
        var data = HnswFile.ReadArray<float>(r);
        var links0 = HnswFile.ReadArray<int>(r);
        var flat = HnswFile.ReadArray<int>(r);
        if (levels.Length != keys.Length || data.LongLength != (long)keys.Length * dimension
            || links0.LongLength != (long)keys.Length * (2 * options.M + 1))
            throw new InvalidDataException("inconsistent index file");
        var upper = new int[keys.Length][];
        int at = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            if (levels[i] == 0) continue;
            int size = levels[i] * (options.M + 1);
            if (at + size > flat.Length) throw new InvalidDataException("inconsistent index file");
            upper[i] = flat.AsSpan(at, size).ToArray();
            at += size;
        }
        return new HnswIndex(options, metric, dimension, data, keys, levels, links0, upper, entry, maxLevel);
    }
}
