using Earworm.App.Library;
using Earworm.App.Recommendations;
using Earworm.App.Similar;
using Earworm.App.Training;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Catalog.Scanning;
using Earworm.Recommend.Personal;
using Earworm.Testing;

namespace Earworm.App.Tests;

/// <summary>The services over a catalog on a PostgreSQL server (<c>--db postgresql://…</c>): the same verbs, the same
/// answers as over a file; the server's local files under the home folder it is given.</summary>
public sealed class PostgresCatalogServicesTests
{
    [Fact]
    public void AServerAddressNamesTheServerAndKeepsItsFilesUnderTheHome()
    {
        var location = new CatalogLocation("postgresql://alice:s3cret@db.example:6543/music", home: "/srv/earworm");
        Assert.Equal("postgresql://alice@db.example:6543/music", location.Name); // never the password
        Assert.Equal("/srv/earworm/postgresql/db.example-6543-music/catalog.models", location.ModelFolder);
        Assert.True(location.Exists);
        Assert.Equal(5432, new CatalogLocation("postgres://bob@localhost/music").Server!.Port);
        Assert.Throws<CatalogException>(() => new CatalogLocation("postgresql://bob@localhost:5432/"));
        Assert.Throws<CatalogException>(() => new CatalogLocation("postgresql://bob@localhost/music?sslmode=require"));
        Assert.Null(new CatalogLocation("/tmp/catalog.db").Server);
    }

    [PostgresFact]
    public async Task ImportTrainRecommendAndSimilarWorkOnTheServer()
    {
        using var home = new TempDirectory();
        var location = new CatalogLocation(PostgresServer.Instance.NewDatabase().ToString(), home.Path);
        List<long> ids;
        using (var catalog = location.Open()) ids = SixTrackCatalog.Fill(catalog);
        var plays = home.File("plays.csv");
        File.WriteAllLines(plays, ["user,item,count,artist,title",
            .. Enumerable.Range(0, 12).SelectMany(u => Enumerable.Range(0, 6).Where(t => (t + u) % 3 != 0)
                .Select(t => $"u{u},x{t},{1 + (u + t) % 4},Artist {t},Title {t}"))]);
        var imported = new LibraryFiles(location).Import(ImportFormat.Csv, [plays], new ImportOptions());
        Assert.Equal(6, imported.Files[0].ItemsMatched);

        var trained = new CfTraining(location).Train(new CfSettings { Factors = 4, Iterations = 5 }, force: false, new Progress<string>(), CancellationToken.None);
        Assert.True(File.Exists(trained.File));
        Assert.StartsWith(location.ModelFolder, trained.File, StringComparison.Ordinal);

        using var services = new EarwormServices(location, new ServiceOptions { EmbedWithAudioModel = false });
        var mine = services.Recommendations.Recommend(new RecommendRequest("u1", [], new PersonalOptions(Count: 3)));
        Assert.NotEmpty(mine.Items);
        Assert.All(mine.Items, i => Assert.Contains(i.TrackId!.Value, ids));
        var near = await services.Similar.FindAsync(new SimilarRequest { Track = ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture), Space = "audio", Count = 2 });
        Assert.Equal([ids[1], ids[2]], near.Results.Select(r => r.Track.Id)); // the arc: nearest first
    }

    [PostgresFact]
    public void ListeningLeavesTheViewAndALibraryChangeReplacesItOnTheServer()
    {
        using var home = new TempDirectory();
        var location = new CatalogLocation(PostgresServer.Instance.NewDatabase().ToString(), home.Path);
        List<long> ids;
        using (var catalog = location.Open()) ids = SixTrackCatalog.Fill(catalog);
        var time = new ManualClock();
        var cache = new LibraryCache(location, time);
        var view = cache.Current;
        long changes = cache.Changes;
        using (var catalog = location.Open()) catalog.RecordFeedback("me", ids[0], FeedbackKind.Play);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Same(view, cache.Current); // a play leaves the library's view…
        Assert.Equal(changes + 1, cache.Changes); // …but counts as a change (the server's write-ahead log moved)
        using (var catalog = location.Open()) catalog.RecordSkipped([new SkippedFile("/m/cover.jpg", 5, 1, "not audio")], ["/m"]);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotSame(view, cache.Current);
    }
}
