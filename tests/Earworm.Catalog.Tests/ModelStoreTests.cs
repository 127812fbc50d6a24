using Earworm.Audio.Media;
using Earworm.Catalog.Import;
using Earworm.Testing;

namespace Earworm.Catalog.Tests;

public sealed class ModelStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CatalogStore _catalog;

    public ModelStoreTests() => _catalog = CatalogStore.Open(_dir.File("catalog.db"));

    public void Dispose()
    {
        _catalog.Dispose();
        _dir.Dispose();
    }

    /// <summary>An analysed track; each in a folder of its own, since a scan of a folder marks what it lacks missing.</summary>
    private long Track(string path, string artist, string title)
    {
        _catalog.RecordDiscovered([new FoundFile(path, 1, 1)], [Path.GetDirectoryName(path)!], retryFailed: false);
        var id = _catalog.FindByPath(path)!.Id;
        _catalog.SaveAnalysed(id, new AnalysedTrack(1, 1, "h" + id,
            new MediaInfo { Container = "mp3", Codec = "mp3", Artist = artist, Title = title }, 1, 1, 1, null));
        return id;
    }

    private string Csv(string text)
    {
        var path = _dir.File("plays.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void OnlyOneModelPerSpaceIsCurrentAndSavingTheSameVersionReplacesIt()
    {
        var a = _catalog.SaveModel("cf", "als", "v1", "{}", "d1", null, null);
        var b = _catalog.SaveModel("cf", "bpr", "v2", "{\"f\":8}", "d1", "/m/v2.bin", null);
        var t = _catalog.SaveModel("track2vec", "track2vec", "w1", "{}", "d1", null, null);
        Assert.Equal(b.Id, _catalog.CurrentModel("cf")!.Id);
        Assert.False(_catalog.FindModel(a.Id)!.IsCurrent);
        Assert.Equal(t.Id, _catalog.CurrentModel("track2vec")!.Id);

        var again = _catalog.SaveModel("cf", "als", "v1", "{\"f\":64}", "d2", null, "{\"loss\":1}");
        Assert.Equal(a.Id, again.Id);
        Assert.True(again.IsCurrent);
        Assert.Equal("{\"f\":64}", again.ParamsJson);
        Assert.Equal(3, _catalog.ListModels().Count);
        Assert.Null(_catalog.CurrentModel("audio"));
    }

    [Fact]
    public void ItemVectorsReachTracksThroughTheirItemsAndTrackVectorsDirectly()
    {
        long t1 = Track("/m/a.mp3", "A", "One");
        long t2 = Track("/n/b.mp3", "B", "Two");
        _catalog.Import(ImportReader.Read(ImportFormat.Csv, [Csv("user,item,count\nu,/m/a.mp3,3\nu,Nobody - Else,1\n")], new ImportOptions()));
        var items = _catalog.LoadItemVectors("cf");
        Assert.Equal(0, items.Count);

        var cf = _catalog.SaveModel("cf", "als", "v1", "{}", _catalog.ListeningDataVersion(), null, null);
        var itemIds = ItemIds();
        _catalog.ReplaceItemVectors("cf", cf.Id, 2, itemIds.Select((id, i) => (id, new[] { i + 1f, -1f })));
        Assert.Equal(2, _catalog.LoadItemVectors("cf").Count);
        var onTracks = _catalog.LoadTrackVectors("cf");
        Assert.Equal([t1], onTracks.Ids);

        var audio = _catalog.SaveModel("audio", "audio-cnn", "n1", "{}", "none", null, null);
        _catalog.SaveTrackVectors("audio", audio.Id, [(t2, new[] { 0.5f, 0.25f, 0f }), (t1, new[] { 1f, 0f, 0f })]);
        var a = _catalog.LoadTrackVectors("audio");
        Assert.Equal([t1, t2], a.Ids);
        Assert.Equal(3, a.Dims);
        Assert.Equal([0.5f, 0.25f, 0f], a.Row(1).ToArray());
        Assert.Equal(new HashSet<long> { t1, t2 }, _catalog.TracksWithVectors("audio", audio.Id));
        Assert.Empty(_catalog.TracksWithVectors("audio", cf.Id));
        Assert.Contains(("audio", 2, 0), _catalog.ListSpaces());
        Assert.Contains(("cf", 1, 2), _catalog.ListSpaces());

        _catalog.DeleteSpace("audio");
        Assert.Equal(0, _catalog.LoadTrackVectors("audio").Count);
    }

    [Fact]
    public void VectorsOfOtherModelsAreRemovedFromASpaceAndOnlyFromIt()
    {
        long t1 = Track("/m/a/1.mp3", "A", "One"), t2 = Track("/m/b/2.mp3", "B", "Two");
        var old = _catalog.SaveModel("audio", "audio-cnn", "old", "{}", "none", null, null);
        var now = _catalog.SaveModel("audio", "audio-cnn", "new", "{}", "none", null, null);
        _catalog.SaveTrackVectors("audio", old.Id, [(t1, new[] { 1f, 0f }), (t2, new[] { 0f, 1f })]);
        _catalog.SaveTrackVectors("audio", now.Id, [(t2, new[] { 0.6f, 0.8f })]);
        _catalog.SaveTrackVectors("other", old.Id, [(t1, new[] { 1f })]);

        Assert.Equal(1, _catalog.DeleteTrackVectorsNotOf("audio", now.Id));
        var audio = _catalog.LoadTrackVectors("audio");
        Assert.Equal([t2], audio.Ids);
        Assert.Equal([0.6f, 0.8f], audio.Row(0).ToArray());
        Assert.Equal([t1], _catalog.LoadTrackVectors("other").Ids);
        Assert.Equal(0, _catalog.DeleteTrackVectorsNotOf("audio", now.Id));
    }

    [Fact]
    public void VectorsOfTheWrongLengthOrNotFiniteAreRefused()
    {
        long t = Track("/m/a.mp3", "A", "One");
        var m = _catalog.SaveModel("audio", "audio-cnn", "n1", "{}", "none", null, null);
        Assert.Throws<ArgumentException>(() => _catalog.SaveTrackVectors("audio", m.Id, [(t, new[] { float.NaN })]));
        Assert.Throws<ArgumentException>(() => _catalog.ReplaceItemVectors("cf", m.Id, 3, [(1L, new[] { 1f })]));
    }

    [Fact]
    public void TheListeningDataVersionChangesWithTheData()
    {
        var before = _catalog.ListeningDataVersion();
        Assert.Equal(before, _catalog.ListeningDataVersion());
        _catalog.Import(ImportReader.Read(ImportFormat.Csv, [Csv("user,item,count\nu,X - Y,3\n")], new ImportOptions()));
        Assert.NotEqual(before, _catalog.ListeningDataVersion());
    }

    [Fact]
    public void FeedbackIsRecordedNewestFirstAndCreatesTheUser()
    {
        long t = Track("/m/a.mp3", "A", "One");
        _catalog.RecordFeedback("ann", t, FeedbackKind.Play);
        _catalog.RecordFeedback("ann", t, FeedbackKind.Dislike, "keep-playing");
        var f = _catalog.FeedbackOf("ann");
        Assert.Equal([FeedbackKind.Dislike, FeedbackKind.Play], f.Select(x => x.Kind));
        Assert.Equal("keep-playing", f[0].Context);
        Assert.Empty(_catalog.FeedbackOf("bob"));
        Assert.Contains(_catalog.ListUsers(), u => u.Name == "ann");
    }

    private List<long> ItemIds()
    {
        using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir.File("catalog.db")};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT id FROM items ORDER BY id";
        using var r = cmd.ExecuteReader();
        var ids = new List<long>();
        while (r.Read()) ids.Add(r.GetInt64(0));
        return ids;
    }
}
