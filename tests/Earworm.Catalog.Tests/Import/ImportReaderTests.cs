using Earworm.Catalog.Import;
using Earworm.Testing;

namespace Earworm.Catalog.Tests.Import;

public sealed class ImportReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void TheUserFillsFilesThatNameNoneAndReplacesASingleListenersName()
    {
        var scrobbles = Write("s.csv", "A,B,C,31 Jan 2021 14:05\n");
        var e = Assert.Throws<UsageException>(() => ImportReader.Read(ImportFormat.LastFmCsv, [scrobbles], new ImportOptions()));
        Assert.Contains("pass --user NAME", e.Message, StringComparison.Ordinal);
        Assert.Equal("alice", ImportReader.Read(ImportFormat.LastFmCsv, [scrobbles], new ImportOptions { User = "alice" })[0].Listens[0].User);

        var lb = Write("lb.jsonl", "{\"listened_at\": 1, \"user_name\": \"rob\", \"track_metadata\": {\"artist_name\": \"A\", \"track_name\": \"T\"}}\n");
        Assert.Equal("rob", ImportReader.Read(ImportFormat.ListenBrainz, [lb], new ImportOptions())[0].Listens[0].User);
        Assert.Equal("robert", ImportReader.Read(ImportFormat.ListenBrainz, [lb], new ImportOptions { User = "robert" })[0].Listens[0].User);
    }

    [Fact]
    public void TheUserCannotStandForTheManyUsersOfAFile()
    {
        var csv = Write("p.csv", "user,item\na,1\nb,2\n");
        Assert.Throws<UsageException>(() => ImportReader.Read(ImportFormat.Csv, [csv], new ImportOptions { User = "alice" }));
        var anonymous = Write("q.csv", "item\n1\n");
        Assert.Equal("alice", ImportReader.Read(ImportFormat.Csv, [anonymous], new ImportOptions { User = "alice" })[0].Listens[0].User);
    }

    [Fact]
    public void AFolderStandsForItsFilesOfTheFormatInOrder()
    {
        Write("lists/b.m3u8", "x.mp3\n");
        Write("lists/sub/a.m3u", "y.mp3\nz.mp3\n");
        Write("lists/notes.txt", "not a playlist\n");
        var sources = ImportReader.Read(ImportFormat.M3u, [_dir.File("lists")], new ImportOptions());
        Assert.Equal(["b", "a"], sources.Select(s => s.Playlists[0].Name));
        Assert.Equal([1, 2], sources.Select(s => s.Rows));
        Assert.Throws<UsageException>(() => ImportReader.Read(ImportFormat.Xspf, [_dir.File("lists")], new ImportOptions()));
        Assert.Throws<UsageException>(() => ImportReader.Read(ImportFormat.Csv, [_dir.File("nowhere.csv")], new ImportOptions()));
    }

    [Fact]
    public void ExportFoldersYieldOnlyTheirListeningFiles()
    {
        const string Listen = "{\"listened_at\": 1, \"track_metadata\": {\"artist_name\": \"A\", \"track_name\": \"T\"}}\n";
        Write("lb/user.json", "{\n \"user_name\": \"rob\"\n}\n");
        Write("lb/feedback.jsonl", "{\"score\": 1}\n");
        Write("lb/listens/2021/1.jsonl", Listen);
        Write("lb/listens/2021/2.jsonl", Listen.Replace("1,", "2,", StringComparison.Ordinal));
        var lb = ImportReader.Read(ImportFormat.ListenBrainz, [_dir.File("lb")], new ImportOptions { User = "rob" });
        Assert.Equal(2, lb.Count);

        Write("sp/Userdata.json", "{\n \"username\": \"x\"\n}\n");
        Write("sp/Streaming_History_Video_2021.json", "[]");
        Write("sp/Streaming_History_Audio_2021_0.json", "[]");
        var sp = Assert.Single(ImportReader.Read(ImportFormat.Spotify, [_dir.File("sp")], new ImportOptions()));
        Assert.EndsWith("Streaming_History_Audio_2021_0.json", sp.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void TsvIsTabSeparatedAndHashesAreOfTheBytes()
    {
        var tsv = Write("p.tsv", "user\titem\tcount\na\tx,y\t2\n");
        var s = Assert.Single(ImportReader.Read(ImportFormat.Tsv, [tsv], new ImportOptions()));
        Assert.Equal("csv:x,y", s.Listens[0].Item.SourceKey);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(tsv))), s.Sha256);
    }

    [Fact]
    public void TextIsUtf8ElseLatin1()
    {
        Assert.Equal("Björk", ImportReader.Decode([0xEF, 0xBB, 0xBF, .. "Bj"u8, 0xC3, 0xB6, .. "rk"u8])); // BOM dropped
        Assert.Equal("Björk", ImportReader.Decode([.. "Bj"u8, 0xC3, 0xB6, .. "rk"u8]));
        Assert.Equal("Björk", ImportReader.Decode([.. "Bj"u8, 0xF6, .. "rk"u8])); // ISO-8859-1 ö
        Assert.Equal("Björk", ImportReader.Decode([0xFF, 0xFE, .. System.Text.Encoding.Unicode.GetBytes("Björk")]));
    }
}
