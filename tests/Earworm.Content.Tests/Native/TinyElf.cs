using System.Buffers.Binary;
using System.Text;

namespace Earworm.Content.Tests.Native;

/// <summary>
/// Builds a minimal little-endian ELF64 image by hand: section headers for .dynstr, .dynsym, .gnu.version,
/// .gnu.version_r and (optionally) .gnu.version_d, laid out as a linker would. The symbols are given with the
/// version they need (null: global).
/// </summary>
internal static class TinyElf
{
    public static byte[] Build(string file, (string Name, string? Version)[] undefinedSymbols, string[]? definedVersions = null)
    {
        var versions = undefinedSymbols.Select(s => s.Version).OfType<string>().Distinct().ToList();
        // .dynstr: "\0" then every name, in order
        var dynstr = new MemoryStream();
        dynstr.WriteByte(0);
        int Add(string s) { int o = (int)dynstr.Position; var b = Encoding.ASCII.GetBytes(s); dynstr.Write(b); dynstr.WriteByte(0); return o; }
        int fileName = Add(file);
        var versionName = versions.ToDictionary(v => v, Add);
        var symbolName = undefinedSymbols.Select(s => Add(s.Name)).ToArray();
        var defName = (definedVersions ?? []).Select(Add).ToArray();

        // .dynsym: the null symbol then one undefined FUNC per name
        var dynsym = new byte[24 * (undefinedSymbols.Length + 1)];
        for (int i = 0; i < undefinedSymbols.Length; i++)
        {
            var s = dynsym.AsSpan(24 * (i + 1));
            BinaryPrimitives.WriteUInt32LittleEndian(s, (uint)symbolName[i]);
            s[4] = 0x12; // GLOBAL FUNC
        }
        // .gnu.version: index 0 local, then 1 (global) or 2 + the version's position
        var versym = new byte[2 * (undefinedSymbols.Length + 1)];
        for (int i = 0; i < undefinedSymbols.Length; i++)
        {
            int index = undefinedSymbols[i].Version is { } v ? 2 + versions.IndexOf(v) : 1;
            BinaryPrimitives.WriteUInt16LittleEndian(versym.AsSpan(2 * (i + 1)), (ushort)index);
        }
        // .gnu.version_r: one Verneed for the file, one Vernaux per version
        var verneed = new byte[16 + 16 * versions.Count];
        BinaryPrimitives.WriteUInt16LittleEndian(verneed.AsSpan(0), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(verneed.AsSpan(2), (ushort)versions.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(verneed.AsSpan(4), (uint)fileName);
        BinaryPrimitives.WriteUInt32LittleEndian(verneed.AsSpan(8), 16);
        for (int j = 0; j < versions.Count; j++)
        {
            var a = verneed.AsSpan(16 + 16 * j);
            BinaryPrimitives.WriteUInt16LittleEndian(a[6..], (ushort)(2 + j));
            BinaryPrimitives.WriteUInt32LittleEndian(a[8..], (uint)versionName[versions[j]]);
            BinaryPrimitives.WriteUInt32LittleEndian(a[12..], j + 1 < versions.Count ? 16u : 0u);
        }
        // .gnu.version_d: one Verdef + Verdaux per defined version
        var verdef = new byte[28 * defName.Length];
        for (int j = 0; j < defName.Length; j++)
        {
            var d = verdef.AsSpan(28 * j);
            BinaryPrimitives.WriteUInt16LittleEndian(d, 1);
            BinaryPrimitives.WriteUInt16LittleEndian(d[4..], (ushort)(j + 1));
            BinaryPrimitives.WriteUInt16LittleEndian(d[6..], 1);
            BinaryPrimitives.WriteUInt32LittleEndian(d[12..], 20);
            BinaryPrimitives.WriteUInt32LittleEndian(d[16..], j + 1 < defName.Length ? 28u : 0u);
            BinaryPrimitives.WriteUInt32LittleEndian(d[20..], (uint)defName[j]);
        }

        var sections = new List<(uint Type, byte[] Data, int Link)>
        {
            (0, [], 0),
            (3, dynstr.ToArray(), 0),            // 1 .dynstr (SHT_STRTAB)
            (11, dynsym, 1),                     // 2 .dynsym
            (0x6fffffff, versym, 2),             // 3 .gnu.version
            (0x6ffffffe, verneed, 1),            // 4 .gnu.version_r
        };
        if (defName.Length > 0) sections.Add((0x6ffffffd, verdef, 1));
        var image = new MemoryStream();
        image.Write(new byte[64]);
        var offsets = new List<long>();
        foreach (var s in sections)
        {
            while (image.Position % 8 != 0) image.WriteByte(0);
            offsets.Add(image.Position);
            image.Write(s.Data);
        }
        while (image.Position % 8 != 0) image.WriteByte(0);
        long shoff = image.Position;
        for (int i = 0; i < sections.Count; i++)
        {
            var h = new byte[64];
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), sections[i].Type);
            BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(24), i == 0 ? 0 : offsets[i]);
            BinaryPrimitives.WriteInt64LittleEndian(h.AsSpan(32), sections[i].Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), (uint)sections[i].Link);
            image.Write(h);
        }
        var bytes = image.ToArray();
        bytes[0] = 0x7f; "ELF"u8.CopyTo(bytes.AsSpan(1));
        bytes[4] = 2; bytes[5] = 1; bytes[6] = 1; // ELFCLASS64, little-endian, version 1
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(16), 3); // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(18), 62); // x86-64
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(0x28), shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x3a), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x3c), (ushort)sections.Count);
        return bytes;
    }
}
