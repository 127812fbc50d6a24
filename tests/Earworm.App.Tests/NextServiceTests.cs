using Earworm.App.Playlists;
using Earworm.App.Sequences;
using Earworm.App.Training;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Content.Sequences;

namespace Earworm.App.Tests;

/// <summary>
/// The order of listening reaches every front end: six tracks whose playlists always run 0 → 3 → 1 → 4 → 2 → 5 → 0,
/// an order the audio space (an arc 0, 1, 2, 3, 4) does not hold, so what follows the order and what follows sound
/// differ at every step.
/// </summary>
[Collection(TorchTrainingCollection.Name)]
public sealed class NextServiceTests : IDisposable
{
    private static readonly int[] Cycle = [0, 3, 1, 4, 2, 5];
    private readonly SmallCatalog _c = new();

    public void Dispose() => _c.Dispose();

    private long Track(int i) => _c.Ids[i];

    /// <summary>Writes 40 M3U playlists following the cycle from every start and imports them.</summary>
    private void ImportPlaylists()
    {
        var folder = _c.File("playlists");
        Directory.CreateDirectory(folder);
        for (int p = 0; p < 40; p++)
        {
            var tracks = Enumerable.Range(p % 6, 6 + p % 3).Select(k => Cycle[k % 6]);
            File.WriteAllLines(Path.Combine(folder, $"mix{p:00}.m3u"), tracks.Select(i => $"/lib{i}/t{i}.mp3"));
        }
        using var catalog = _c.Open();
        catalog.Import(ImportReader.Read(ImportFormat.M3u, [folder], new ImportOptions { User = "ann" }));
    }

    private SequenceTrainingOutcome Train() => new SequenceTraining(_c.Location).Train(
        new SequenceModelOptions
        {
            Architecture = SequenceArchitecture.Gru4Rec, EmbeddingSize = 8, Layers = 1, MaxLength = 8, Epochs = 25, BatchSize = 8, Negatives = 5,
            LearningRate = 0.02, Dropout = 0, Threads = 1,
        },
        TimeSpan.FromMinutes(30), force: false, new InlineProgress<string>(_ => { }), default);

    [Fact]
    public async Task WithoutASequenceModelTheErrorNamesTheCommandAndKeepPlayingWalksTheSpace()
    {
        var e = Assert.Throws<UsageException>(() => _c.Services.Next.Next(new NextRequest(null, [Track(0).ToString()])));
        Assert.Contains("earworm train sequence", e.Message, StringComparison.Ordinal);
        Assert.Contains("earworm train sequence", Assert.Throws<UsageException>(() => _c.Services.Next.Continue(new ContinueRequest("1"))).Message, StringComparison.Ordinal);
        var walk = await _c.Services.Playlists.KeepPlayingAsync(new KeepPlayingRequest { Seeds = [Track(0).ToString()], Space = "audio", Length = 4 });
        Assert.Equal([Track(0), Track(1), Track(2), Track(3)], walk.Entries.Select(x => x.TrackId));
        Assert.DoesNotContain(walk.Notes, n => n.Contains("model", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATrainedModelProposesTheNextTrackContinuesPlaylistsAndLeadsKeepPlaying()
    {
        ImportPlaylists();
        var trained = Train();
        var next = _c.Services.Next;

        // after tracks named: the successor first, the history itself never proposed
        var after = next.Next(new NextRequest(null, [Track(0).ToString(), "Artist 3 Title 3"], Count: 3));
        Assert.Equal(("gru4rec", trained.Version), (after.Model, after.Version));
        Assert.Equal(new long?[] { Track(0), Track(3) }, after.History.Select(h => h.TrackId));
        Assert.Equal(Track(1), after.Picks[0].TrackId);
        Assert.Equal("Artist 1 – Title 1", after.Picks[0].Label);
        Assert.DoesNotContain(after.Picks, p => p.TrackId == Track(0) || p.TrackId == Track(3));

        // a listener's latest session, from what players recorded
        using (var catalog = _c.Open())
        {
            catalog.RecordFeedback("bo", Track(4), FeedbackKind.Play);
            catalog.RecordFeedback("bo", Track(2), FeedbackKind.Play);
        }
        var bo = next.Next(new NextRequest("bo", [], Count: 1));
        Assert.Equal(new long?[] { Track(4), Track(2) }, bo.History.Select(h => h.TrackId));
        Assert.Equal(Track(5), Assert.Single(bo.Picks).TrackId);
        Assert.Contains("bo's latest session", bo.How, StringComparison.Ordinal);

        // a playlist file continued one pick at a time, and a catalog playlist by id
        var continued = next.Continue(new ContinueRequest(WriteM3u("short.m3u", 4), Count: 4));
        Assert.Equal(new[] { 2, 5, 0 }.Select(i => (long?)Track(i)), continued.Picks.Take(3).Select(p => p.TrackId)); // 4 → 2 → 5 → 0
        Assert.Equal("Artist 4 – Title 4", continued.Picks[0].After);
        long firstPlaylist;
        using (var catalog = _c.Open()) firstPlaylist = catalog.LoadPlaylists()[0].Id;
        Assert.Equal(6, next.Continue(new ContinueRequest(firstPlaylist.ToString(System.Globalization.CultureInfo.InvariantCulture), Count: 6)).History.Count);
        Assert.Contains("no playlist", Assert.Throws<UsageException>(() => next.Continue(new ContinueRequest("nothing called this"))).Message, StringComparison.Ordinal);
        Assert.Contains("no sasrec model is trained", Assert.Throws<UsageException>(() => next.Next(new NextRequest(null, ["1"], Model: "sasrec"))).Message, StringComparison.Ordinal);

        // keep playing follows the order while the model knows the tracks, and says so; --by-sound-only walks the arc
        var walk = await _c.Services.Playlists.KeepPlayingAsync(new KeepPlayingRequest { Seeds = [Track(0).ToString()], Space = "audio", Length = 4 });
        Assert.Equal([Track(0), Track(3), Track(1), Track(4)], walk.Entries.Select(x => x.TrackId));
        Assert.Contains(walk.Notes, n => n.Contains($"gru4rec model {trained.Version}", StringComparison.Ordinal));
        Assert.Contains(walk.Entries[1].Reasons, r => r.StartsWith("next after Artist 0 – Title 0 by the gru4rec model", StringComparison.Ordinal));
        var bySound = await _c.Services.Playlists.KeepPlayingAsync(new KeepPlayingRequest { Seeds = [Track(0).ToString()], Space = "audio", Length = 4, FollowOrder = false });
        Assert.Equal([Track(0), Track(1), Track(2), Track(3)], bySound.Entries.Select(x => x.TrackId));
    }

    private string WriteM3u(string name, params int[] tracks)
    {
        var path = _c.File(name);
        File.WriteAllLines(path, tracks.Select(i => $"/lib{i}/t{i}.mp3"));
        return path;
    }
}

/// <summary>Tests that train a network: libtorch's random generator is one per process, so two trainings at once would
/// draw from each other's stream and no seed would repeat.</summary>
[CollectionDefinition(Name)]
public sealed class TorchTrainingCollection
{
    public const string Name = "torch training";
}
