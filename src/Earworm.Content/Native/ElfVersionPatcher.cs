namespace Earworm.Content.Native;

/// <summary>
/// Lets a shared object load on a host whose library lacks one symbol version it was linked against. TorchSharp's
/// <c>libLibTorchSharp.so</c> (built with GCC 13) needs <c>GLIBCXX_3.4.32</c> for a single symbol,
/// <c>std::ios_base_library_init()</c>, which GCC 13's &lt;iostream&gt; only references to pull in the stream
/// initialisation; Debian 12 and Ubuntu 22.04 ship libstdc++ up to 3.4.30/3.4.31. The patch:
/// <list type="number">
/// <item>marks the version need weak (VER_FLG_WEAK in its <c>Elf64_Vernaux</c>): the loader then accepts its absence;</item>
/// <item>renames each undefined symbol bound to that version, in place in <c>.dynstr</c> (same length or shorter,
/// NUL-padded), to an existing no-argument function of the same library (default <c>std::get_new_handler()</c>),
/// and makes its <c>.gnu.version</c> entry 1 (global), so it binds to any definition.</item>
/// </list>
/// Pure: bytes in, bytes out.
/// </summary>
public static class ElfVersionPatcher
{
    /// <summary>A no-argument libstdc++ function every version since GLIBCXX_3.4.20 defines.</summary>
    public const string DefaultReplacement = "_ZSt15get_new_handlerv";

    /// <summary>What a patch changed.</summary>
    /// <param name="Bytes">The patched image.</param>
    /// <param name="Redirected">The symbols renamed (old name → new name).</param>
    public sealed record Result(byte[] Bytes, IReadOnlyList<(string From, string To)> Redirected);

    /// <summary>Relaxes the need of <paramref name="version"/> (from <paramref name="library"/>) as described above.</summary>
    /// <exception cref="InvalidDataException">the image is malformed, does not need that version, or a symbol's
    /// name is shared with another string (renaming it would rename both).</exception>
    public static Result RelaxVersionNeed(ReadOnlySpan<byte> elf, string library, string version, string replacement = DefaultReplacement)
    {
        ArgumentException.ThrowIfNullOrEmpty(library);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(replacement);
        var image = ElfImage.Read(elf);
        var need = image.NeededVersions().FirstOrDefault(n => n.File == library && n.Name == version);
        if (need.Name is null) throw new InvalidDataException($"the image does not need {version} from {library}");
        image.SetWeak(need);
        var redirected = new List<(string, string)>();
        foreach (var s in image.DynamicSymbols())
        {
            if (s.VersionIndex != need.Index) continue;
            if (!s.Undefined)
                throw new InvalidDataException($"symbol {s.Name} is defined with the needed version {version}");
            if (replacement.Length > s.Name.Length)
                throw new InvalidDataException($"the replacement {replacement} is longer than {s.Name}");
            if (image.IsStringShared(s.NameOffset, s.Name.Length, s.Ordinal))
                throw new InvalidDataException($"the name of {s.Name} is shared with another string");
            image.RenameInPlace(s.NameOffset, s.Name, replacement);
            image.SetVersionIndex(s.Ordinal, 1);
            redirected.Add((s.Name, replacement));
        }
        return new Result(image.ToArray(), redirected);
    }
}
