namespace Earworm.Audio.Excerpts;

/// <summary>
/// CRC-32 as zlib, PNG and IEEE 802.3 (reflected polynomial 0xEDB88320, initial value and final
/// XOR 0xFFFFFFFF; check value CRC("123456789") = 0xCBF43926). System.IO.Hashing is not
/// available here, and this byte-wise table version is fast enough for a few hundred KB per track.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>CRC-32 of the bytes already summarised by <paramref name="crc"/> followed by <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        uint c = ~crc;
        foreach (byte b in data) c = table[(byte)(c ^ b)] ^ (c >> 8);
        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
