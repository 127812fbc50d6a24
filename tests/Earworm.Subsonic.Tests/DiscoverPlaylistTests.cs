using System.Text.Json;
using Earworm.App;
using Earworm.App.Accounts;
using Earworm.App.Discover;
using Earworm.App.Library;
using Earworm.App.Training;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Subsonic.Library;
using Earworm.Testing;
using Earworm.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Earworm.Subsonic.Tests;

/// <summary>This week's discovery list among a listener's playlists: made by the discover service the first time the
/// week's playlists are listed, kept for the week, made anew once deleted; what the app then plays is logged against
/// the list's picks.</summary>
[Collection(ServedCollection.Name)]
public sealed class DiscoverPlaylistTests(ServedLibrary served)
{
    private const string Carol = "carol", CarolPassword = "carol's secret 7";

    [FfmpegFact]
    public async Task TheWeeksDiscoverPlaylistIsMadeOnceAndItsPlaysAreLoggedAgainstItsPicks()
    {
        // a copy of the served catalog with carol, a listener of its own (the other tests' listeners have been busy), who
        // played two artists; ten others played everything now and then; and a cf model
        using var dir = new TempDirectory("earworm-subsonic-discover-");
        var db = dir.File("catalog.db");
        CatalogCopy.Backup(served.CatalogPath, db);
        File.Copy(Path.ChangeExtension(served.CatalogPath, ".key"), Path.ChangeExtension(db, ".key")); // the accounts' password key
        List<TrackRecord> tracks;
        using (var catalog = CatalogStore.Open(db)) tracks = [.. catalog.ListTracks(TrackStatus.Analysed).OrderBy(t => t.Id)];
        var artists = tracks.Select(t => t.Artist!).Distinct().Order().ToList();
        var carols = artists.Take(2).ToHashSet();
        var plays = dir.File("plays.csv");
        File.WriteAllLines(plays, ["user,item,count",
            .. tracks.Where(t => carols.Contains(t.Artist!)).Select(t => $"{Carol},track:{t.Id},3"),
            .. Enumerable.Range(0, 10).SelectMany(u => tracks.Where((_, k) => (k + u) % 3 != 0).Select((t, k) => $"u{u},track:{t.Id},{1 + (u + k) % 4}"))]);
        var location = new CatalogLocation(db);
        new LibraryFiles(location).Import(ImportFormat.Csv, [plays], new ImportOptions());
        new AccountService(new LibraryCache(location)).Add(Carol, CarolPassword);
        new CfTraining(location).Train(new CfSettings { Factors = 4, Iterations = 5 }, force: false, new Progress<string>(), CancellationToken.None);

        var app = EarwormServer.Build([], new WebOptions { CatalogPath = db, Host = "127.0.0.1", Port = 0, EmbedWithAudioModel = false }, logging => logging.ClearProviders());
        await app.StartAsync();
        try
        {
            var baseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/");
            async Task<JsonElement> Json(string call)
            {
                var text = await served.Http.GetStringAsync(new Uri(baseUrl,
                    $"rest/{call}{(call.Contains('?', StringComparison.Ordinal) ? "&" : "?")}u={Carol}&p={Uri.EscapeDataString(CarolPassword)}&c=tests&v=1.16.1&f=json"));
                var r = JsonDocument.Parse(text).RootElement.GetProperty("subsonic-response").Clone();
                Assert.True(r.GetProperty("status").GetString() == "ok", text);
                return r;
            }
            async Task<List<JsonElement>> Weekly()
            {
                var name = DiscoverService.PlaylistName(DateTimeOffset.UtcNow);
                var lists = (await Json("getPlaylists")).GetProperty("playlists");
                return lists.TryGetProperty("playlist", out var all) ? [.. all.EnumerateArray().Where(p => p.GetProperty("name").GetString() == name)] : [];
            }

            var week = Assert.Single(await Weekly());
            string id = week.GetProperty("id").GetString()!;
            var entries = (await Json($"getPlaylist?id={id}")).GetProperty("playlist").GetProperty("entry").EnumerateArray().ToList();
            Assert.NotEmpty(entries);
            Assert.Equal(entries.Count, week.GetProperty("songCount").GetInt32());
            // by artists carol never played, each once
            var entryArtists = entries.Select(e => e.GetProperty("artist").GetString()!).ToList();
            Assert.All(entryArtists, a => Assert.DoesNotContain(a, carols));
            Assert.Equal(entryArtists.Count, entryArtists.Distinct().Count());
            // listed again the same week: the same playlist, not another
            Assert.Equal(id, Assert.Single(await Weekly()).GetProperty("id").GetString());

            // the app plays the first pick to the end: the play is logged against the list's impression of it
            long played = SubsonicIds.SongId(entries[0].GetProperty("id").GetString())!.Value;
            await Json($"scrobble?id={played}");
            using (var catalog = CatalogStore.Open(db))
            {
                var shown = catalog.ReadImpressions().Where(i => i.Impression.User == Carol).ToList();
                Assert.Equal(entries.Count, shown.Count);
                Assert.All(shown, i => Assert.Equal(DiscoverService.Surface, i.Impression.Surface));
                var play = Assert.Single(catalog.ReadOutcomes(), o => o.Outcome.User == Carol);
                Assert.Equal((played, OutcomeKind.Play), (play.Outcome.TrackId, play.Outcome.Kind));
                Assert.Equal(shown.Single(i => i.Impression.TrackId == played).Id, play.ImpressionId);
            }

            // deleted, it is made anew on request, without the track carol has played since
            await Json($"deletePlaylist?id={id}");
            var again = Assert.Single(await Weekly());
            using (var catalog = CatalogStore.Open(db))
                Assert.Equal(2, catalog.ReadImpressions().Where(i => i.Impression.User == Carol).Select(i => i.Impression.RequestId).Distinct().Count());
            var newEntries = (await Json($"getPlaylist?id={again.GetProperty("id").GetString()}")).GetProperty("playlist").GetProperty("entry").EnumerateArray();
            Assert.DoesNotContain(newEntries, e => e.GetProperty("id").GetString() == SubsonicIds.Song(played));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
