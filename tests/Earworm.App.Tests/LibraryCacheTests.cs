using Earworm.App.Library;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.App.Tests;

/// <summary>The library view is read again when the library changes, whoever wrote it, and not when listeners do
/// (a play, a star, a scrobble), which only count as changes for what is computed from listening data.</summary>
public sealed class LibraryCacheTests
{
    [Fact]
    public void ListeningLeavesTheViewAndALibraryChangeReplacesIt()
    {
        using var small = new SmallCatalog();
        var time = new ManualClock();
        var cache = new LibraryCache(small.Location, time);
        var view = cache.Current;
        long changes = cache.Changes;

        using (var catalog = small.Open()) catalog.RecordFeedback("me", small.Ids[0], FeedbackKind.Play);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Same(view, cache.Current);
        Assert.Equal(changes + 1, cache.Changes);

        using (var catalog = small.Open()) catalog.RecordSkipped([new SkippedFile("/m/cover.jpg", 5, 1, "not audio (.jpg file)")], ["/m"]);
        Assert.Same(view, cache.Current); // looked at no more than once a second
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotSame(view, cache.Current);
        Assert.Equal(changes + 2, cache.Changes);
    }

    [Fact]
    public async Task ServingWritesToASqliteCatalogTakeTurnsInTheProcess()
    {
        using var small = new SmallCatalog();
        using var cache = new LibraryCache(small.Location);
        int inside = 0, most = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int n = 0; n < 20; n++)
                cache.Write(_ =>
                {
                    int now = Interlocked.Increment(ref inside);
                    InterlockedMax(ref most, now);
                    Thread.Sleep(1);
                    return Interlocked.Decrement(ref inside);
                });
        })));
        Assert.Equal(1, most);
        Assert.Equal(0, inside);
    }

    [Fact]
    public void AUnitOfWorkRentsAConnectionNoOtherUsesMeanwhileAndAFailedOneIsNotKept()
    {
        using var small = new SmallCatalog();
        using var cache = new LibraryCache(small.Location);
        var first = cache.WithCatalog(c => c);
        Assert.Same(first, cache.WithCatalog(c => c)); // kept for the next unit of work
        var (outer, inner) = cache.WithCatalog(o => (o, cache.WithCatalog(i => i)));
        Assert.NotSame(outer, inner); // two at once: two connections
        Assert.Equal(small.Ids.Count, cache.WithCatalog(c => c.ListTracks().Count));

        ICatalog? broken = null;
        Assert.Throws<InvalidOperationException>(() => cache.WithCatalog<int>(c =>
        {
            broken = c;
            throw new InvalidOperationException("the unit of work failed");
        }));
        Assert.NotNull(broken);
        var after = Enumerable.Range(0, 3).Select(_ => cache.WithCatalog(c => c)).ToList();
        Assert.DoesNotContain(after, c => ReferenceEquals(c, broken)); // closed, never handed out again

        // the catalog file gone: the idle connections are closed and the missing catalog reported as before
        foreach (var f in new[] { "", "-wal", "-shm" }) File.Delete(small.Location.CatalogPath + f);
        var gone = Assert.ThrowsAny<UsageException>(() => cache.WithCatalog(c => c.ListTracks().Count));
        Assert.Contains("no catalog", gone.Message, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
