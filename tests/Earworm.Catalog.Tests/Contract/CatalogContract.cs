using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Catalog.Import;
using Earworm.Testing;

namespace Earworm.Catalog.Tests.Contract;

/// <summary>
/// What every catalog back end must do, through <see cref="ICatalog"/> alone: a back end's tests derive from this class
/// and say how to make an empty catalog (<see cref="CreateEmpty"/>); every fact (<see cref="ContractFactAttribute"/>)
/// runs against it. The SQLite store passes it (<see cref="SqliteFileCatalogContractTests"/>,
/// <see cref="SqliteMemoryCatalogContractTests"/>) and so does the PostgreSQL one (<see cref="PostgresCatalogContractTests"/>).
/// </summary>
public abstract partial class CatalogContract : IDisposable
{
    private readonly TempDirectory _dir = new();
    private ICatalog? _catalog;

    /// <summary>A new, empty catalog (its schema up to date).</summary>
    protected abstract ICatalog CreateEmpty(TempDirectory scratch);

    protected ICatalog Catalog => _catalog ??= CreateEmpty(_dir);

    public void Dispose()
    {
        _catalog?.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An analysed track, in a folder of its own (a scan marks what a folder lacks missing).</summary>
    private long Analysed(string path, string artist, string title, string hash)
    {
        Catalog.RecordDiscovered([new FoundFile(path, 10, 1)], [Path.GetDirectoryName(path)!], retryFailed: false);
        var id = Catalog.FindByPath(path)!.Id;
        Catalog.SaveAnalysed(id, new AnalysedTrack(10, 1, hash,
            new MediaInfo { Container = "mp3", Codec = "mp3", Artist = artist, Title = title, DurationSeconds = 60 }, 60, 3, 431, null));
        return id;
    }

    private IReadOnlyList<ImportOutcome> ImportCsv(string text)
    {
        var path = _dir.File($"plays-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return Catalog.Import(ImportReader.Read(ImportFormat.Csv, [path], new ImportOptions()));
    }

    // ---- tracks and scans ----

    [ContractFact]
    public void SkippedFilesAreReplacedPerRootAndCounted()
    {
        Catalog.RecordSkipped([new SkippedFile("/m/cover.jpg", 5, 1, "not audio (.jpg file)"), new SkippedFile("/o/x.txt", 2, 1, "not audio (.txt file)")],
            ["/m", "/o"]);
        Catalog.RecordSkipped([new SkippedFile("/m/song.mid", 9, 1, "MIDI")], ["/m"]); // a scan of /m says nothing of /o
        Assert.Equal([new SkippedFile("/m/song.mid", 9, 1, "MIDI"), new SkippedFile("/o/x.txt", 2, 1, "not audio (.txt file)")], Catalog.ListSkipped());
        Assert.Equal(2, Catalog.Counts().Skipped);
        Assert.Equal(0, Catalog.Counts().Total); // skipped files are not tracks
    }

    [ContractFact]
    public void GuessedTagsAndPicturesAreKept()
    {
        Catalog.RecordDiscovered([new FoundFile("/g/Album/x.ogg", 10, 1)], ["/g"], retryFailed: false);
        var id = Catalog.FindByPath("/g/Album/x.ogg")!.Id;
        Catalog.SaveAnalysed(id, new AnalysedTrack(10, 1, "h1",
            new MediaInfo { Container = "ogg", Codec = "vorbis", Title = "x", Album = "Album", HasPicture = true }, 60, 3, 431, null)
            { Guessed = Earworm.Catalog.Scanning.GuessedTags.Title | Earworm.Catalog.Scanning.GuessedTags.Album });
        var t = Catalog.FindById(id)!;
        Assert.Equal((Earworm.Catalog.Scanning.GuessedTags.Title | Earworm.Catalog.Scanning.GuessedTags.Album, (bool?)true), (t.GuessedTags, t.HasPicture));
        Assert.Equal(0, Catalog.GuessMissingTags()); // a new analysis has been looked at
    }

    [ContractFact]
    public void AnEmptyCatalogHoldsNothing()
    {
        Assert.Empty(Catalog.ListTracks());
        Assert.Equal(new CatalogCounts(0, 0, 0, 0, 0), Catalog.Counts());
        Assert.Empty(Catalog.ListSkipped());
        Assert.Null(Catalog.LastScan());
        Assert.Empty(Catalog.ScannedRoots());
        Assert.Empty(Catalog.AllDescriptors());
        Assert.Empty(Catalog.ListModels());
        Assert.Empty(Catalog.ListSpaces());
        Assert.Empty(Catalog.ListUsers());
        Assert.True(Catalog.SchemaVersion > 0);
    }

    [ContractFact]
    public void DiscoveredFilesArePendingUntilAnalysedOrFailedAndVanishedOnesMissing()
    {
        var first = Catalog.RecordDiscovered([new FoundFile("/m/a.mp3", 10, 1), new FoundFile("/m/b.ogg", 20, 1)], ["/m"], retryFailed: false);
        Assert.Equal((2, 2), (first.Added, first.ToAnalyse));
        Assert.Equal(2, Catalog.PendingAmong(["/m/a.mp3", "/m/b.ogg", "/m/zzz.mp3"]).Count);
        var a = Catalog.FindByPath("/m/a.mp3")!;
        var b = Catalog.FindByPath("/m/b.ogg")!;
        Catalog.SaveAnalysed(a.Id, new AnalysedTrack(10, 1, "hash-a", new MediaInfo { Container = "mp3", Title = "A", DurationSeconds = 30 }, 30, 2, 431, null));
        Catalog.SaveFailed(b.Id, 20, 1, null, "not audio");
        Assert.Equal(TrackStatus.Analysed, Catalog.FindById(a.Id)!.Status);
        Assert.Equal("not audio", Catalog.FindById(b.Id)!.Failure);
        Assert.Equal(a.Id, Catalog.FindAnalysedByHash("hash-a")!.Id);
        Assert.Null(Catalog.FindAnalysedByHash("nothing"));
        Assert.Equal(new CatalogCounts(1, 1, 0, 0, 30), Catalog.Counts());
        Assert.Equal(["/m/a.mp3", "/m/b.ogg"], Catalog.ListTracks().Select(t => t.Path)); // by path

        var again = Catalog.RecordDiscovered([new FoundFile("/m/b.ogg", 20, 1)], ["/m"], retryFailed: false);
        Assert.Equal(1, again.Missing);
        Assert.Equal(TrackStatus.Missing, Catalog.FindById(a.Id)!.Status);
        Assert.Single(Catalog.ListTracks(TrackStatus.Failed));
        Catalog.MarkMissing(b.Id);
        Assert.Equal(2, Catalog.Counts().Missing);
    }

    [ContractFact]
    public void AFileMovedOrRenamedIsTheSameTrackWhereItIsNow()
    {
        var folder = _dir.File("lib");
        Directory.CreateDirectory(folder);
        var bytes = "ten bytes!"u8.ToArray();
        string old = Path.Combine(folder, "Nebula.ogg"), renamed = Path.Combine(folder, "Nebula (renamed).ogg");
        File.WriteAllBytes(renamed, bytes);   // the file as it is now; the catalog knew it under its old name
        long id = Analysed(old, "Maxstack", "Nebula", ContentHash.OfFile(renamed));
        var copy = Path.Combine(folder, "other.ogg");
        File.WriteAllBytes(copy, "ten bytes?"u8.ToArray());   // the same size and time, other bytes: a new track

        var outcome = Catalog.RecordDiscovered([new FoundFile(renamed, 10, 1), new FoundFile(copy, 10, 1)], [folder], retryFailed: false);
        Assert.Equal((1, 1, 0), (outcome.Moved, outcome.Added, outcome.Missing));
        var moved = Catalog.FindByPath(renamed)!;
        Assert.Equal((id, TrackStatus.Pending), (moved.Id, moved.Status));   // looked at again where it is (not decoded: the same bytes)
        Assert.Null(Catalog.FindByPath(old));
        Assert.NotEqual(id, Catalog.FindByPath(copy)!.Id);

        // a track already marked missing is found again under its new name too
        Catalog.SaveAnalysed(id, new AnalysedTrack(10, 1, ContentHash.OfFile(renamed),
            new MediaInfo { Container = "ogg", Codec = "vorbis", Artist = "Maxstack", Title = "Nebula", DurationSeconds = 60 }, 60, 3, 431, null));
        Catalog.RecordDiscovered([new FoundFile(copy, 10, 1)], [folder], retryFailed: false);
        Assert.Equal(TrackStatus.Missing, Catalog.FindById(id)!.Status);
        File.Move(renamed, old);
        var back = Catalog.RecordDiscovered([new FoundFile(old, 10, 1), new FoundFile(copy, 10, 1)], [folder], retryFailed: false);
        Assert.Equal((1, 0), (back.Moved, back.Added));
        Assert.Equal(id, Catalog.FindByPath(old)!.Id);
    }

    [ContractFact]
    public void DescriptorsAreStoredPerTrack()
    {
        long id = Analysed("/m/a.mp3", "A", "One", "h1");
        var d = new TrackDescriptors { DurationSeconds = 60, SampleRateHz = 22050, IsSilent = false, TempoBpm = 120, Energy = 0.5, MfccMeans = [1, 2, 3] };
        Catalog.SaveDescriptors(id, d);
        Assert.Equal(120, Catalog.FindDescriptors(id)!.TempoBpm);
        Assert.Equal([1.0, 2, 3], Catalog.AllDescriptors()[id].MfccMeans);
        Assert.Null(Catalog.FindDescriptors(id + 1000));
        Assert.Equal(TrackDescriptors.Version, Catalog.FindById(id)!.DescriptorVersion);
    }

    [ContractFact]
    public void ScansAreRecordedWithTheirRoots()
    {
        long first = Catalog.StartScan(["/m", "/n"]);
        Assert.Null(Catalog.LastScan()!.FinishedAt);
        Catalog.FinishScan(first, "completed", 3, 1, 2, 0, 90.5);
        var last = Catalog.LastScan()!;
        Assert.Equal(("completed", 3, 1, 2, 90.5), (last.Outcome, last.Analysed, last.Failed, last.Unchanged, last.AudioSeconds));
        Catalog.StartScan(["/n", "/o"]);
        Assert.Equal(["/m", "/n", "/o"], Catalog.ScannedRoots());
    }

    // ---- listening data and imports ----

    [ContractFact]
    public void UsersAreListedWithTheNumbersInTheirNamesByValue()
    {
        ImportCsv("user,item,count\nlastfm-2k:10,x1,1\nlastfm-2k:2,x1,1\nlastfm-2k:100,x2,1\nbob,x1,1\nUlla,x2,1\n");
        Assert.Equal(["Ulla", "bob", "lastfm-2k:2", "lastfm-2k:10", "lastfm-2k:100"], Catalog.ListUsers().Select(u => u.Name));
    }

    [ContractFact]
    public void ImportsAreAllOrNothingIdempotentAndMatchedToTracks()
    {
        long t = Analysed("/m/a.mp3", "Björk", "Jóga", "h1");
        string before = Catalog.ListeningDataVersion();
        var first = ImportCsv("user,item,count,artist,title\nalice,x1,3,bjork,joga\nalice,x2,1,Nobody,Else\nbob,x1,2,bjork,joga\n");
        Assert.Equal(3, first[0].InteractionsAdded);
        Assert.NotEqual(before, Catalog.ListeningDataVersion());
        var counts = Catalog.ListeningCounts();
        Assert.Equal((2, 3, 6.0), (counts.Users, counts.Interactions, counts.Plays));
        Assert.Equal(["alice", "bob"], Catalog.ListUsers().Select(u => u.Name));
        Assert.True(Catalog.UserExists("alice"));
        Assert.False(Catalog.UserExists("carol"));
        var alice = Catalog.FindUserId("alice")!.Value;
        Assert.Equal(2, Catalog.LoadListening().Count(r => r.UserId == alice));
        var item = Catalog.ItemOfTrack(t)!.Value;
        Assert.Equal(t, Catalog.LoadItems()[item].TrackId);
        Assert.Equal([t], Catalog.RecentTracksOf("alice", 10));
        Assert.NotNull(Catalog.LastImport());

        string after = Catalog.ListeningDataVersion();
        var again = ImportCsv("user,item,count,artist,title\nalice,x1,3,bjork,joga\nalice,x2,1,Nobody,Else\nbob,x1,2,bjork,joga\n");
        Assert.Equal(0, again[0].InteractionsAdded);
        Assert.Equal(after, Catalog.ListeningDataVersion());
    }

    [ContractFact]
    public void ATrackIdTheCatalogLacksRefusesTheWholeImport()
    {
        long t = Analysed("/m/a.mp3", "Björk", "Jóga", "h1");
        var e = Assert.Throws<DatasetFormatException>(() => ImportCsv($"user,item,count\nalice,track:{t},3\nalice,track:{t + 100},1\n"));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains($"track:{t + 100} names no track of this catalog", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, Catalog.ListeningCounts().Interactions);   // nothing half-imported
        Assert.Equal(1, ImportCsv($"user,item,count\nalice,track:{t},3\n")[0].InteractionsAdded);
    }

    [ContractFact]
    public void PlaylistsKeepTheirOrder()
    {
        var path = _dir.File("list.m3u");
        File.WriteAllText(path, "#EXTM3U\n/x/one.mp3\n/x/two.mp3\n/x/three.mp3\n");
        Catalog.Import(ImportReader.Read(ImportFormat.M3u, [path], new ImportOptions { User = "alice" }));
        var playlist = Assert.Single(Catalog.LoadPlaylists());
        var items = Catalog.LoadItems();
        Assert.Equal(["/x/one.mp3", "/x/two.mp3", "/x/three.mp3"], playlist.ItemIds.Select(i => items[i].Location));
        Assert.Equal(Catalog.FindUserId("alice"), playlist.UserId);
    }

    // ---- models and vectors ----

    [ContractFact]
    public void OneModelPerSpaceIsCurrentAndTheSameVersionReplacesIt()
    {
        var a = Catalog.SaveModel("cf", "als", "v1", "{}", "d1", null, null);
        var b = Catalog.SaveModel("cf", "bpr", "v2", "{\"f\":8}", "d1", "/m/v2.ewm", null);
        Assert.Equal(b.Id, Catalog.CurrentModel("cf")!.Id);
        Assert.False(Catalog.FindModel(a.Id)!.IsCurrent);
        var kept = Catalog.SaveModel("cf", "als", "v3", "{}", "d1", null, null, makeCurrent: false);
        Assert.Equal(b.Id, Catalog.CurrentModel("cf")!.Id);
        Assert.False(kept.IsCurrent);
        var again = Catalog.SaveModel("cf", "als", "v1", "{\"f\":64}", "d2", null, null);
        Assert.Equal(a.Id, again.Id);
        Assert.True(again.IsCurrent);
        Catalog.SetModelMetrics(a.Id, "{\"loss\":1}");
        Assert.Equal("{\"loss\":1}", Catalog.FindModel(a.Id)!.MetricsJson);
        Assert.Equal(3, Catalog.ListModels().Count);
        Assert.Null(Catalog.CurrentModel("audio"));
    }

    [ContractFact]
    public void TrackVectorsOfOneModelAndItemVectorsReachTracks()
    {
        long t1 = Analysed("/m/a.mp3", "A", "One", "h1");
        long t2 = Analysed("/n/b.mp3", "B", "Two", "h2");
        ImportCsv("user,item,count,artist,title\nu,x,3,A,One\nu,y,1,Nobody,Else\n");
        var model = Catalog.SaveModel("audio", "audio-cnn", "a1", "{}", "", null, null);
        Catalog.SaveTrackVectors("audio", model.Id, [(t1, [1f, 0f]), (t2, [0f, 1f])]);
        Assert.Equal([t1, t2], Catalog.TracksWithVectors("audio", model.Id).Order());
        var audio = Catalog.LoadTrackVectors("audio");
        Assert.Equal((2, 2), (audio.Count, audio.Dims));
        Assert.Equal([0f, 1f], audio.Row(1).ToArray());

        var newer = Catalog.SaveModel("audio", "audio-cnn", "a2", "{}", "", null, null);
        Catalog.SaveTrackVectors("audio", newer.Id, [(t1, [0.6f, 0.8f])]);
        Assert.Equal(1, Catalog.DeleteTrackVectorsNotOf("audio", newer.Id));
        Assert.Equal([t1], Catalog.LoadTrackVectors("audio").Ids);

        var cf = Catalog.SaveModel("cf", "als", "c1", "{}", "d", null, null);
        var items = Catalog.LoadItems().Values.OrderBy(i => i.Id).ToList();
        Catalog.ReplaceItemVectors("cf", cf.Id, 3, items.Select(i => (i.Id, new[] { 1f, 2f, 3f })));
        Assert.Equal(2, Catalog.LoadItemVectors("cf").Count);
        Assert.Equal([t1], Catalog.LoadTrackVectors("cf").Ids); // only the item linked to a track
        Assert.Contains(("cf", 1, 2), Catalog.ListSpaces());
        Assert.Throws<ArgumentException>(() => Catalog.ReplaceItemVectors("cf", cf.Id, 2, [(items[0].Id, new[] { 1f })]));
        Catalog.DeleteSpace("cf");
        Assert.Equal(0, Catalog.LoadItemVectors("cf").Count);
    }

    [ContractFact]
    public void AVectorWithNaNIsRefused()
    {
        long t = Analysed("/m/a.mp3", "A", "One", "h1");
        var model = Catalog.SaveModel("audio", "audio-cnn", "a1", "{}", "", null, null);
        Assert.Throws<ArgumentException>(() => Catalog.SaveTrackVectors("audio", model.Id, [(t, [float.NaN])]));
    }

    // ---- feedback ----

    [ContractFact]
    public void APlayQueueIsKeptPerListenerReplacedAndRemovedWhenEmpty()
    {
        long a = Analysed("/m/a.mp3", "A", "One", "h1");
        long b = Analysed("/n/b.mp3", "B", "Two", "h2");
        Assert.Null(Catalog.PlayQueueOf("me"));
        Catalog.SavePlayQueue("me", [b, a, b], a, 61_500, "phone");
        var kept = Catalog.PlayQueueOf("me")!;
        Assert.Equal([b, a, b], kept.TrackIds);
        Assert.Equal(((long?)a, 61_500L, "phone"), (kept.CurrentTrackId, kept.PositionMs, kept.ChangedBy));
        Assert.Null(Catalog.PlayQueueOf("you"));
        Catalog.SavePlayQueue("me", [a], null, 0, null);   // the next app's replaces it
        kept = Catalog.PlayQueueOf("me")!;
        Assert.Equal([a], kept.TrackIds);
        Assert.Equal(((long?)null, (string?)null), (kept.CurrentTrackId, kept.ChangedBy));
        Catalog.SavePlayQueue("me", [], null, 0, "phone");
        Assert.Null(Catalog.PlayQueueOf("me"));
    }

    [ContractFact]
    public void FeedbackWithItsOwnTimeIsKeptAtThatTimeAndOrderedByIt()
    {
        long a = Analysed("/m/a.mp3", "A", "One", "h1");
        long b = Analysed("/n/b.mp3", "B", "Two", "h2");
        var heard = new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);
        Catalog.RecordFeedback("me", a, FeedbackKind.Play);
        Catalog.RecordFeedback("me", b, FeedbackKind.Play, "scrobble", heard.ToOffset(TimeSpan.FromHours(2)));   // sent late, by an app offline then
        var mine = Catalog.FeedbackOf("me");
        Assert.Equal([a, b], mine.Select(f => f.TrackId));   // newest first by when it was heard, not by when it came
        Assert.Equal(heard, mine[1].At);
        Assert.True(mine[0].At > heard.AddYears(1));
    }

    [ContractFact]
    public void ListenersCountThePlaysAndSkipsHeardInTheAppsBesideTheImportedOnes()
    {
        long a = Analysed("/m/a.mp3", "A", "One", "h1");
        ImportCsv("user,item,count,timestamp\nme,x1,2,1600000000\n");
        var heard = new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);
        Catalog.RecordFeedback("me", a, FeedbackKind.Play, "scrobble", heard);
        Catalog.RecordFeedback("me", a, FeedbackKind.Skip, "dj");
        Catalog.RecordFeedback("me", a, FeedbackKind.Like);
        Catalog.RecordFeedback("app only", a, FeedbackKind.Play, null, heard);
        var users = Catalog.ListUsers().ToDictionary(u => u.Name);
        var me = users["me"];
        Assert.Equal((1, 3.0, 1, 1), (me.Interactions, me.Plays, me.Items, me.Skips));   // a like is neither
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000), me.FirstListen);
        Assert.True(me.LastListen > heard);   // the skip, now
        var app = users["app only"];
        Assert.Equal((0, 1.0, 0), (app.Interactions, app.Plays, app.Skips));
        Assert.Equal((heard, heard), (app.FirstListen, app.LastListen));
    }

    [ContractFact]
    public void FeedbackIsKeptPerListenerNewestFirstAndSteersTheirRecentTracks()
    {
        long a = Analysed("/m/a.mp3", "A", "One", "h1");
        long b = Analysed("/n/b.mp3", "B", "Two", "h2");
        Catalog.RecordFeedback("me", a, FeedbackKind.Play, "queue");
        Catalog.RecordFeedback("me", b, FeedbackKind.Like);
        Catalog.RecordFeedback("me", a, FeedbackKind.Dislike);
        Catalog.RecordFeedback("you", b, FeedbackKind.Skip);
        var mine = Catalog.FeedbackOf("me");
        Assert.Equal([FeedbackKind.Dislike, FeedbackKind.Like, FeedbackKind.Play], mine.Select(f => f.Kind));
        Assert.Equal("queue", mine[^1].Context);
        Assert.Single(Catalog.FeedbackOf("me", limit: 1));
        Assert.True(Catalog.UserExists("you"));
        Assert.Equal([b, a], Catalog.RecentTracksOf("me", 10)); // plays and likes, newest first
        Assert.Empty(Catalog.RecentTracksOf("you", 10)); // a skip is not a listen
    }

    [ContractFact]
    public void TracksWithFeedbackAreOneListenersOfOneKind()
    {
        long a = Analysed("/m/a.mp3", "A", "One", "h1");
        long b = Analysed("/n/b.mp3", "B", "Two", "h2");
        Catalog.RecordFeedback("me", a, FeedbackKind.Dislike);
        Catalog.RecordFeedback("me", a, FeedbackKind.Dislike);
        Catalog.RecordFeedback("me", b, FeedbackKind.Skip);
        Catalog.RecordFeedback("you", b, FeedbackKind.Dislike);
        Assert.Equal([a], Catalog.TracksWithFeedback("me", FeedbackKind.Dislike));
        Assert.Equal([b], Catalog.TracksWithFeedback("me", FeedbackKind.Skip));
        Assert.Empty(Catalog.TracksWithFeedback("me", FeedbackKind.Like));
        Assert.Empty(Catalog.TracksWithFeedback("nobody", FeedbackKind.Dislike));
        Catalog.RetractFeedback("me", a, FeedbackKind.Dislike);
        Assert.Empty(Catalog.TracksWithFeedback("me", FeedbackKind.Dislike));
    }
}
