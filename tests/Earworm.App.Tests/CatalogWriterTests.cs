using Earworm.App.Library;
using Earworm.Catalog;

namespace Earworm.App.Tests;

public sealed class CatalogWriterTests : IDisposable
{
    private readonly SmallCatalog _library = new();

    public void Dispose() => _library.Dispose();

    private List<Impression> List(string request, int count, double propensity = 0.5) =>
        Enumerable.Range(0, count).Select(i => new Impression("ann", request, i, _library.Ids[i % _library.Ids.Count], null, "test", "greedy", "v1", propensity, i, null)).ToList();

    [Fact]
    public async Task ConcurrentListsAreEachCommittedWithTheirOwnIdsOnOneConnection()
    {
        int opens = 0;
        using var writer = new CatalogWriter(() =>
        {
            Interlocked.Increment(ref opens);
            return _library.Open();
        });
        var answered = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            Enumerable.Range(0, 15).Select(n => ($"r{t}-{n}", writer.Append(List($"r{t}-{n}", 1 + (t + n) % 4)))).ToList())));

        using var catalog = _library.Open();
        var stored = catalog.ReadImpressions().GroupBy(i => i.Impression.RequestId).ToDictionary(g => g.Key, g => g.OrderBy(i => i.Impression.Position).Select(i => i.Id).ToList());
        var all = answered.SelectMany(a => a).ToList();
        Assert.Equal(8 * 15, all.Count);
        Assert.Equal(all.Count, stored.Count);
        Assert.All(all, a => Assert.Equal(stored[a.Item1], a.Item2));
        Assert.Equal(1, opens);
    }

    [Fact]
    public async Task AListTheStoreRefusesFailsItsOwnRequestOnlyWhenItSharesACommit()
    {
        using var held = new HeldWriter(_library.Open, List("lead", 2)); // the rest queue into one batch
        var (writer, leader) = (held.Writer, held.Leader);
        var followers = Enumerable.Range(0, 4).Select(n => Task.Run(() => writer.Append(List($"f{n}", 3, propensity: n == 2 ? 0 : 0.5)))).ToList();
        while (writer.Queued < 4) await Task.Delay(5);
        held.Release();

        await leader;
        await Assert.ThrowsAsync<ArgumentException>(() => followers[2]);
        foreach (var n in new[] { 0, 1, 3 }) Assert.Equal(3, (await followers[n]).Count);
        using var catalog = _library.Open();
        Assert.Equal(["f0", "f1", "f3", "lead"], catalog.ReadImpressions().Select(i => i.Impression.RequestId).Distinct().Order().ToArray());
    }

    [Fact]
    public async Task AListQueuedBehindAWriteIsAwaitedWithoutBlockingAndWrittenBeforeDisposalEnds()
    {
        using var held = new HeldWriter(_library.Open, List("lead", 2));
        var (writer, leader) = (held.Writer, held.Leader);

        var queued = writer.AppendAsync(List("queued", 3)); // returns at once: the caller's thread is not held
        Assert.False(queued.IsCompleted);
        Assert.Equal(1, writer.Queued);
        var disposing = Task.Run(writer.Dispose);
        await Task.Delay(50);
        Assert.False(disposing.IsCompleted); // disposal waits for the write in progress and the list behind it
        held.Release();

        Assert.Equal(3, (await queued).Count);
        await disposing;
        Assert.Equal(2, (await leader).Count);
        using var catalog = _library.Open();
        Assert.Equal(["lead", "queued"], catalog.ReadImpressions().Select(i => i.Impression.RequestId).Distinct().Order().ToArray());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.AppendAsync(List("late", 1)));
    }

    [Fact]
    public void AfterDisposalNothingIsAppended()
    {
        var writer = new CatalogWriter(_library.Open);
        writer.Append(List("one", 1));
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.Append(List("two", 1)));
    }

    [Fact]
    public async Task FeedbackAndListsQueuedTogetherAreWrittenInTheOrderTheyCame()
    {
        using var held = new HeldWriter(_library.Open, List("lead", 1)); // what follows queues
        var (writer, leader) = (held.Writer, held.Leader);
        long track = _library.Ids[0];
        var shown = writer.AppendAsync(List("shown", 1));
        var skipped = writer.WriteAsync(c =>
        {
            long id = c.RecordFeedback("ann", track, FeedbackKind.Skip, null);
            return (id, c.AppendOutcome(new Outcome("ann", track, OutcomeKind.Skip, 12)));
        });
        var again = writer.AppendAsync(List("again", 1));
        var refused = writer.WriteAsync<long>(_ => throw new ArgumentException("refused"));
        var after = writer.AppendAsync(List("after", 1));
        Assert.Equal(5, writer.Queued);
        held.Release();

        var (feedbackId, outcome) = await skipped;
        await Assert.ThrowsAsync<ArgumentException>(() => refused);
        var ids = new[] { (await leader)[0], (await shown)[0], (await again)[0], (await after)[0] };
        Assert.Equal(ids.Order(), ids);
        // the skip's outcome came after "shown" and before "again": it is linked to the list shown before it
        Assert.Equal(ids[1], outcome.ImpressionId);
        using var catalog = _library.Open();
        Assert.Contains(catalog.FeedbackOf("ann", 10), f => f.Id == feedbackId && f.Kind == FeedbackKind.Skip);
    }

    [Fact]
    public async Task APostedListReturnsAtOnceIsWrittenInItsTurnAndAListTheStoreRefusesIsReportedNotThrown()
    {
        using var held = new HeldWriter(_library.Open, List("lead", 1)); // what follows queues
        var (writer, leader) = (held.Writer, held.Leader);
        long track = _library.Ids[1];
        var lost = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        writer.Post(List("posted", 2), lost.Add); // returns while the lead is still being written
        writer.Post(List("refused", 2, propensity: 0), lost.Add);
        var skipped = writer.WriteAsync(c => c.AppendOutcome(new Outcome("ann", track, OutcomeKind.Skip, 3)));
        var flushed = writer.FlushAsync();
        Assert.False(flushed.IsCompleted);
        Assert.Equal(4, writer.Queued);
        held.Release();

        await flushed;
        Assert.IsType<ArgumentException>(Assert.Single(lost));
        using var catalog = _library.Open();
        var shown = catalog.ReadImpressions();
        Assert.Equal(["lead", "posted", "posted"], shown.Select(i => i.Impression.RequestId));
        // the skip was queued after the posted list: it links to the posted list's showing of the track
        Assert.Equal(shown[2].Id, (await skipped).ImpressionId);
        Assert.Single(await leader);
        using var idle = new CatalogWriter(_library.Open);
        Assert.True(idle.FlushAsync().IsCompleted); // nothing queued, nothing being written: nothing to wait for
    }

    [Fact]
    public async Task ListsPostedBehindAWriteAreCommittedBeforeDisposalEnds()
    {
        var held = new HeldWriter(_library.Open, List("lead", 1));
        var lost = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        held.Writer.Post(List("a", 2), lost.Add);
        held.Writer.Post(List("b", 3), lost.Add);
        var disposing = Task.Run(held.Dispose); // releases the lead, then waits for what is queued behind it
        await disposing;
        Assert.Empty(lost);
        using var catalog = _library.Open();
        Assert.Equal(["a", "a", "b", "b", "b", "lead"], catalog.ReadImpressions().Select(i => i.Impression.RequestId).Order().ToArray());
    }

    [Fact]
    public async Task APosterWaitsOnceTheQueueIsFull()
    {
        using var held = new HeldWriter(_library.Open, List("lead", 1));
        var writer = held.Writer;
        var lost = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        for (int n = 0; n < CatalogWriter.MaxQueued; n++) writer.Post(List($"p{n}", 1), lost.Add);
        var over = Task.Run(() => writer.Post(List("over", 1), lost.Add));
        await Task.Delay(100);
        Assert.False(over.IsCompleted); // held back until the writer catches up
        held.Release();
        await over;
        await writer.FlushAsync();
        Assert.Empty(lost);
        using var catalog = _library.Open();
        Assert.Equal(CatalogWriter.MaxQueued + 2, catalog.ReadImpressions(0, 100_000).Count);
    }

    /// <summary>A writer whose first write — the leader's list — waits until <see cref="Release"/>, so the writes that
    /// follow queue behind it.</summary>
    private sealed class HeldWriter : IDisposable
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly ManualResetEventSlim _opening = new();

        public HeldWriter(Func<ICatalog> open, IReadOnlyList<Impression> lead)
        {
            bool first = true;
            Writer = new CatalogWriter(() =>
            {
                _opening.Set();
                if (first) _release.Wait(TimeSpan.FromSeconds(30));
                first = false;
                return open();
            });
            Leader = Task.Run(() => Writer.Append(lead));
            Assert.True(_opening.Wait(TimeSpan.FromSeconds(30))); // the leader took its list and is writing
        }

        public CatalogWriter Writer { get; }
        public Task<IReadOnlyList<long>> Leader { get; }

        public void Release() => _release.Set();

        public void Dispose()
        {
            _release.Set();
            Writer.Dispose();
            _release.Dispose();
            _opening.Dispose();
        }
    }
}
