using System.Buffers.Binary;
using System.Text;

namespace Earworm.Content.Native;

/// <summary>
/// A little-endian ELF64 shared object read from its bytes: just enough of the dynamic symbol tables and the GNU
/// symbol versioning sections (<c>.gnu.version</c>, <c>.gnu.version_r</c>, <c>.gnu.version_d</c>) to tell which
/// versions a library defines and needs, and to patch them (<see cref="ElfVersionPatcher"/>). Pure: no I/O.
/// Layouts follow the System V ABI and the LSB's symbol versioning chapter.
/// </summary>
public sealed class ElfImage
{
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const int SymbolSize = 24;

    private readonly byte[] _bytes;
    private readonly List<SectionHeader> _sections = [];

    /// <summary>A section header's fields this reader uses.</summary>
    internal readonly record struct SectionHeader(uint Type, long Offset, long Size, int Link);

    /// <summary>One version a library needs from another (an <c>Elf64_Vernaux</c>).</summary>
    /// <param name="File">The library it is needed from (<c>libstdc++.so.6</c>).</param>
    /// <param name="Name">The version (<c>GLIBCXX_3.4.32</c>).</param>
    /// <param name="Index">The index <c>.gnu.version</c> entries use for it.</param>
    /// <param name="Weak">Whether VER_FLG_WEAK is set: the loader then accepts its absence.</param>
    /// <param name="Offset">Where the entry lies in the file.</param>
    public readonly record struct VersionNeed(string File, string Name, int Index, bool Weak, long Offset);

    /// <summary>A dynamic symbol (an <c>Elf64_Sym</c> of <c>.dynsym</c>) and its version index.</summary>
    /// <param name="Undefined">Whether it is imported (section index SHN_UNDEF).</param>
    /// <param name="VersionIndex">Its <c>.gnu.version</c> entry without the hidden bit; 1 means global (unversioned).</param>
    public readonly record struct DynamicSymbol(int Ordinal, string Name, long NameOffset, bool Undefined, int VersionIndex);

    private ElfImage(byte[] bytes)
    {
        _bytes = bytes;
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (bytes[4] != 2 || bytes[5] != 1) throw new InvalidDataException("not a little-endian ELF64 file");
        long shoff = I64(0x28);
        int shentsize = U16(0x3a), shnum = U16(0x3c);
        if (shoff <= 0 || shentsize < 64 || shoff + (long)shnum * shentsize > bytes.Length)
            throw new InvalidDataException("the section header table lies outside the file");
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            var s = new SectionHeader(U32(h + 4), I64(h + 24), I64(h + 32), (int)U32(h + 40));
            if (s.Type != 8 /* SHT_NOBITS */ && (s.Offset < 0 || s.Size < 0 || s.Offset + s.Size > bytes.Length))
                throw new InvalidDataException($"section {i} lies outside the file");
            _sections.Add(s);
        }
    }

    /// <summary>Reads an image; the bytes are copied (patches never touch the caller's array).</summary>
    /// <exception cref="InvalidDataException">not a well-formed little-endian ELF64 file.</exception>
    public static ElfImage Read(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>The image's bytes as they are now (with any patch applied).</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>The versions this library defines (<c>.gnu.version_d</c>), e.g. libstdc++'s <c>GLIBCXX_3.4.30</c>.</summary>
    public IReadOnlyList<string> DefinedVersions()
    {
        var list = new List<string>();
        var verdef = FindSection(ShtGnuVerdef);
        if (verdef is not { } vd) return list;
        var strtab = _sections[vd.Link];
        long p = vd.Offset;
        for (int guard = 0; guard < 4096; guard++)
        {
            int cnt = U16(p + 6);
            uint aux = U32(p + 12), next = U32(p + 16);
            if (cnt > 0) list.Add(CString(strtab.Offset + U32(p + aux)));
            if (next == 0) break;
            p += next;
        }
        return list;
    }

    /// <summary>The versions this library needs from others (<c>.gnu.version_r</c>).</summary>
    public IReadOnlyList<VersionNeed> NeededVersions()
    {
        var list = new List<VersionNeed>();
        var verneed = FindSection(ShtGnuVerneed);
        if (verneed is not { } vn) return list;
        var strtab = _sections[vn.Link];
        long p = vn.Offset;
        for (int guard = 0; guard < 4096; guard++)
        {
            CheckRange(p, 16);
            int cnt = U16(p + 2);
            string file = CString(strtab.Offset + U32(p + 4));
            long a = p + U32(p + 8);
            for (int j = 0; j < cnt; j++)
            {
                CheckRange(a, 16);
                int flags = U16(a + 4), other = U16(a + 6);
                list.Add(new VersionNeed(file, CString(strtab.Offset + U32(a + 8)), other, (flags & 0x2) != 0, a));
                uint anext = U32(a + 12);
                if (anext == 0) break;
                a += anext;
            }
            uint next = U32(p + 12);
            if (next == 0) break;
            p += next;
        }
        return list;
    }

    /// <summary>The dynamic symbols with their version indices.</summary>
    public IReadOnlyList<DynamicSymbol> DynamicSymbols()
    {
        var list = new List<DynamicSymbol>();
        if (FindSection(ShtDynsym) is not { } dynsym) return list;
        var strtab = _sections[dynsym.Link];
        var versym = FindSection(ShtGnuVersym);
        int count = (int)(dynsym.Size / SymbolSize);
        for (int i = 0; i < count; i++)
        {
            long s = dynsym.Offset + (long)i * SymbolSize;
            long nameOffset = strtab.Offset + U32(s);
            int version = versym is { } vs && (i + 1) * 2 <= vs.Size ? U16(vs.Offset + i * 2L) & 0x7fff : 1;
            list.Add(new DynamicSymbol(i, CString(nameOffset), nameOffset, U16(s + 6) == 0, version));
        }
        return list;
    }

    // ---- writes (used by the patcher) ----

    internal void SetWeak(VersionNeed need) => W16(need.Offset + 4, (ushort)(U16(need.Offset + 4) | 0x2));

    internal void SetVersionIndex(int symbolOrdinal, int index)
    {
        var vs = FindSection(ShtGnuVersym) ?? throw new InvalidDataException("no .gnu.version section");
        W16(vs.Offset + symbolOrdinal * 2L, (ushort)index);
    }

    /// <summary>Overwrites a NUL-terminated string in place with a name no longer than it, padding with NULs.</summary>
    internal void RenameInPlace(long nameOffset, string oldName, string newName)
    {
        var bytes = Encoding.ASCII.GetBytes(newName);
        if (bytes.Length > oldName.Length)
            throw new ArgumentException($"'{newName}' is longer than '{oldName}': it cannot replace it in place", nameof(newName));
        Array.Clear(_bytes, (int)nameOffset, oldName.Length);
        bytes.CopyTo(_bytes, nameOffset);
    }

    /// <summary>Whether any other string reference of the dynamic tables points into [start, start+length]
    /// (linkers merge string tails, so a renamed string may be shared).</summary>
    internal bool IsStringShared(long start, int length, int exceptSymbol)
    {
        foreach (var s in DynamicSymbols())
            if (s.Ordinal != exceptSymbol && s.NameOffset >= start && s.NameOffset <= start + length && s.Name.Length > 0) return true;
        foreach (var n in NeededVersions())
        {
            long nameOffset = StringOffsetOfNeed(n);
            if (nameOffset >= start && nameOffset <= start + length) return true;
        }
        return false;
    }

    private long StringOffsetOfNeed(VersionNeed n)
    {
        var vn = FindSection(ShtGnuVerneed)!.Value;
        return _sections[vn.Link].Offset + U32(n.Offset + 8);
    }

    private SectionHeader? FindSection(uint type)
    {
        foreach (var s in _sections)
            if (s.Type == type) return s;
        return null;
    }

    private string CString(long offset)
    {
        CheckRange(offset, 1);
        int end = Array.IndexOf(_bytes, (byte)0, (int)offset);
        if (end < 0) throw new InvalidDataException("an unterminated string");
        return Encoding.ASCII.GetString(_bytes, (int)offset, end - (int)offset);
    }

    private void CheckRange(long offset, int length)
    {
        if (offset < 0 || offset + length > _bytes.Length) throw new InvalidDataException($"an offset ({offset}) outside the file");
    }

    private ushort U16(long o) { CheckRange(o, 2); return BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan((int)o)); }
    private uint U32(long o) { CheckRange(o, 4); return BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan((int)o)); }
    private long I64(long o) { CheckRange(o, 8); return BinaryPrimitives.ReadInt64LittleEndian(_bytes.AsSpan((int)o)); }
    private void W16(long o, ushort v) { CheckRange(o, 2); BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan((int)o), v); }
}
