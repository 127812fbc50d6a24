using Earworm.Catalog;
using Earworm.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Earworm.Web.Tests;

/// <summary>
/// The page in a real browser (Debian's chromium through Playwright) against a real server on a free loopback port:
/// search, the detail panel, keep playing from a track (the audio element plays), a dropped file, the map, join the
/// dots. Each view is saved as a screenshot under screenshots/ beside the tests (and to $EARWORM_SCREENSHOTS when set).
/// </summary>
[Collection(LibraryCollection.Name)]
public sealed partial class BrowserTests(TestLibrary library) : IAsyncLifetime
{
    private WebApplication? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _url = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Browser.ExecutablePath) && Environment.GetEnvironmentVariable("CI") is null) return;
        _app = EarwormServer.Build([], new WebOptions { CatalogPath = library.CatalogPath, Port = 0, UploadFolder = library.UploadFolder, DefaultUser = "browser" },
            logging => logging.ClearProviders());
        await _app.StartAsync();
        _url = _app.Urls.First().TrimEnd('/');
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Browser.ExecutablePath, Headless = true, Args = Browser.Args,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private Task<IPage> Open(string hash = "") => Open(_url, hash);

    private async Task<IPage> Open(string url, string hash)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 860 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await page.GotoAsync(url + "/" + hash);
        await page.WaitForFunctionAsync($"document.querySelectorAll('#tracks tbody tr').length === {library.Tracks.Count}");
        Assert.Empty(errors);
        return page;
    }

    private static async Task Shot(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
        if (Environment.GetEnvironmentVariable("EARWORM_SCREENSHOTS") is { Length: > 0 } extra)
        {
            Directory.CreateDirectory(extra);
            File.Copy(file, Path.Combine(extra, name + ".png"), overwrite: true);
        }
    }

    private static Task<long> CurrentTrack(IPage page) => page.EvaluateAsync<long>("window.earworm.player.current()?.track.id ?? -1");

    [ChromiumFact]
    public async Task SearchShowsMatchesAsYouTypeAndTheDetailPanelTheDescriptors()
    {
        var page = await Open();
        await Shot(page, "1-library");
        await page.FillAsync("#search", "subterrane");
        await page.WaitForFunctionAsync("document.querySelectorAll('#tracks tbody tr').length === 2");
        var artists = await page.Locator("#tracks tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.All(artists, a => Assert.Equal("Subterrane", a));
        await page.Locator("#tracks tbody tr").First.ClickAsync();
        await page.Locator("#detail dl").WaitForAsync();
        Assert.Contains("BPM", await page.InnerTextAsync("#detail"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#detail ol li").CountAsync() > 0);
        await Shot(page, "2-library-search-detail");
        // sortable: the tempo column descending
        await page.FillAsync("#search", "");
        await page.WaitForFunctionAsync($"document.querySelectorAll('#tracks tbody tr').length === {library.Tracks.Count}");
        await page.ClickAsync("th[data-sort=tempo]");
        await page.ClickAsync("th[data-sort=tempo]");
        await page.WaitForFunctionAsync("document.querySelector('th[data-sort=tempo]').getAttribute('aria-sort') === 'descending'");
        await page.WaitForTimeoutAsync(300);
        var bpms = (await page.Locator("#tracks tbody tr td:nth-child(6)").AllInnerTextsAsync()).Select(double.Parse).ToList();
        Assert.Equal(bpms.OrderDescending(), bpms);
        // keyboard: '/' focuses the search box
        await page.Locator("body").ClickAsync(new LocatorClickOptions { Position = new Position { X = 5, Y = 400 } });
        await page.Keyboard.PressAsync("/");
        Assert.True(await page.EvaluateAsync<bool>("document.activeElement.id === 'search'"));
        // a phone-sized window: one column, the detail panel under the table
        await page.SetViewportSizeAsync(420, 860);
        await page.FillAsync("#search", "house");
        await page.WaitForFunctionAsync("document.querySelectorAll('#tracks tbody tr').length === 2");
        await Shot(page, "8-narrow");
    }

    [ChromiumFact]
    public async Task KeepPlayingFromATrackPlaysAndFeedbackSteers()
    {
        var page = await Open();
        var seed = library.Track("House 1");
        await page.Locator($"#tracks tbody tr[data-id='{seed.Id}'] button.play-row").ClickAsync();
        await page.WaitForFunctionAsync("document.getElementById('audio').currentTime > 0.5", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.Equal(seed.Id, await CurrentTrack(page));
        await page.WaitForFunctionAsync("window.earworm.player.queue.length >= 4");
        await page.GotoAsync(_url + "/#keep");
        await page.Locator("#queue li").Nth(3).WaitForAsync();
        Assert.Contains("why:", await page.InnerTextAsync("#queue"), StringComparison.Ordinal);
        await Shot(page, "3-keep-playing");

        // seek works (ranges): jump near the end, it keeps playing from there
        await page.EvaluateAsync("document.getElementById('audio').currentTime = 6");
        await page.WaitForFunctionAsync("document.getElementById('audio').currentTime > 6.2", null, new PageWaitForFunctionOptions { Timeout = 10_000 });

        // skip: recorded, the next track plays, the skipped one never comes back
        await page.ClickAsync("#skip");
        await page.WaitForFunctionAsync($"window.earworm.player.current()?.track.id !== {seed.Id}");
        using (var catalog = CatalogStore.Open(library.CatalogPath))
            Assert.Contains(catalog.FeedbackOf("browser"), f => f.TrackId == seed.Id && f.Kind == FeedbackKind.Skip);
        var later = await page.EvaluateAsync<long[]>("window.earworm.player.queue.slice(window.earworm.player.index).map(p => p.track.id)");
        Assert.DoesNotContain(seed.Id, later);

        // the drunk slider takes effect for the next picks (the queue after the current track is picked again)
        await page.Locator("#drunk").FillAsync("0.6");
        await page.WaitForFunctionAsync("window.earworm.player.queue.length > window.earworm.player.index + 1");
    }

    [ChromiumFact]
    public async Task ADroppedFileStartsAPlaylist()
    {
        var page = await Open();
        await page.SetInputFilesAsync("#upload-input", library.OutsideAudio);
        await page.WaitForFunctionAsync("window.earworm.player.mode?.upload && window.earworm.player.queue.length >= 3", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        try
        {
            await page.WaitForFunctionAsync("document.getElementById('audio').currentTime > 0.3", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            var state = await page.EvaluateAsync<string>("(a => JSON.stringify({src: a.src, paused: a.paused, t: a.currentTime, err: a.error?.message, ready: a.readyState, idx: window.earworm.player.index, n: window.earworm.player.queue.length}))(document.getElementById('audio'))");
            Assert.Fail("the audio element did not play: " + state);
        }
        Assert.Contains("your file upload.wav", await page.InnerTextAsync("#keep-seed"), StringComparison.Ordinal);
        await Shot(page, "4-dropped-file");
        Assert.Empty(Directory.EnumerateFileSystemEntries(library.UploadFolder));
    }

    [ChromiumFact]
    public async Task TheMapPlaysTheClickedPointAndDrawsThePlaylist()
    {
        var page = await Open("#map");
        await page.WaitForFunctionAsync("document.getElementById('map-info').textContent.includes('tracks')");
        var target = library.Track("PianoBallad 2");
        var at = await page.EvaluateAsync<double[]>($"window.earworm.map.position({target.Id})");
        await page.Locator("#map").ClickAsync(new LocatorClickOptions { Position = new Position { X = (float)at[0], Y = (float)at[1] } });
        await page.WaitForFunctionAsync($"window.earworm.player.current()?.track.id === {target.Id}");
        await page.WaitForFunctionAsync("window.earworm.player.queue.length >= 4");
        await page.EvaluateAsync("window.earworm.map.draw()");
        await page.Locator("#map").HoverAsync(new LocatorHoverOptions { Position = new Position { X = (float)at[0], Y = (float)at[1] } });
        Assert.Contains("PianoBallad 2", await page.InnerTextAsync("#map-tip"), StringComparison.Ordinal);
        await page.SelectOptionAsync("#map-colour", "energy");
        await Shot(page, "5-map");
        // zoom: the wheel changes where a track sits on screen
        await page.Mouse.MoveAsync((float)at[0] + 50, (float)at[1] + 50);
        await page.Mouse.WheelAsync(0, -400);
        var after = await page.EvaluateAsync<double[]>($"window.earworm.map.position({target.Id})");
        Assert.NotEqual(at[0], after[0]);
    }

    [ChromiumFact]
    public async Task JoinTheDotsBuildsAPathFromStartToEnd()
    {
        var page = await Open("#dots");
        var from = library.Track("DrumAndBass 1");
        var to = library.Track("AmbientPad 2");
        await page.FillAsync("#dots-from", $"{from.Artist} – {from.Title} #{from.Id}");
        await page.FillAsync("#dots-to", $"{to.Artist} – {to.Title} #{to.Id}");
        await page.FillAsync("#dots-length", "5");
        await page.ClickAsync("#dots-preview");
        await page.WaitForFunctionAsync("document.querySelectorAll('#dots-list li').length === 5");
        var ids = await page.EvaluateAsync<long[]>("[...document.querySelectorAll('#dots-list li')].map(li => Number(li.dataset.id))");
        Assert.Equal(from.Id, ids[0]);
        Assert.Equal(to.Id, ids[^1]);
        Assert.Equal(5, ids.Distinct().Count());
        await Shot(page, "6-join-the-dots");
        await page.ClickAsync("#dots-play");
        await page.WaitForFunctionAsync($"window.earworm.player.current()?.track.id === {from.Id} && document.getElementById('audio').currentTime > 0.2",
            null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#dots-save"));
        Assert.EndsWith(".m3u8", download.SuggestedFilename, StringComparison.Ordinal);
        await page.GotoAsync(_url + "/#map");
        await page.WaitForFunctionAsync("document.getElementById('map-info').textContent.includes('tracks')");
        await Shot(page, "7-map-with-path");
    }

    [ChromiumFact]
    public async Task TheAudioModelsMapAndADroppedFileInTheAudioSpace()
    {
        // A catalog with an audio model, its t-SNE map, and an embedder that puts any file next to PianoBallad 2.
        using var audio = new AudioCatalog(library);
        var target = library.Track("PianoBallad 2");
        audio.WriteMap(AudioCatalog.Version, library);
        var app = EarwormServer.Build([], new WebOptions { CatalogPath = audio.CatalogPath, Port = 0, UploadFolder = audio.UploadFolder, DefaultUser = "browser" },
            logging => logging.ClearProviders(), new FixedEmbedder(audio.Between(target.Id, library.Track("House 2").Id)));
        await using (app)
        {
            await app.StartAsync();
            var url = app.Urls.First().TrimEnd('/');
            var page = await Open(url, "#map");
            await page.WaitForFunctionAsync("document.getElementById('map-info').textContent.includes('tracks')");
            var info = await page.InnerTextAsync("#map-info");
            Assert.Contains("audio space · t-SNE of the audio model (trustworthiness 0.988, KL 0.432)", info, StringComparison.Ordinal);
            Assert.False(await page.IsVisibleAsync("#map-note"));
            var at = await page.EvaluateAsync<double[]>($"window.earworm.map.position({target.Id})");
            await page.Locator("#map").ClickAsync(new LocatorClickOptions { Position = new Position { X = (float)at[0], Y = (float)at[1] } });
            await page.WaitForFunctionAsync($"window.earworm.player.current()?.track.id === {target.Id}");
            await Shot(page, "9-tsne-map");

            await page.SetInputFilesAsync("#upload-input", library.OutsideAudio);
            await page.WaitForFunctionAsync("window.earworm.player.mode?.upload && window.earworm.player.queue.length >= 3", null,
                new PageWaitForFunctionOptions { Timeout = 30_000 });
            Assert.Equal(target.Id, await page.EvaluateAsync<long>("window.earworm.player.queue[0].track.id")); // nearest in the audio space
            Assert.Equal(["audio", "hybrid", "descriptors"], await page.EvaluateAsync<string[]>("window.earworm.player.mode.spaces"));
            await Shot(page, "10-file-in-audio-space");
            Assert.False(Directory.Exists(audio.UploadFolder) && Directory.EnumerateFileSystemEntries(audio.UploadFolder).Any());

            // The stale map: PCA, and the page says why.
            audio.WriteMap("audio-old-model", library);
            await page.EvaluateAsync("(async () => { location.hash = '#map'; window.earworm.map.invalidate(); await window.earworm.map.show(); })()");
            await page.WaitForFunctionAsync("document.getElementById('map-info').textContent.includes('PCA')");
            Assert.True(await page.IsVisibleAsync("#map-note"));
            Assert.Contains("audio-old-model", await page.InnerTextAsync("#map-note"), StringComparison.Ordinal);
            await Shot(page, "11-stale-map");
            await app.StopAsync();
        }
    }
}
