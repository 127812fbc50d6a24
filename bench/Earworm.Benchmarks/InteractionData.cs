using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Earworm.Learning;

namespace Earworm.Benchmarks;

/// <summary>Readers for the files of shared/bench/gen_interactions.py and gen_playlists.py.</summary>
internal static class InteractionData
{
    /// <summary>Rows "user,item,count" after a header line, from a CSV or a gzipped CSV.</summary>
    public static List<Interaction> ReadCsv(string path)
    {
        using var file = File.OpenRead(path);
        using Stream input = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(input, Encoding.ASCII, false, 1 << 20);
        var header = reader.ReadLine();
        if (header != "user,item,count") throw new InvalidDataException($"{path}: header {header}, expected user,item,count");
        var rows = new List<Interaction>();
        int lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            var parts = line.Split(',');
            if (parts.Length != 3) throw new InvalidDataException($"{path}:{lineNo}: {line}");
            rows.Add(new Interaction(Int(parts[0]), Int(parts[1]), Int(parts[2])));
        }
        return rows;
    }

    /// <summary>One playlist a line, item ids separated by single spaces, gzipped.</summary>
    public static List<int[]> ReadPlaylists(string path)
    {
        using var file = File.OpenRead(path);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gz, Encoding.ASCII, false, 1 << 20);
        var playlists = new List<int[]>();
        while (reader.ReadLine() is { } line)
            playlists.Add(line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Int).ToArray());
        return playlists;
    }

    /// <summary>A one-dimensional little-endian int64 .npy array (numpy.save), as int.</summary>
    public static int[] ReadNpyInt64(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        var header = Encoding.ASCII.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        if (!header.Contains("'<i8'", StringComparison.Ordinal) || header.Contains("'fortran_order': True", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: expected a C-order <i8 array, header {header.Trim()}");
        var result = new int[(bytes.Length - dataStart) / 8];
        for (int i = 0; i < result.Length; i++) result[i] = checked((int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(dataStart + 8 * i)));
        return result;
    }

    /// <summary>The machine's 1-minute load average (other engineers share it), for the report.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
}
