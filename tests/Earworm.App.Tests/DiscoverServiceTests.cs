using System.Xml.Linq;
using Earworm.App.Discover;
using Earworm.App.Feedback;
using Earworm.App.Library;
using Earworm.App.Training;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Recommend.Personal;
using Earworm.Testing;

namespace Earworm.App.Tests;

public sealed class DiscoverServiceTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly DateTimeOffset Friday = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);

    private static void Train(CatalogLocation location) =>
        new CfTraining(location).Train(new CfSettings { Factors = 8, Iterations = 5 }, force: false, new Progress<string>(), CancellationToken.None);

    /// <summary>The six-track catalog, twelve listeners who each played four of its tracks by name (u1: tracks 0, 1, 3 and
    /// 4, so artists 2 and 5 are new to them), and a cf model.</summary>
    private static (CatalogLocation Location, List<long> Ids) SixTracksTwelveListeners(TempDirectory dir)
    {
        var location = new CatalogLocation(dir.File("catalog.db"));
        List<long> ids;
        using (var fill = location.Open()) ids = SixTrackCatalog.Fill(fill);
        var plays = dir.File("plays.csv");
        File.WriteAllLines(plays, ["user,item,count,artist,title",
            .. Enumerable.Range(0, 12).SelectMany(u => Enumerable.Range(0, 6).Where(t => (t + u) % 3 != 0)
                .Select(t => $"u{u},x{t},{1 + (u + t) % 4},Artist {t},Title {t}"))]);
        new LibraryFiles(location).Import(ImportFormat.Csv, [plays], new ImportOptions());
        Train(location);
        return (location, ids);
    }

    [Fact]
    public void ALastFmListenerGetsArtistsTheyNeverPlayedLoggedWithPropensitiesAndTheBanditLearnsFromOutcomes()
    {
        using var dir = new TempDirectory();
        var location = new CatalogLocation(dir.File("catalog.db"));
        new LibraryFiles(location).Import(ImportFormat.LastFm2k, [TestData.FixtureDir("lastfm-2k-sample")], new ImportOptions());
        Train(location);
        string user;
        HashSet<string> played;
        using (var catalog = location.Open())
        {
            var items = catalog.LoadItems();
            var byUser = catalog.LoadListening().GroupBy(r => r.UserId).OrderByDescending(g => g.Count()).First();
            user = catalog.ListUsers().Single(u => u.Id == byUser.Key).Name;
            played = byUser.Select(r => MatchText.Fold(items[r.ItemId].Artist!)).ToHashSet();
        }
        using var services = new EarwormServices(location, new ServiceOptions { EmbedWithAudioModel = false });
        var result = services.Discover.Discover(new DiscoverRequest(user, new DiscoverOptions(Count: 15, Explore: 0.3), RandomSeed: 3));

        Assert.Equal(15, result.Items.Count);
        Assert.Equal(15, result.NewArtists);
        Assert.Equal(15, result.Items.Select(i => i.Artist).Distinct().Count());
        Assert.All(result.Items, i => Assert.DoesNotContain(i.Artist!, played));
        Assert.Contains(result.Items, i => i.Arm is not null);
        Assert.All(result.Items.Where(i => i.Arm is null), i => Assert.Equal(0.7, i.Propensity, 12));
        Assert.All(result.Items.Where(i => i.Arm is not null), i => Assert.InRange(i.Propensity, 1e-6, 0.3));

        // without audio files there is no playlist to save, but the list can be written by artist and title
        services.Discover.Export(result, dir.File("discover.xspf"));
        XNamespace ns = "http://xspf.org/ns/0/";
        var tracks = XDocument.Load(dir.File("discover.xspf")).Descendants(ns + "track").ToList();
        Assert.Equal(result.Items.Select(i => i.Why), tracks.Select(t => (string?)t.Element(ns + "annotation")));
        Assert.All(tracks, t => Assert.Equal((true, false), (t.Element(ns + "creator") is not null, t.Element(ns + "location") is not null))); // Last.fm 2K's items are artists
        Assert.Equal(result.Items.Select(i => MatchText.Fold(i.Artist!)), tracks.Select(t => MatchText.Fold(t.Element(ns + "creator")!.Value)));
        Assert.Throws<UsageException>(() => services.Discover.Export(result, dir.File("discover.m3u8")));

        using (var catalog = location.Open())
        {
            var shown = catalog.ReadImpressions();
            Assert.Equal(result.Items.Select(i => (i.Item.ItemId, i.Propensity)), shown.Select(s => (s.Impression.ItemId, s.Impression.Propensity)));
            Assert.All(shown, s => Assert.Equal((user, DiscoverService.Surface, DiscoverService.Policy), (s.Impression.User, s.Impression.Surface, s.Impression.Policy)));
            Assert.Equal(Enumerable.Range(0, 15), shown.Select(s => s.Impression.Position));

            // a listener liked three tracks the popular arm showed and skipped two of the deeper arm's
            var ids = catalog.AppendImpressions([.. Enumerable.Range(0, 5).Select(k => new Impression(user, "older", k, 1000 + k, null, DiscoverService.Surface,
                DiscoverService.Policy, "1", 0.1, null, k < 3 ? """{"arm":"popular"}""" : """{"arm":"deeper"}"""))]);
            for (int k = 0; k < 5; k++) catalog.AppendOutcome(new Outcome(user, 1000 + k, k < 3 ? OutcomeKind.Like : OutcomeKind.Skip, k < 3 ? null : 5));
        }
        var next = services.Discover.Discover(new DiscoverRequest(user, new DiscoverOptions(Count: 5), RandomSeed: 4));
        var arms = next.Arms.ToDictionary(a => a.Name);
        Assert.Equal((4.0, 1.0, 3), (arms["popular"].Alpha, arms["popular"].Beta, arms["popular"].Outcomes));
        Assert.Equal((1.0, 3.0, 2), (arms["deeper"].Alpha, arms["deeper"].Beta, arms["deeper"].Outcomes));
        Assert.Equal(0, arms["sounds-like"].Candidates); // no audio in this catalog
    }

    [Fact]
    public void SaveKeepsTheWeeksPlaylistOfLibraryTracksAndReplacesItTheSameWeek()
    {
        using var dir = new TempDirectory();
        var (location, ids) = SixTracksTwelveListeners(dir);
        var library = new LibraryCache(location);
        var discover = new DiscoverService(library, null, new FixedClock(Friday));

        // u1 played tracks 0, 1, 3 and 4: artists 2 and 5 are new to them
        var first = discover.Discover(new DiscoverRequest("u1", new DiscoverOptions(Count: 5, Explore: 0), Save: true));
        Assert.Equal("Discover 2026-W49", first.PlaylistName);
        Assert.Equal([ids[2], ids[5]], first.Items.Select(i => i.Item.TrackId!.Value).Order());
        Assert.Contains(first.Notes, n => n.Important && n.Text.StartsWith("2 of 5", StringComparison.Ordinal));
        var again = discover.Discover(new DiscoverRequest("u1", new DiscoverOptions(Count: 1, Explore: 0), Save: true));
        Assert.Equal(first.SavedPlaylistId, again.SavedPlaylistId);
        using var catalog = location.Open();
        var saved = Assert.Single(catalog.PlaylistsOf("u1"));
        Assert.Equal(("Discover 2026-W49", 1), (saved.Name, saved.TrackIds.Count));
        Assert.Equal(again.Items[0].Item.TrackId, saved.TrackIds[0]);
        Assert.Equal("Discover 2027-W01", DiscoverService.PlaylistName(new DateTimeOffset(2027, 1, 4, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void AListenersLikeMovesTheContextualBanditAtOnceForTheArmThatShowedThePickAlone()
    {
        using var dir = new TempDirectory();
        var (location, _) = SixTracksTwelveListeners(dir);
        using var services = new EarwormServices(location, new ServiceOptions { EmbedWithAudioModel = false, Time = new FixedClock(Friday) });
        var request = new DiscoverRequest("u1", new DiscoverOptions(Count: 2, Explore: 1), LibraryOnly: true, RandomSeed: 1);

        // u1 has two new artists: one taste pick, one explored (explore = 1), logged with the features the bandit saw
        var first = services.Discover.Discover(request);
        var explored = Assert.Single(first.Items, i => i.Arm is not null);
        int arm = DiscoverService.Arms.Select(a => a.Name).ToList().IndexOf(explored.Arm!);
        double[] x;
        using (var catalog = location.Open())
        {
            var shown = catalog.ReadImpressions().Single(i => i.Impression.TrackId == explored.Item.TrackId);
            using var context = System.Text.Json.JsonDocument.Parse(shown.Impression.Context!);
            x = [.. context.RootElement.GetProperty("x").EnumerateArray().Select(v => v.GetDouble())];
        }
        Assert.Equal(explored.Features!.Select(v => Math.Round(v, 4)), x);
        Assert.Equal(DiscoverFeatures.Count, x.Length);
        Assert.Equal(0, services.Discover.Learner.Estimate(arm, x));

        // the like is learnt before the next list: ridge regression on one observation, θ = x / (1 + |x|²), so θᵀx = |x|² / (1 + |x|²)
        services.Feedback.Record(new FeedbackRequest(explored.Item.TrackId!.Value, FeedbackKind.Like, "u1", null), "u1");
        var second = services.Discover.Discover(request with { RandomSeed = 2 });
        double norm2 = x.Sum(v => v * v);
        Assert.Equal(norm2 / (1 + norm2), services.Discover.Learner.Estimate(arm, x), 9);
        Assert.Equal(1, second.Arms[arm].Outcomes);
        // one block per arm: the other arms learnt nothing
        foreach (int other in Enumerable.Range(0, DiscoverService.Arms.Count).Where(k => k != arm))
            Assert.Equal(0, services.Discover.Learner.Estimate(other, x));
        // the log is read from where the last list left it: a third list learns nothing twice
        services.Discover.Discover(request with { RandomSeed = 3 });
        Assert.Equal(norm2 / (1 + norm2), services.Discover.Learner.Estimate(arm, x), 9);
    }

    [Theory]
    [InlineData("", 30, 0.2)]
    [InlineData("u1", 0, 0.2)]
    [InlineData("u1", 30, 1.5)]
    public void BadRequestsAreUsageErrors(string user, int count, double explore) =>
        Assert.Throws<UsageException>(() => new DiscoverRequest(user, new DiscoverOptions(count, explore)).Validated());
}
