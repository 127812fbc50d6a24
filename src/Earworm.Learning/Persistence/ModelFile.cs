using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Learning.Embeddings;
using Earworm.Learning.Factorization;
using Earworm.Learning.Hybrid;
using Earworm.Learning.Neighbours;

namespace Earworm.Learning.Persistence;

/// <summary>A model with the identities of its rows: <c>UserIds[u]</c> and <c>ItemIds[i]</c> are the caller's own
/// ids (e.g. catalog user and item ids) of dense user u and item i; either may be empty when the model serves no
/// outside ids. <see cref="Metadata"/> carries free text (data version, training time…).</summary>
public sealed record SavedModel(IRecommenderModel Model, long[] UserIds, long[] ItemIds, IReadOnlyDictionary<string, string> Metadata)
{
    public SavedModel(IRecommenderModel model, long[] userIds, long[] itemIds)
        : this(model, userIds, itemIds, new Dictionary<string, string>()) { }
}

/// <summary>A model file that cannot be read: not a model file, from another format version, truncated or corrupt.</summary>
public sealed class ModelFileException(string message) : EarwormException(message);

/// <summary>
/// Earworm's model files: ALS and BPR (user and item factors, BPR's item biases), track2vec (vectors and each
/// item's occurrences, the vocabulary) and item-kNN (neighbour lists), each with its hyper-parameters (the options
/// record as JSON) and its id maps. Little-endian, versioned, checksummed.
/// </summary>
/// <remarks>
/// Layout: the 8 bytes <c>EWMODEL\0</c>; format version (int32, <see cref="FormatVersion"/>); payload length
/// (int64); SHA-256 of the payload (32 bytes); the payload. The payload: kind (string: als, bpr, hybrid, track2vec,
/// itemknn, itemknn-bm25), options JSON (string), metadata (int32 count, then key/value strings), user ids and item
/// ids (int32 length, int64 each), then the kind's arrays (int32 lengths, float32/int32/int64 values). Strings are
/// .NET <see cref="BinaryWriter"/>'s (7-bit length prefix, UTF-8). A reader refuses any other format version
/// (the message says to retrain) and checks the length and the checksum before it parses anything.
/// <see cref="Save(string, SavedModel)"/> writes beside the target and renames, so a crash never leaves half a file.
/// </remarks>
public static class ModelFile
{
    /// <summary>The format this code writes and reads.</summary>
    public const int FormatVersion = 1;

    private static ReadOnlySpan<byte> Magic => "EWMODEL\0"u8;
    private const int HeaderBytes = 8 + 4 + 8 + 32;

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The kinds of model a file can hold (what <see cref="IRecommenderModel.Name"/> says).</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["als", "bpr", "track2vec", "itemknn", "itemknn-bm25", "hybrid"];

    /// <summary>Writes <paramref name="saved"/> to <paramref name="path"/> (atomically: a temporary file, then a rename).</summary>
    public static void Save(string path, SavedModel saved)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var temp = path + ".tmp";
        using (var file = File.Create(temp)) Save(file, saved);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes <paramref name="saved"/> to a stream.</summary>
    /// <exception cref="ArgumentException">a model of another kind, or id maps of the wrong length.</exception>
    public static void Save(Stream stream, SavedModel saved)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(saved);
        var m = saved.Model;
        if (saved.UserIds.Length != 0 && saved.UserIds.Length != m.UserCount)
            throw new ArgumentException($"{saved.UserIds.Length} user ids for a model of {m.UserCount} users.", nameof(saved));
        if (saved.ItemIds.Length != 0 && saved.ItemIds.Length != m.ItemCount)
            throw new ArgumentException($"{saved.ItemIds.Length} item ids for a model of {m.ItemCount} items.", nameof(saved));
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(m.Name);
            w.Write(m switch
            {
                AlsModel a => JsonSerializer.Serialize(a.Options, Json),
                BprModel b => JsonSerializer.Serialize(b.Options, Json),
                HybridModel h => JsonSerializer.Serialize(h.Options, Json),
                Track2VecModel t => JsonSerializer.Serialize(t.Options, Json),
                ItemKnnModel k => JsonSerializer.Serialize(k.Options, Json),
                _ => throw new ArgumentException($"a {m.Name} model ({m.GetType().Name}) cannot be saved: only {string.Join(", ", Kinds)}.", nameof(saved)),
            });
            w.Write(saved.Metadata.Count);
            foreach (var (key, value) in saved.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.Write(key);
                w.Write(value);
            }
            WriteLongs(w, saved.UserIds);
            WriteLongs(w, saved.ItemIds);
            switch (m)
            {
                case MatrixFactorizationModel f:
                    w.Write(f.Factors);
                    WriteFloats(w, f.UserFactorArray());
                    WriteFloats(w, f.ItemFactorArray());
                    if (f is BprModel or HybridModel) WriteFloats(w, [.. Enumerable.Range(0, f.ItemCount).Select(f.ItemBias)]);
                    if (f is HybridModel h)
                    {
                        w.Write(h.FeatureNames.Count);
                        foreach (var name in h.FeatureNames) w.Write(name);
                        WriteFloats(w, h.FeatureVectorArray());
                        WriteFloats(w, h.FeatureBiasArray());
                    }
                    break;
                case Track2VecModel t:
                    w.Write(t.UserCount);
                    w.Write(t.Dimensions);
                    WriteFloats(w, t.VectorArray());
                    WriteLongs(w, [.. Enumerable.Range(0, t.ItemCount).Select(t.Occurrences)]);
                    break;
                case ItemKnnModel k:
                    w.Write(k.UserCount);
                    w.Write(k.ItemCount);
                    for (int i = 0; i < k.ItemCount; i++)
                    {
                        var n = k.SimilarItems(i, k.Options.Neighbours);
                        WriteInts(w, n.Ids);
                        WriteFloats(w, n.Scores);
                    }
                    break;
            }
        }
        var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BitConverter.TryWriteBytes(header[8..], FormatVersion);
        BitConverter.TryWriteBytes(header[12..], (long)bytes.Length);
        SHA256.HashData(bytes, header[20..]);
        stream.Write(header);
        stream.Write(bytes);
    }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="ModelFileException">not a model file, another format version, truncated or corrupt (the
    /// message names the file and says what to do).</exception>
    public static SavedModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new ModelFileException($"{path}: the model file is missing: train the model again");
        using var file = File.OpenRead(path);
        return Load(file, path);
    }

    /// <summary>Reads a model from a stream; <paramref name="name"/> is used in errors.</summary>
    public static SavedModel Load(Stream stream, string name = "model")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[HeaderBytes];
        int got = stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false);
        if (got < 8 || !header.AsSpan(0, 8).SequenceEqual(Magic))
            throw new ModelFileException($"{name}: not an Earworm model file");
        if (got < HeaderBytes) throw new ModelFileException($"{name}: truncated model file (header of {got} bytes)");
        int version = BitConverter.ToInt32(header, 8);
        if (version != FormatVersion)
            throw new ModelFileException($"{name}: model file format {version}, this Earworm reads format {FormatVersion}: train the model again");
        long length = BitConverter.ToInt64(header, 12);
        if (length < 0 || length > int.MaxValue) throw new ModelFileException($"{name}: corrupt model file (payload length {length})");
        var payload = new byte[length];
        int read = stream.ReadAtLeast(payload, (int)length, throwOnEndOfStream: false);
        if (read < length) throw new ModelFileException($"{name}: truncated model file ({read} of {length} payload bytes)");
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(header.AsSpan(20, 32)))
            throw new ModelFileException($"{name}: corrupt model file (checksum mismatch): train the model again");
        try
        {
            return Parse(payload);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException or FormatException or InvalidDataException)
        {
            throw new ModelFileException($"{name}: unreadable model file ({e.Message})");
        }
    }

    private static SavedModel Parse(byte[] payload)
    {
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        string kind = r.ReadString();
        string options = r.ReadString();
        int metaCount = r.ReadInt32();
        if (metaCount < 0) throw new InvalidDataException($"{metaCount} metadata entries");
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < metaCount; i++) meta[r.ReadString()] = r.ReadString();
        var userIds = ReadLongs(r);
        var itemIds = ReadLongs(r);
        IRecommenderModel model;
        switch (kind)
        {
            case "als":
            {
                var o = Options<AlsOptions>(options) with { Threads = Environment.ProcessorCount };
                r.ReadInt32();
                model = AlsModel.FromFactors(o, ReadFloats(r), ReadFloats(r));
                break;
            }
            case "bpr":
            {
                var o = Options<BprOptions>(options) with { Threads = Environment.ProcessorCount };
                r.ReadInt32();
                model = BprModel.FromFactors(o, ReadFloats(r), ReadFloats(r), ReadFloats(r));
                break;
            }
            case "hybrid":
            {
                var o = Options<HybridOptions>(options) with { Threads = Environment.ProcessorCount };
                r.ReadInt32();
                float[] users = ReadFloats(r), items = ReadFloats(r), biases = ReadFloats(r);
                int features = r.ReadInt32();
                if (features < 0) throw new InvalidDataException($"{features} features");
                var names = new string[features];
                for (int i = 0; i < features; i++) names[i] = r.ReadString();
                model = HybridModel.FromFactors(o, users, items, biases, names, ReadFloats(r), ReadFloats(r));
                break;
            }
            case "track2vec":
            {
                var o = Options<Track2VecOptions>(options) with { Threads = Environment.ProcessorCount };
                int users = r.ReadInt32();
                r.ReadInt32();
                model = Track2VecModel.FromVectors(o, ReadFloats(r), ReadLongs(r), users);
                break;
            }
            case "itemknn" or "itemknn-bm25":
            {
                var o = Options<ItemKnnOptions>(options) with { Threads = Environment.ProcessorCount };
                int users = r.ReadInt32(), items = r.ReadInt32();
                if (items < 0) throw new InvalidDataException($"{items} items");
                var lists = new ScoredItems[items];
                for (int i = 0; i < items; i++) lists[i] = new ScoredItems(ReadInts(r), ReadFloats(r));
                model = ItemKnnModel.FromNeighbours(o, users, lists);
                break;
            }
            default:
                throw new InvalidDataException($"unknown model kind \"{kind}\"");
        }
        if (r.BaseStream.Position != payload.Length) throw new InvalidDataException($"{payload.Length - r.BaseStream.Position} bytes after the model");
        if (userIds.Length != 0 && userIds.Length != model.UserCount) throw new InvalidDataException($"{userIds.Length} user ids for {model.UserCount} users");
        if (itemIds.Length != 0 && itemIds.Length != model.ItemCount) throw new InvalidDataException($"{itemIds.Length} item ids for {model.ItemCount} items");
        return new SavedModel(model, userIds, itemIds, meta);
    }

    private static T Options<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException("no options");

    private static void WriteLongs(BinaryWriter w, ReadOnlySpan<long> values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    private static void WriteInts(BinaryWriter w, ReadOnlySpan<int> values)
    {
        w.Write(values.Length);
        foreach (var v in values) w.Write(v);
    }

    private static void WriteFloats(BinaryWriter w, ReadOnlySpan<float> values)
    {
        w.Write(values.Length);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
    }

    private static int Length(BinaryReader r, int elementBytes)
    {
        int n = r.ReadInt32();
        if (n < 0 || (long)n * elementBytes > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"an array of {n} values runs past the end");
        return n;
    }

    private static long[] ReadLongs(BinaryReader r)
    {
        var a = new long[Length(r, 8)];
        for (int i = 0; i < a.Length; i++) a[i] = r.ReadInt64();
        return a;
    }

    private static int[] ReadInts(BinaryReader r)
    {
        var a = new int[Length(r, 4)];
        for (int i = 0; i < a.Length; i++) a[i] = r.ReadInt32();
        return a;
    }

    private static float[] ReadFloats(BinaryReader r)
    {
        var a = new float[Length(r, 4)];
        r.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()));
        return a;
    }
}
