using Earworm.Catalog.Scanning;
using Earworm.Testing;

namespace Earworm.Catalog.Tests.Scanning;

public class LibraryWalkerTests
{
    private static List<string> Walk(string root) =>
        LibraryWalker.Walk(LibraryWalker.CanonicalRoots([root]), null, CancellationToken.None).Select(f => f.Path).ToList();

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

        Assert.Equal([Path.Combine(root, "no-extension"), Path.Combine(root, "Ålbum with spaces", "01 Sång.mp3")], Walk(root));
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

        var found = await Task.Run(() => Walk(root)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([Path.Combine(a, "song.flac")], found);
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
            var errors = new List<string>();
            _ = LibraryWalker.Walk(LibraryWalker.CanonicalRoots([dir.Path]), (p, _) => errors.Add(p!), CancellationToken.None).ToList();
            Assert.Single(errors);
        }
        finally
        {
            File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
