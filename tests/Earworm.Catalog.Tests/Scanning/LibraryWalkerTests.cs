using Earworm.Catalog.Scanning;
using Earworm.Testing;

namespace Earworm.Catalog.Tests.Scanning;

public class LibraryWalkerTests
{
    private static List<string> Walk(string root) => Walk(root, []);

    private static List<string> Walk(string root, List<SkippedFile> skipped) =>
        LibraryWalker.Walk(LibraryWalker.CanonicalRoots([root]), skipped.Add, CancellationToken.None).Select(f => f.Path).ToList();

    [Fact]
    public void FindsAudioByExtensionAndByContentAndSkipsTheRest()
    {
        using var dir = new TempDirectory();
        var root = LibraryWalker.Canonical(dir.Path)!;
        Directory.CreateDirectory(Path.Combine(root, "Ålbum with spaces"));
        File.WriteAllText(Path.Combine(root, "Ålbum with spaces", "01 Sång.mp3"), "any bytes: the extension decides");
        File.WriteAllBytes(Path.Combine(root, "no-extension"), [(byte)'O', (byte)'g', (byte)'g', (byte)'S', 0, 2, 0, 0]);
        File.WriteAllText(Path.Combine(root, "notes.txt"), "OggS but a .txt is never audio");
        File.WriteAllText(Path.Combine(root, "README"), "plain text without an extension");
        File.WriteAllText(Path.Combine(root, ".hidden.mp3"), "hidden");
        Directory.CreateDirectory(Path.Combine(root, ".git"));
        File.WriteAllText(Path.Combine(root, ".git", "x.mp3"), "hidden folder");

        File.WriteAllBytes(Path.Combine(root, "tune.bin"), ModuleWriter.Xm());              // a module under a name that says nothing
        File.WriteAllBytes(Path.Combine(root, "song.mid"), [(byte)'M', (byte)'T', (byte)'h', (byte)'d', 0, 0, 0, 6]);
        File.WriteAllBytes(Path.Combine(root, "empty"), []);

        var skipped = new List<SkippedFile>();
        Assert.Equal([Path.Combine(root, "no-extension"), Path.Combine(root, "tune.bin"), Path.Combine(root, "Ålbum with spaces", "01 Sång.mp3")],
            Walk(root, skipped));
        // everything else is reported with its reason (hidden files and folders are not)
        Assert.Equal(["README", "empty", "notes.txt", "song.mid"], skipped.Select(f => Path.GetFileName(f.Path)));
        var why = skipped.ToDictionary(f => Path.GetFileName(f.Path), f => f.Reason);
        Assert.StartsWith("not audio: neither its extension (none)", why["README"], StringComparison.Ordinal);
        Assert.Equal("empty file (0 bytes)", why["empty"]);
        Assert.Equal("not audio (.txt file)", why["notes.txt"]);
        Assert.StartsWith("MIDI holds notes, not sound", why["song.mid"], StringComparison.Ordinal);
        Assert.Equal(30, skipped.Single(f => f.Path.EndsWith("notes.txt", StringComparison.Ordinal)).SizeBytes);
    }

    [Fact]
    public async Task SymlinkLoopsEndAndLinkedFilesCountOnce()
    {
        using var dir = new TempDirectory();
        var root = LibraryWalker.Canonical(dir.Path)!;
        var a = Directory.CreateDirectory(Path.Combine(root, "a")).FullName;
        File.WriteAllText(Path.Combine(a, "song.flac"), "x");
        Directory.CreateSymbolicLink(Path.Combine(a, "loop"), root);          // a/loop -> root
        Directory.CreateSymbolicLink(Path.Combine(root, "b"), a);             // b -> a
        File.CreateSymbolicLink(Path.Combine(root, "link.flac"), Path.Combine(a, "song.flac"));
        File.CreateSymbolicLink(Path.Combine(root, "dangling.mp3"), Path.Combine(root, "nowhere.mp3"));

        var skipped = new List<SkippedFile>();
        var found = await Task.Run(() => Walk(root, skipped)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([Path.Combine(a, "song.flac")], found);
        var dangling = Assert.Single(skipped);
        Assert.Equal(Path.Combine(root, "dangling.mp3"), dangling.Path);
        Assert.StartsWith("broken symbolic link", dangling.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingRootIsAUsageError() =>
        Assert.Throws<UsageException>(() => LibraryWalker.CanonicalRoots(["/no/such/folder/anywhere"]));

    [Fact]
    public void ASingleFileCanBeARoot()
    {
        using var dir = new TempDirectory();
        var f = dir.File("one.ogg");
        File.WriteAllText(f, "x");
        var found = Walk(f);
        Assert.Equal([LibraryWalker.Canonical(f)!], found);
    }

    [Fact]
    public void UnreadableFoldersAreReportedNotFatal()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") return; // root reads everything: nothing to observe
        using var dir = new TempDirectory();
        var locked = Directory.CreateDirectory(dir.File("locked"));
        File.SetUnixFileMode(locked.FullName, UnixFileMode.None);
        try
        {
            var skipped = new List<SkippedFile>();
            _ = Walk(dir.Path, skipped);
            Assert.StartsWith(LibraryWalker.UnreadablePrefix, Assert.Single(skipped).Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
