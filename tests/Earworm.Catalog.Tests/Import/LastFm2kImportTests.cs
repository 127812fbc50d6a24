using System.Diagnostics;
using Earworm.Catalog.Import;
using Earworm.Testing;
using Xunit.Abstractions;

namespace Earworm.Catalog.Tests.Import;

public sealed class LastFm2kImportTests(ITestOutputHelper output)
{
    private static string Folder => TestData.LastFm2kDir;

    [Fact]
    public void ParsesTheSmallFolderFormatsTogether()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("user_artists.dat"), "userID\tartistID\tweight\r\n2\t51\t100\r\n2\t52\t0\r\n3\t51\t7\r\n");
        File.WriteAllText(dir.File("artists.dat"), "id\tname\turl\tpictureURL\n51\tDuran Duran\tu\tp\n52\tMorcheeba\tu\tp\n");
        File.WriteAllBytes(dir.File("tags.dat"), [.. "tagID\ttagValue\r\n1\tnew wave\r\n2\tcaf"u8, 0xE9, .. "\r\n"u8]); // ISO-8859-1
        File.WriteAllText(dir.File("user_taggedartists.dat"),
            "userID\tartistID\ttagID\tday\tmonth\tyear\r\n2\t51\t1\t1\t4\t2009\r\n3\t51\t1\t1\t4\t2009\r\n3\t51\t2\t1\t4\t2009\r\n3\t99\t2\t1\t4\t2009\r\n");
        var s = Assert.Single(ImportReader.Read(ImportFormat.LastFm2k, [dir.File("user_artists.dat")], new ImportOptions()));
        Assert.Equal(3, s.Rows);
        Assert.Equal(["lastfm-2k:2", "lastfm-2k:3"], s.Listens.Select(l => l.User));
        Assert.Equal(("Duran Duran", "lastfm-2k:artist:51", 100.0, (long?)null), (s.Listens[0].Item.Artist, s.Listens[0].Item.SourceKey, s.Listens[0].Count, s.Listens[0].TimestampUnixSeconds));
        Assert.Equal([new ItemTag("lastfm-2k:artist:51", "new wave", 2), new ItemTag("lastfm-2k:artist:51", "café", 1)], s.Tags);
        Assert.Equal(1, s.Ignored["weight 0"]);
        Assert.Equal(1, s.Ignored["tag on an artist nobody listened to"]);
        Assert.Throws<UsageException>(() => ImportReader.Read(ImportFormat.LastFm2k, [dir.Path], new ImportOptions { User = "alice" }));
    }

    [Fact]
    public void ImportsTheRealFolderEndToEndAndAgainAsDuplicates()
    {
        using var dir = new TempDirectory();
        using var catalog = CatalogStore.Open(dir.File("catalog.db"));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var sources = ImportReader.Read(ImportFormat.LastFm2k, [Folder], new ImportOptions());
        var parsed = clock.Elapsed;
        var o = Assert.Single(catalog.Import(sources));
        var total = clock.Elapsed;
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu; // steadier than wall time on a shared machine
        output.WriteLine($"lastfm-2k: parsed in {parsed.TotalSeconds:0.00} s, parsed + written in {total.TotalSeconds:0.00} s " +
                         $"({cpuUsed.TotalSeconds:0.00} s CPU, all threads of the test process): {o}");

        // README: 92,834 rows, 1,892 users × 17,632 artists
        Assert.Equal((92_834, 1_892, 17_632, 92_834, 0), (o.Rows, o.UsersAdded, o.ItemsAdded, o.InteractionsAdded, o.ItemsMatched));
        var counts = catalog.ListeningCounts();
        Assert.Equal((1_892, 17_632, 92_834), (counts.Users, counts.Items, counts.Interactions));
        Assert.True(counts.ItemTags > 0);
        var user2 = catalog.ListUsers().Single(u => u.Name == "lastfm-2k:2");
        Assert.Equal(50, user2.Interactions);

        var again = Assert.Single(catalog.Import(sources)); // parsing is deterministic: the writer is what is under test
        Assert.Equal((0, 0, 92_834, 0, o.ImportId), (again.InteractionsAdded, again.ItemsAdded, again.DuplicatesSkipped, again.TagsWritten, again.SameAsImportId!.Value));
        Assert.Equal(counts with { Imports = 2 }, catalog.ListeningCounts());
    }
}
