using System.Collections.Concurrent;
using System.Diagnostics;
using Earworm.App;
using Earworm.App.Feedback;
using Earworm.Catalog;
using Earworm.Mpd.Dj;
using Earworm.Mpd.Protocol;
using Earworm.Testing;
using Xunit.Abstractions;

namespace Earworm.Mpd.Tests;

/// <summary>The auto-DJ against Debian's mpd playing the synthesised library in real time (null output).</summary>
[Collection(DjCollection.Name)]
public sealed class AutoDjTests(DjLibrary library, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("earworm-mpd-");
    private readonly ConcurrentQueue<DjEvent> _events = new();
    private MpdServer? _mpd;
    private EarwormServices? _services;
    private CancellationTokenSource? _stop;
    private Task? _dj;

    private MpdServer Mpd => _mpd!;
    private EarwormServices Services => _services!;

    public async Task InitializeAsync()
    {
        if (MpdServer.SkipReason() is not null) return;
        _mpd = await MpdServer.StartAsync(_dir.Path, library.MusicDirectory);
        _services = new EarwormServices(new CatalogLocation(library.CatalogPath), new ServiceOptions { EmbedWithAudioModel = false });
    }

    public async Task DisposeAsync()
    {
        if (_stop is not null) await _stop.CancelAsync();
        if (_dj is not null) await Task.WhenAny(_dj, Task.Delay(5000));
        foreach (var e in _events) output.WriteLine($"{e.At:HH:mm:ss.fff} {e.Kind,-9} {e.Message}");
        if (_mpd is not null) await _mpd.DisposeAsync();
        _services?.Dispose();
        _stop?.Dispose();
        _dir.Dispose();
    }

    private void StartDj(string user, int queueLength = 2, MpdAddress? address = null)
    {
        _stop = new CancellationTokenSource();
        var dj = new AutoDj(Services, new DjOptions
        {
            Address = address ?? Mpd.Address, QueueLength = queueLength, User = user, Space = "descriptors",
            FirstReconnectDelay = TimeSpan.FromMilliseconds(200), MaxReconnectDelay = TimeSpan.FromSeconds(1),
        }, new InlineProgress<DjEvent>(_events.Enqueue));
        _dj = Task.Run(() => dj.RunAsync(_stop.Token));
    }

    /// <summary>Polls MPD's queue until <paramref name="done"/> holds; fails after <paramref name="within"/>.</summary>
    private async Task<IReadOnlyList<MpdSong>> WaitForQueueAsync(MpdClient client, Func<MpdStatus, IReadOnlyList<MpdSong>, bool> done, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await client.StatusAsync();
            var queue = await client.QueueAsync();
            if (done(status, queue)) return queue;
            if (_dj is { IsFaulted: true }) await _dj;
            Assert.True(clock.Elapsed < within, $"MPD's queue did not get there within {within.TotalSeconds} s: {string.Join(", ", queue.Select(s => s.File))}");
            await Task.Delay(25);
        }
    }

    private static int Upcoming(MpdStatus status, IReadOnlyList<MpdSong> queue) => queue.Count - (status.SongPosition ?? -1) - 1;

    private async Task<MpdClient> PlayAsync(string uri)
    {
        var client = await Mpd.ConnectAsync();
        await client.ClearAsync();
        await client.AddAsync(uri);
        await client.PlayAsync(0);
        return client;
    }

    private string Seed => library.ByUri.Keys.Order(StringComparer.Ordinal).First(u => u.StartsWith("house", StringComparison.Ordinal));

    [MpdFact]
    public async Task WithOneSongPlayingTheQueueHoldsQueueLengthMoreWithinTwoSeconds()
    {
        await using var client = await PlayAsync(Seed);
        var clock = Stopwatch.StartNew();
        StartDj("fill", queueLength: 2);
        var queue = await WaitForQueueAsync(client, (s, q) => Upcoming(s, q) >= 2, TimeSpan.FromSeconds(2));
        output.WriteLine($"queue filled in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(3, queue.Count);
        Assert.Equal(Seed, queue[0].File);
        Assert.All(queue.Skip(1), s => Assert.True(library.ByUri.ContainsKey(s.File), $"{s.File} is not an analysed track"));
        Assert.Equal(3, queue.Select(s => s.File).Distinct().Count());
        // the file MPD has that Earworm has not analysed is passed over, with a note
        Assert.Contains(_events, e => e.Kind == "note" && e.Message.Contains("not analysed", StringComparison.Ordinal));
        Assert.Contains(_events, e => e.Kind == "connected");
    }

    [MpdFact]
    public async Task AQueueTheListenerClearsStaysEmptyAndIsNoSkipUntilSomethingPlays()
    {
        const string user = "clearer";
        await using var client = await PlayAsync(Seed);
        StartDj(user, queueLength: 2);
        await WaitForQueueAsync(client, (s, q) => Upcoming(s, q) >= 2, TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        await Mpd.MpcAsync("clear");   // left after half a second for nothing: not a skip, and the queue stays empty
        var clock = Stopwatch.StartNew();
        while (!_events.Any(e => e.Kind == "waiting") && clock.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(25);
        await Task.Delay(1000);
        Assert.Empty(await client.QueueAsync());
        Assert.DoesNotContain(FeedbackOf(user), f => f.Kind == FeedbackKind.Skip);
        Assert.Contains(_events, e => e.Kind == "waiting" && e.Message.Contains("cleared", StringComparison.Ordinal));
        // the listener plays a song again: the DJ keeps going
        await client.AddAsync(Seed);
        await client.PlayAsync(0);
        await WaitForQueueAsync(client, (s, q) => Upcoming(s, q) >= 2, TimeSpan.FromSeconds(5));
    }

    [MpdFact]
    public async Task TwoSkipsSteerTheNextPicksAwayFromTheSkippedSongs()
    {
        const string user = "skipper";
        await using var client = await PlayAsync(Seed);
        StartDj(user, queueLength: 2);
        var first = await WaitForQueueAsync(client, (s, q) => Upcoming(s, q) >= 2, TimeSpan.FromSeconds(5));
        long a = library.ByUri[first[0].File].Id, b = library.ByUri[first[1].File].Id, c = library.ByUri[first[2].File].Id;
        // skip A after a second, then B after a second, with mpc's "next"
        await Task.Delay(1000);
        await Mpd.MpcAsync("next");
        await WaitForQueueAsync(client, (s, q) => s.SongPosition == 1 && Upcoming(s, q) >= 2 && q[2].File != first[2].File, TimeSpan.FromSeconds(5));
        await Task.Delay(1000);
        await Mpd.MpcAsync("next");
        var after = await WaitForQueueAsync(client, (s, q) => s.SongPosition == 2 && Upcoming(s, q) >= 2 && FeedbackOf(user).Count(f => f.Kind == FeedbackKind.Skip) == 2,
            TimeSpan.FromSeconds(5));

        var skips = FeedbackOf(user).Where(f => f.Kind == FeedbackKind.Skip).Select(f => f.TrackId).Order().ToList();
        Assert.Equal(new[] { a, b }.Order(), skips);
        var space = Services.Library.Current.Space("descriptors").Vectors;
        double Distance(long x, long y) => -space.Similarity(space.VectorOf(x), space.VectorOf(y)); // Euclidean: similarity is −distance
        // before the skips, the picks followed A; after them, they are picked away from A and B
        double before = Distance(b, a);
        var picks = after.Skip(3).Select(s => library.ByUri[s.File].Id).ToList();
        double afterMean = picks.Average(p => (Distance(p, a) + Distance(p, b)) / 2);
        output.WriteLine($"distance to the skipped songs: B to A {before:0.00} (pick before the skips), C to A {Distance(c, a):0.00}; after two skips the picks are at {afterMean:0.00}");
        Assert.All(picks, p => Assert.DoesNotContain(p, new[] { a, b }));
        Assert.True(afterMean > Math.Max(before, Distance(c, a)), $"the picks after the skips ({afterMean:0.00}) should lie farther from the skipped songs than the picks that followed A ({before:0.00}, {Distance(c, a):0.00})");
    }

    [MpdFact]
    public async Task ReconnectsAfterMpdRestartsAndKeepsTheQueueFilled()
    {
        await using (var client = await PlayAsync(Seed))
        {
            StartDj("restart", queueLength: 2);
            await WaitForQueueAsync(client, (s, q) => Upcoming(s, q) >= 2, TimeSpan.FromSeconds(5));
        }
        await Mpd.RestartAsync(TimeSpan.FromSeconds(1));
        await using var again = await Mpd.ConnectAsync();
        // after the restart the picks waiting are taken out: the DJ must queue new ones
        var status = await again.StatusAsync();
        foreach (var s in (await again.QueueAsync()).Skip((status.SongPosition ?? 0) + 1)) await again.DeleteAsync(s.Id!.Value);
        await WaitForQueueAsync(again, (s, q) => Upcoming(s, q) >= 2, TimeSpan.FromSeconds(10));
        Assert.Contains(_events, e => e.Kind == "lost");
        Assert.Contains(_events, e => e.Kind == "connected" && e.Message.StartsWith("reconnected", StringComparison.Ordinal));
    }

    [MpdFact]
    public async Task NeverQueuesWhatWasPlayedWithinTheHistoryWindowOrIsQueued()
    {
        const string user = "history";
        // the four tracks nearest the seed were played earlier today
        var space = Services.Library.Current.Space("descriptors").Vectors;
        long seed = library.ByUri[Seed].Id;
        var played = library.ByUri.Values.Where(t => t.Id != seed)
            .OrderByDescending(t => space.Similarity(space.VectorOf(seed), space.VectorOf(t.Id))).Take(4).Select(t => t.Id).ToList();
        foreach (var id in played) Services.Feedback.Record(new FeedbackRequest(id, FeedbackKind.Play, user, "test"), user);

        await using var client = await PlayAsync(Seed);
        StartDj(user, queueLength: 3);
        await WaitForQueueAsync(client, (s, q) => Upcoming(s, q) >= 3, TimeSpan.FromSeconds(5));
        // two skips: the DJ picks again twice
        for (int i = 1; i <= 2; i++)
        {
            await client.NextAsync();
            int position = i;
            await WaitForQueueAsync(client, (s, q) => s.SongPosition == position && Upcoming(s, q) >= 3, TimeSpan.FromSeconds(5));
        }
        // three picks, then at least one new one after each skip (a waiting pick picked again stays); the log line comes
        // just after MPD has the song
        var clock = Stopwatch.StartNew();
        while (_events.Count(e => e.Kind == "queued") < 5 && clock.Elapsed < TimeSpan.FromSeconds(2)) await Task.Delay(20);
        var queued = _events.Where(e => e.Kind == "queued").Select(e => e.TrackId!.Value).ToList();
        Assert.True(queued.Count >= 5, $"{queued.Count} picks");
        Assert.Empty(queued.Intersect(played));
        Assert.DoesNotContain(seed, queued);
        // the two songs skipped are never queued again
        var skipped = FeedbackOf(user).Where(f => f.Kind == FeedbackKind.Skip).Select(f => f.TrackId).ToList();
        Assert.Equal(2, skipped.Count);
        var queuedAfterSkips = _events.SkipWhile(e => e.Kind != "skip").Where(e => e.Kind == "queued").Select(e => e.TrackId!.Value);
        Assert.Empty(queuedAfterSkips.Intersect(skipped));
    }

    [MpdFact]
    public async Task ReadsTheMusicDirectoryOnTheLocalSocket()
    {
        await using var client = await PlayAsync(Seed);
        StartDj("socket", queueLength: 1, address: Mpd.Socket);
        await WaitForQueueAsync(client, (s, q) => Upcoming(s, q) >= 1, TimeSpan.FromSeconds(5));
        Assert.Contains(_events, e => e.Kind == "note" && e.Message.Contains("read from MPD", StringComparison.Ordinal));
    }

    private IReadOnlyList<FeedbackRecord> FeedbackOf(string user) => Services.Library.WithCatalog(c => c.FeedbackOf(user));
}
