using Earworm.App.Playlists;
using Earworm.Recommend.Playlists;
using Earworm.Testing;

namespace Earworm.App.Tests;

public sealed class LibraryPlaylistsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Root(string name) => Directory.CreateDirectory(_dir.File(name)).FullName;

    private static PlaylistResult Playlist(string mode, params string[] paths) => new(mode, "descriptors", "test",
        [.. paths.Select((p, i) => new PlaylistEntry(i + 1, i + 1, p, "Artist", $"Song {i + 1}", 180, i == 0 ? "seed" : "next", null, null, null, null, null, []))],
        [], []);

    [Fact]
    public void SavesIntoTheLibraryFolderWithRelativePathsAndReplacesItsOwnFile()
    {
        string music = Root("music");
        var playlist = Playlist("keep-playing", $"{music}/a/1.flac", $"{music}/b c/2.ogg");
        var saved = LibraryPlaylists.Save(playlist, [music, Root("other")]);
        Assert.Equal(Path.Combine(music, "Earworm - keep playing from Artist - Song 1.m3u8"), saved.Path);
        Assert.False(saved.Replaced);
        Assert.Equal(0, saved.TracksOutside);
        var lines = File.ReadAllLines(saved.Path);
        Assert.Equal("#EXTM3U", lines[0]);
        Assert.StartsWith(LibraryPlaylists.Marker, lines[1], StringComparison.Ordinal);
        Assert.Equal("#PLAYLIST:Earworm - keep playing from Artist - Song 1", lines[2]);
        Assert.Equal(["a/1.flac", "b c/2.ogg"], lines.Where(l => !l.StartsWith('#')));
        Assert.True(LibraryPlaylists.Save(playlist, [music]).Replaced);
        Assert.Empty(Directory.GetFiles(music, ".*")); // no temporary file left behind
    }

    [Fact]
    public void ALibraryAtTheFileSystemRootHoldsEveryFolder()
    {
        string music = Root("music");
        var playlist = Playlist("keep-playing", $"{music}/1.flac");
        var saved = LibraryPlaylists.Save(playlist, ["/"], folder: music, name: "Root");
        Assert.Equal((Path.Combine(music, "Root.m3u8"), 0), (saved.Path, saved.TracksOutside));
    }

    [Fact]
    public void NeverOverwritesAFileEarwormDidNotWrite()
    {
        string music = Root("music");
        File.WriteAllText(Path.Combine(music, "Mine.m3u8"), "#EXTM3U\nx.flac\n");
        var e = Assert.Throws<UsageException>(() => LibraryPlaylists.Save(Playlist("keep-playing", $"{music}/x.flac"), [music], name: "Mine"));
        Assert.Contains("did not write it", e.Message, StringComparison.Ordinal);
        Assert.Equal("#EXTM3U\nx.flac\n", File.ReadAllText(Path.Combine(music, "Mine.m3u8")));
    }

    [Fact]
    public void SeveralLibraryFoldersMustBeNamed()
    {
        string a = Root("a"), b = Root("b");
        var playlist = Playlist("join-the-dots", $"{a}/1.flac", $"{b}/2.flac");
        var e = Assert.Throws<UsageException>(() => LibraryPlaylists.Save(playlist, [a, b]));
        Assert.Contains("--library-folder", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{a}: 1 tracks", e.Message, StringComparison.Ordinal);
        var saved = LibraryPlaylists.Save(playlist, [a, b], folder: b, name: "Walk / home");
        Assert.Equal((Path.Combine(b, "Walk _ home.m3u8"), 1), (saved.Path, saved.TracksOutside));
        Assert.Throws<UsageException>(() => LibraryPlaylists.Save(playlist, [a, b], folder: Root("elsewhere")));
        Assert.Throws<UsageException>(() => LibraryPlaylists.Save(playlist, []));
    }

    [Fact]
    public void AFolderThatCannotTakeTheFileIsAClearError()
    {
        string music = Root("music");
        Directory.CreateDirectory(Path.Combine(music, "Blocked.m3u8")); // a folder where the file would go
        var e = Assert.Throws<UsageException>(() => LibraryPlaylists.Save(Playlist("keep-playing", $"{music}/x.flac"), [music], name: "Blocked"));
        Assert.Contains($"cannot write the playlist into the library folder {music}", e.Message, StringComparison.Ordinal);
        Assert.Single(Directory.GetFileSystemEntries(music));
    }
}
