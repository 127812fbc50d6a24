using Earworm.App.Library;
using Earworm.Audio.Descriptors;
using Earworm.Catalog;

namespace Earworm.App.Tests;

/// <summary>The library as a list, a page at a time: a library larger than the largest page is read whole, each track
/// once, in the order asked for (the page reads it so; it once stopped at the first 20 000 tracks).</summary>
public sealed class TrackListingTests
{
    private const int TrackCount = 45_001;

    private static readonly LibraryView Library = MakeLibrary();

    private static LibraryView MakeLibrary()
    {
        var tracks = Enumerable.Range(1, TrackCount).Select(i => new TrackRecord
        {
            Id = i, Path = $"/music/{i % 97}/{i}.flac", SizeBytes = 1, MtimeUnixMs = 1, Status = TrackStatus.Analysed,
            Artist = $"Artist {i % 131}", Title = $"Title {i}", Genre = i % 3 == 0 ? "house" : "ambient",
        }).ToList();
        // tempo in 40 steps: many ties, which a stable sort must keep in library order across pages
        var descriptors = tracks.ToDictionary(t => t.Id, t => new TrackDescriptors { DurationSeconds = 60, SampleRateHz = 22050, IsSilent = false, TempoBpm = 80 + t.Id % 40 });
        return new LibraryView(tracks, descriptors, ["/music"], []);
    }

    private static List<long> ReadAll(TrackListRequest first)
    {
        var ids = new List<long>();
        for (var request = first; ; request = request with { Offset = ids.Count })
        {
            var page = TrackListing.List(Library, request);
            Assert.Equal(ids.Count, page.Offset);
            ids.AddRange(page.Tracks.Select(t => t.Id));
            if (page.Tracks.Count < request.Limit) { Assert.Equal(page.Total, ids.Count); return ids; }
        }
    }

    [Fact]
    public void PagesOfTheLargestSizeReadALibraryLargerThanOnePage()
    {
        var ids = ReadAll(new TrackListRequest(Limit: TrackListing.MaxLimit));
        Assert.Equal(Library.Tracks.Select(t => t.Id), ids);
        Assert.True(ids.Count > TrackListing.MaxLimit * 2);
    }

    [Fact]
    public void PagesOfASortedSearchFollowTheSortAcrossPageBoundaries()
    {
        var ids = ReadAll(new TrackListRequest("house", "tempo", Descending: true, Limit: 7_001));
        var whole = TrackListing.List(Library, new TrackListRequest("house", "tempo", Descending: true, Limit: TrackListing.MaxLimit));
        Assert.Equal(TrackCount / 3, whole.Total);
        Assert.Equal(whole.Tracks.Select(t => t.Id), ids.Take(TrackListing.MaxLimit));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var tempos = ids.Select(id => Library.Descriptors[id].TempoBpm!.Value).ToList();
        Assert.Equal(tempos.OrderDescending(), tempos);
        Assert.All(ids, id => Assert.Equal(0, id % 3));
    }

    [Fact]
    public void APageBeyondTheEndIsEmptyAndSaysHowManyMatch()
    {
        var page = TrackListing.List(Library, new TrackListRequest(Offset: TrackCount + 5, Limit: 10));
        Assert.Empty(page.Tracks);
        Assert.Equal(TrackCount, page.Total);
        Assert.Throws<UsageException>(() => TrackListing.List(Library, new TrackListRequest(Limit: TrackListing.MaxLimit + 1)));
    }
}
