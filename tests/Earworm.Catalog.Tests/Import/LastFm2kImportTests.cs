using System.Text.Json;
using Earworm.Catalog.Import;
using Earworm.Catalog.Import.HetRec;
using Earworm.Testing;
using Xunit.Abstractions;

namespace Earworm.Catalog.Tests.Import;

public sealed class LastFm2kImportTests(ITestOutputHelper output)
{
    // A synthetic folder in the HetRec format (tests/fixtures/lastfm-2k-sample, written by its generate.py), with the
    // figures the importer must reproduce computed by the script itself; the real dataset is bench/'s business.
    private static string Folder => TestData.FixtureDir("lastfm-2k-sample");

    private static JsonElement Expected => JsonDocument.Parse(File.ReadAllText(TestData.FixtureFile("lastfm-2k-sample", "expected.json"))).RootElement;

    private static int Figure(string name) => Expected.GetProperty(name).GetInt32();

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
    public void ImportsTheSampleFolderEndToEndAndAgainAsDuplicates()
    {
        using var dir = new TempDirectory();
        using var catalog = CatalogStore.Open(dir.File("catalog.db"));
        var sources = ImportReader.Read(ImportFormat.LastFm2k, [Folder], new ImportOptions());
        var o = Assert.Single(catalog.Import(sources));
        output.WriteLine($"lastfm-2k sample: {o}");

        int interactions = Figure("interactions");
        Assert.Equal((Figure("rows"), Figure("users_with_listens"), Figure("listened_artists"), interactions, 0),
            (o.Rows, o.UsersAdded, o.ItemsAdded, o.InteractionsAdded, o.ItemsMatched));
        Assert.Equal(Figure("weight_zero_rows"), o.Ignored["weight 0"]);
        Assert.Equal(Figure("tags_on_unlistened_artists"), o.Ignored["tag on an artist nobody listened to"]);
        var counts = catalog.ListeningCounts();
        Assert.Equal((Figure("users_with_listens"), Figure("listened_artists"), interactions, Figure("item_tags")),
            (counts.Users, counts.Items, counts.Interactions, counts.ItemTags));
        var first = catalog.ListUsers().Single(u => u.Name == $"lastfm-2k:{Figure("first_user_id")}");
        Assert.Equal(Figure("first_user_interactions"), first.Interactions);

        var named = sources[0].Listens.First(l => l.Item.SourceKey == LastFm2kFolder.ArtistKey(Figure("cafe_artist_id")));
        Assert.Equal(Expected.GetProperty("cafe_artist_name").GetString(), named.Item.Artist); // UTF-8 names survive
        var unnamed = sources[0].Listens.First(l => l.Item.SourceKey == LastFm2kFolder.ArtistKey(Figure("unnamed_artist_id")));
        Assert.Null(unnamed.Item.Artist); // listened to, absent from artists.dat: imported without a name
        Assert.Contains(new ItemTag(LastFm2kFolder.ArtistKey(Figure("cafe_artist_id")), "café", Figure("cafe_count_on_first_artist")),
            sources[0].Tags); // ISO-8859-1 tags.dat, one tag counted over the users who applied it

        var again = Assert.Single(catalog.Import(sources)); // parsing is deterministic: the writer is what is under test
        Assert.Equal((0, 0, interactions, 0, o.ImportId), (again.InteractionsAdded, again.ItemsAdded, again.DuplicatesSkipped, again.TagsWritten, again.SameAsImportId!.Value));
        Assert.Equal(counts with { Imports = 2 }, catalog.ListeningCounts());
    }
}
