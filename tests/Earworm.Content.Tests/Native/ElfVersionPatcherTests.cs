using Earworm.Content.Native;
using Earworm.Testing;

namespace Earworm.Content.Tests.Native;

public sealed class ElfVersionPatcherTests
{
    private static readonly (string, string?)[] Symbols =
    [
        ("_ZNSt8ios_base4InitC1Ev", "GLIBCXX_3.4"),
        ("_ZSt21ios_base_library_initv", "GLIBCXX_3.4.32"),
        ("malloc", null),
    ];

    [Fact]
    public void Reads_the_needed_versions_and_the_symbols_bound_to_them()
    {
        var image = ElfImage.Read(TinyElf.Build("libstdc++.so.6", Symbols));
        var needs = image.NeededVersions();
        Assert.Equal(["GLIBCXX_3.4", "GLIBCXX_3.4.32"], needs.Select(n => n.Name));
        Assert.All(needs, n => Assert.Equal("libstdc++.so.6", n.File));
        Assert.All(needs, n => Assert.False(n.Weak));
        var syms = image.DynamicSymbols();
        Assert.Equal(4, syms.Count);
        Assert.Equal(needs[1].Index, syms.Single(s => s.Name == "_ZSt21ios_base_library_initv").VersionIndex);
        Assert.Equal(1, syms.Single(s => s.Name == "malloc").VersionIndex);
        Assert.True(syms[1].Undefined);
    }

    [Fact]
    public void Reads_defined_versions()
    {
        var image = ElfImage.Read(TinyElf.Build("libc.so.6", [("x", "V1")], ["libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.30"]));
        Assert.Equal(["libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.30"], image.DefinedVersions());
    }

    [Fact]
    public void Relaxing_a_version_makes_it_weak_and_points_its_symbol_at_the_replacement_as_global()
    {
        var original = TinyElf.Build("libstdc++.so.6", Symbols);
        var copy = (byte[])original.Clone();
        var result = ElfVersionPatcher.RelaxVersionNeed(copy, "libstdc++.so.6", "GLIBCXX_3.4.32");

        Assert.Equal(original, copy); // the input is not touched
        Assert.Equal([("_ZSt21ios_base_library_initv", "_ZSt15get_new_handlerv")], result.Redirected);
        var image = ElfImage.Read(result.Bytes);
        var needs = image.NeededVersions();
        Assert.True(needs.Single(n => n.Name == "GLIBCXX_3.4.32").Weak);
        Assert.False(needs.Single(n => n.Name == "GLIBCXX_3.4").Weak);
        var syms = image.DynamicSymbols();
        Assert.Equal(["", "_ZNSt8ios_base4InitC1Ev", "_ZSt15get_new_handlerv", "malloc"], syms.Select(s => s.Name));
        Assert.Equal([0, needs[0].Index, 1, 1], syms.Select(s => s.VersionIndex));
        Assert.Equal(original.Length, result.Bytes.Length);
        // only the flag (1 byte), the name (its changed bytes) and one version entry differ
        int changed = original.Zip(result.Bytes).Count(p => p.First != p.Second);
        Assert.InRange(changed, 3, 2 + "_ZSt21ios_base_library_initv".Length);
    }

    [Fact]
    public void A_version_the_image_does_not_need_is_an_error()
    {
        var bytes = TinyElf.Build("libstdc++.so.6", Symbols);
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.RelaxVersionNeed(bytes, "libstdc++.so.6", "GLIBCXX_3.4.99"));
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.RelaxVersionNeed(bytes, "libm.so.6", "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void A_replacement_longer_than_the_name_is_refused()
    {
        var bytes = TinyElf.Build("libstdc++.so.6", [("_Zf", "GLIBCXX_3.4.32")]);
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.RelaxVersionNeed(bytes, "libstdc++.so.6", "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void Garbage_is_not_an_elf_image()
    {
        Assert.Throws<InvalidDataException>(() => ElfImage.Read(new byte[100]));
        var truncated = TinyElf.Build("libstdc++.so.6", Symbols)[..80];
        Assert.Throws<InvalidDataException>(() => ElfImage.Read(truncated));
    }

    [Fact]
    public void TorchSharps_library_is_patched_as_expected()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"{path} is copied beside the tests");
        var original = File.ReadAllBytes(path);
        var result = ElfVersionPatcher.RelaxVersionNeed(original, "libstdc++.so.6", "GLIBCXX_3.4.32");
        Assert.Equal([("_ZSt21ios_base_library_initv", ElfVersionPatcher.DefaultReplacement)], result.Redirected);
        var image = ElfImage.Read(result.Bytes);
        Assert.True(image.NeededVersions().Single(n => n.Name == "GLIBCXX_3.4.32").Weak);
        Assert.Equal(1, image.DynamicSymbols().Single(s => s.Name == ElfVersionPatcher.DefaultReplacement).VersionIndex);
        Assert.InRange(original.Zip(result.Bytes).Count(p => p.First != p.Second), 3, 40);
    }

    [Fact]
    public void The_patched_copy_is_cached_by_the_originals_hash_and_reused()
    {
        using var dir = new TempDirectory();
        var bytes = TinyElf.Build("libstdc++.so.6", Symbols);
        var first = TorchRuntime.PatchedCopy(bytes, ["GLIBCXX_3.4.32"], dir.Path);
        Assert.StartsWith(dir.Path, first);
        Assert.True(ElfImage.Read(File.ReadAllBytes(first)).NeededVersions().Single(n => n.Name == "GLIBCXX_3.4.32").Weak);
        var stamp = File.GetLastWriteTimeUtc(first).AddHours(-1);
        File.SetLastWriteTimeUtc(first, stamp);
        Assert.Equal(first, TorchRuntime.PatchedCopy(bytes, ["GLIBCXX_3.4.32"], dir.Path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(first)); // reused, not rewritten
        var other = TinyElf.Build("libstdc++.so.6", [.. Symbols, ("free", null)]);
        Assert.NotEqual(first, TorchRuntime.PatchedCopy(other, ["GLIBCXX_3.4.32"], dir.Path));
    }
}
