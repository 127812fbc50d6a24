using Earworm.Audio.Media;
using Earworm.Catalog.Import;
using Earworm.Catalog.Tags;

namespace Earworm.Catalog.Tests.Contract;

public abstract partial class CatalogContract
{
    // ---- tags ----

    [ContractFact]
    public void AScanStoresTheFileTagsAndANewScanReplacesThem()
    {
        var id = Analysed("/t/a/one.mp3", "A", "One", "h1");
        Assert.Empty(Catalog.TagsOfTrack(id)); // no genre, mood… in its tags
        Catalog.SaveAnalysed(id, new AnalysedTrack(10, 1, "h1", new MediaInfo
        {
            Container = "mp3", Tags = new Dictionary<string, string> { ["genre"] = "Hip-Hop; Jazz", ["mood"] = "calm" },
        }, 60, 3, 431, null));
        Assert.Equal([("hip hop", 1.0, TagSource.File), ("jazz", 1.0, TagSource.File), ("calm", 1.0, TagSource.File)],
            Catalog.TagsOfTrack(id).Select(t => (t.Tag, t.Score, t.Source)).OrderBy(t => t.Tag == "calm"));
        Catalog.SaveAnalysed(id, new AnalysedTrack(10, 1, "h1", new MediaInfo
        {
            Container = "mp3", Tags = new Dictionary<string, string> { ["genre"] = "Soul" },
        }, 60, 3, 431, null));
        Assert.Equal(["soul"], Catalog.TagsOfTrack(id).Select(t => t.Tag));
        Assert.Equal(0, Catalog.ReadMissingFileTags()); // every analysed track's file tags were read at scan
    }

    [ContractFact]
    public void TagsAreSetRemovedAndKeptApartBySource()
    {
        var id = Analysed("/t/b/one.mp3", "A", "One", "h2");
        var other = Analysed("/t/c/two.mp3", "B", "Two", "h3");
        long generation = Catalog.LibraryGeneration();
        Assert.Equal(3, Catalog.SetTrackTags([new TrackTag(id, "piano", 2, TagSource.Import), new TrackTag(id, "piano", 1, TagSource.User),
            new TrackTag(other, "drums", 0.8, TagSource.Audio)]));
        Assert.NotEqual(generation, Catalog.LibraryGeneration()); // tags are part of the library a view reads
        Assert.Equal(0, Catalog.SetTrackTags([new TrackTag(id, "piano", 2, TagSource.Import)])); // the same again: nothing
        Assert.Equal(1, Catalog.SetTrackTags([new TrackTag(id, "piano", 3, TagSource.Import)]));
        Assert.Equal([new TrackTag(id, "piano", 3, TagSource.Import), new TrackTag(id, "piano", 1, TagSource.User)], Catalog.TagsOfTrack(id));
        Assert.True(Catalog.RemoveTrackTag(id, "piano", TagSource.User));
        Assert.False(Catalog.RemoveTrackTag(id, "piano", TagSource.User));
        Assert.Equal([new TrackTag(id, "piano", 3, TagSource.Import)], Catalog.TagsOfTrack(id));
        Assert.Equal([new TrackTag(id, "piano", 3, TagSource.Import), new TrackTag(other, "drums", 0.8, TagSource.Audio)], Catalog.AllTrackTags());
        Catalog.ReplaceTrackTags(other, TagSource.Audio, [("bass", 0.6), ("strings", 0.9)]);
        Assert.Equal(["strings", "bass"], Catalog.TagsOfTrack(other).Select(t => t.Tag));
        Assert.ThrowsAny<ArgumentException>(() => Catalog.SetTrackTags([new TrackTag(id, "Hip-Hop", 1, TagSource.User)])); // not normalised
        Assert.ThrowsAny<ArgumentException>(() => Catalog.SetTrackTags([new TrackTag(id, "rock", 0, TagSource.User)]));
    }

    [ContractFact]
    public void LastFmTagsOnAnArtistReachTheLibraryTracksOfThatArtistMergedBySpelling()
    {
        var id = Analysed("/t/d/one.mp3", "Duran Duran", "Rio", "h4");
        var folder = _dir.File("lastfm-2k");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "user_artists.dat"), "userID\tartistID\tweight\r\n2\t51\t100\r\n3\t51\t7\r\n");
        File.WriteAllText(Path.Combine(folder, "artists.dat"), "id\tname\turl\tpictureURL\n51\tduran duran\tu\tp\n");
        File.WriteAllText(Path.Combine(folder, "tags.dat"), "tagID\ttagValue\r\n1\tnew wave\r\n2\tNew-Wave\r\n3\t80s\r\n");
        File.WriteAllText(Path.Combine(folder, "user_taggedartists.dat"), "userID\tartistID\ttagID\tday\tmonth\tyear\r\n" +
            "2\t51\t1\t1\t4\t2009\r\n3\t51\t2\t1\t4\t2009\r\n3\t51\t3\t1\t4\t2009\r\n");
        Catalog.Import(ImportReader.Read(ImportFormat.LastFm2k, [folder], new ImportOptions()));
        Assert.Equal([new TrackTag(id, "new wave", 2, TagSource.Import), new TrackTag(id, "80s", 1, TagSource.Import)], Catalog.TagsOfTrack(id));
        Assert.Equal(3, Catalog.AllItemTags().Count); // as imported, spellings and all
    }
}
