using Earworm.App.Library;
using Earworm.App.Playlists;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Recommend.Playlists;

namespace Earworm.App.Tests;

public sealed class PlaylistServiceTests : IDisposable
{
    private readonly SmallCatalog _library = new();

    public void Dispose() => _library.Dispose();

    private List<long> Ids => _library.Ids;

    private PlaylistService Playlists => _library.Services.Playlists;

    [Fact]
    public async Task AListenersRecentTracksSeedThePlaylistAndTheirDislikesNeverPlay()
    {
        var csv = _library.File("plays.csv");
        await File.WriteAllTextAsync(csv, $"user,item,count,timestamp\nann,track:{Ids[0]},1,100\nann,track:{Ids[1]},1,200\n");
        using (var catalog = _library.Open())
        {
            catalog.Import(ImportReader.Read(ImportFormat.Csv, [csv], new ImportOptions()));
            catalog.RecordFeedback("ann", Ids[2], FeedbackKind.Dislike);
            Assert.Equal([Ids[1], Ids[0]], catalog.RecentTracksOf("ann", 5));
        }
        var p = await Playlists.KeepPlayingAsync(new KeepPlayingRequest { User = "ann", Space = "audio", Length = 4, KeepOn = 2, SeedRandom = 0 });
        Assert.Equal([Ids[0], Ids[1]], p.Entries.Take(2).Select(e => e.TrackId)); // oldest first, so the latest steers last
        Assert.DoesNotContain(p.Entries, e => e.TrackId == Ids[2]);
        Assert.Equal(4, p.Entries.Count);
        Assert.Contains("ann", p.Notes[0], StringComparison.Ordinal);
        await Assert.ThrowsAsync<UsageException>(() => Playlists.KeepPlayingAsync(new KeepPlayingRequest { User = "nobody" }));

        var walk = await Playlists.JoinTheDotsAsync(new JoinTheDotsRequest { From = Ids[0].ToString(), To = Ids[4].ToString(), Length = 5, Space = "audio" });
        Assert.Equal(Ids.Take(5), walk.Entries.Select(e => e.TrackId)); // the audio vectors lie on an arc in order
        Assert.Equal(Ids.Take(4), walk.Entries.Skip(1).Select(e => e.PulledIn!.TrackId!.Value)); // each pulled in by the one before
        var excluded = await Playlists.JoinTheDotsAsync(new JoinTheDotsRequest
        {
            From = Ids[0].ToString(), To = Ids[4].ToString(), Length = 4, Space = "audio", Exclude = ["Artist 2"],
        });
        Assert.DoesNotContain(excluded.Entries, e => e.TrackId == Ids[2]);
    }

    [Fact]
    public async Task NamesAndIdsAreOneRuleAndAPlayerGetsOnlyWhatComesNext()
    {
        var byWords = await Playlists.KeepPlayingAsync(new KeepPlayingRequest { Seeds = ["artist 1 title"], Space = "audio", Length = 3, SeedRandom = 0 });
        var byId = await Playlists.KeepPlayingAsync(new KeepPlayingRequest { Seeds = [Ids[1].ToString()], Space = "audio", Length = 3, SeedRandom = 0 });
        Assert.Equal(byId.Entries.Select(e => e.TrackId), byWords.Entries.Select(e => e.TrackId));
        Assert.Equal(Ids[1], byId.Entries[0].TrackId);
        Assert.Equal("seed", byId.Entries[0].Role);

        var next = await Playlists.KeepPlayingAsync(new KeepPlayingRequest
        {
            Seeds = [Ids[1].ToString()], History = [Ids[2]], Space = "audio", Length = 2, NextOnly = true, SeedRandom = 0,
        });
        Assert.Equal(2, next.Entries.Count);
        Assert.All(next.Entries, e => Assert.Equal("next", e.Role));
        Assert.DoesNotContain(next.Entries, e => e.TrackId == Ids[1] || e.TrackId == Ids[2]);
        // the pick is pulled in by whichever of the steering tracks it is nearest to, and says how close it is
        Assert.All(next.Entries, e => Assert.NotNull(e.PulledIn));
        Assert.All(next.Entries, e => Assert.InRange(e.Similarity!.Value, -1, 1));

        await Assert.ThrowsAsync<TrackNotFoundException>(() => Playlists.KeepPlayingAsync(new KeepPlayingRequest { Seeds = ["424242"] }));
        await Assert.ThrowsAsync<TrackNotFoundException>(() => Playlists.KeepPlayingAsync(new KeepPlayingRequest { Seeds = ["no such words"] }));
    }

    [Theory]
    [InlineData(0, 3, 0.0, null, "length")]
    [InlineData(501, 3, 0.0, null, "length")]
    [InlineData(5, 0, 0.0, null, "keep-on")]
    [InlineData(5, 3, 1.5, null, "drunk")]
    [InlineData(5, 3, -0.1, null, "drunk")]
    [InlineData(5, 3, 0.0, "fast", "tempo")]
    [InlineData(5, 3, 0.0, "120-90", "tempo")]
    public async Task EveryFrontEndIsRefusedTheSameValues(int length, int keepOn, double drunk, string? tempo, string word)
    {
        var e = await Assert.ThrowsAsync<UsageException>(() => Playlists.KeepPlayingAsync(new KeepPlayingRequest
        {
            Seeds = [Ids[0].ToString()], Length = length, KeepOn = keepOn, Drunk = drunk, Tempo = tempo,
        }));
        Assert.Contains(word, e.Message, StringComparison.Ordinal);
        Assert.Equal(1.0, KeepPlayingOptions.MaxDrunk); // the engine's limit is the one every front end shows
        Assert.Equal(KeepPlayingOptions.MaxDrunk, Limits.Current.MaxDrunk);
    }
}
