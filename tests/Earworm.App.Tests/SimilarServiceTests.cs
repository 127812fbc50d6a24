using Earworm.App.Library;
using Earworm.App.Playlists;
using Earworm.App.Similar;

namespace Earworm.App.Tests;

public sealed class SimilarServiceTests : IDisposable
{
    private readonly SmallCatalog _library = new();

    public void Dispose() => _library.Dispose();

    [Fact]
    public async Task AMissingTrackIsRefusedAsAStartingPointAsPlaylistsRefuseIt()
    {
        var ids = _library.Ids;
        using (var catalog = _library.Open()) catalog.MarkMissing(ids[2]);

        var near = await _library.Services.Similar.FindAsync(new SimilarRequest { Track = ids[1].ToString(), Space = "audio", Count = 5 });
        Assert.DoesNotContain(near.Results, r => r.Track.Id == ids[2]);   // a missing track is never an answer

        // its stored descriptors once made it a query "file" whose own duplicates came back as its neighbours
        var similar = await Assert.ThrowsAsync<UsageException>(() =>
            _library.Services.Similar.FindAsync(new SimilarRequest { Track = ids[2].ToString(), Space = "descriptors" }));
        var playlist = await Assert.ThrowsAsync<UsageException>(() =>
            _library.Services.Playlists.KeepPlayingAsync(new KeepPlayingRequest { Seeds = [ids[2].ToString()], Space = "descriptors", Length = 3 }));
        Assert.Equal(playlist.Message, similar.Message);
        Assert.Contains($"track {ids[2]} (/lib2/t2.mp3) is missing, not analysed", similar.Message, StringComparison.Ordinal);
    }
}
