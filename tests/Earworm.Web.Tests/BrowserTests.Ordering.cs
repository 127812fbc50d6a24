using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Earworm.Web.Tests;

/// <summary>The page when answers come late or many: a search or sort answered after a newer one is dropped, a like
/// given while the queue refills is not lost, and a library larger than a page is read a page at a time.</summary>
public sealed partial class BrowserTests
{
    [ChromiumFact]
    public async Task ALateSearchAnswerNeverOverwritesANewerOne()
    {
        var page = await Open();
        // the answer to "house" is held back until after the answer to "subterrane" has been shown
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/tracks?*q=house*", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.FillAsync("#search", "house");
        await page.WaitForTimeoutAsync(300); // the debounce has sent "house"
        await page.FillAsync("#search", "subterrane");
        await page.WaitForFunctionAsync("document.querySelectorAll('#tracks tbody tr').length === 2");
        release.SetResult();
        await page.WaitForTimeoutAsync(800); // the late answer arrives, and must be dropped
        var artists = await page.Locator("#tracks tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(2, artists.Count);
        Assert.All(artists, a => Assert.Equal("Subterrane", a));
    }

    [ChromiumFact]
    public async Task ALikeDuringARefillIsNotLost()
    {
        var page = await Open();
        var bodies = new List<JsonElement>();
        var hold = new TaskCompletionSource();
        await page.RouteAsync("**/api/playlist/keep-playing", async route =>
        {
            var body = JsonDocument.Parse(route.Request.PostData ?? "{}").RootElement.Clone();
            lock (bodies) bodies.Add(body);
            if (body.GetProperty("liked").GetArrayLength() == 0 && bodies.Count > 1) await hold.Task; // the refill under way when the like comes
            await route.ContinueAsync();
        });
        var seed = library.Track("AmbientPad 1");
        await page.Locator($"#tracks tbody tr[data-id='{seed.Id}'] button.play-row").ClickAsync();
        await page.WaitForFunctionAsync("window.earworm.player.queue.length >= 4");
        // a refill starts and is held; the like comes while it is under way
        await page.EvaluateAsync("() => { window.earworm.player.refill(4); }"); // not awaited: it settles after the hold
        await page.WaitForFunctionAsync("window.earworm.player.running !== null");
        var liking = page.EvaluateAsync("window.earworm.player.feedback('like')");
        await page.WaitForTimeoutAsync(300);
        hold.SetResult();
        await liking;
        await page.WaitForFunctionAsync("window.earworm.player.running === null");
        JsonElement last;
        lock (bodies) last = bodies[^1];
        Assert.Contains(seed.Id, last.GetProperty("liked").EnumerateArray().Select(x => x.GetInt64()));
        // the queue after the current track is the answer to the request that knew of the like, and the held answer was dropped
        var next = await page.EvaluateAsync<long[]>("window.earworm.player.queue.slice(window.earworm.player.index + 1).map(p => p.track.id)");
        Assert.InRange(next.Length, 1, 4);
        Assert.Equal(next.Length, next.Distinct().Count());
    }

    [ChromiumFact]
    public async Task ALibraryLargerThanAPageIsReadAsTheTableScrolls()
    {
        await using var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 500 } });
        var page = await context.NewPageAsync();
        var offsets = new List<int>();
        page.Request += (_, r) =>
        {
            var query = System.Web.HttpUtility.ParseQueryString(new Uri(r.Url).Query);
            if (new Uri(r.Url).AbsolutePath == "/api/tracks" && query["limit"] == "4") lock (offsets) offsets.Add(int.Parse(query["offset"]!, CultureInfo.InvariantCulture));
        };
        await page.GotoAsync(_url + "/?page-size=4#library");
        await page.WaitForFunctionAsync("document.querySelectorAll('#tracks tbody tr').length >= 4");
        Assert.Contains($"{library.Tracks.Count} tracks", await page.InnerTextAsync("#library-count"), StringComparison.Ordinal);
        for (int i = 0; i < 20 && await page.Locator("#tracks tbody tr").CountAsync() < library.Tracks.Count; i++)
        {
            await page.EvaluateAsync("document.querySelector('.table-wrap').scrollTop = 1e9");
            await page.WaitForTimeoutAsync(200);
        }
        var ids = (await page.Locator("#tracks tbody tr").EvaluateAllAsync<long[]>("rows => rows.map(r => Number(r.dataset.id))")).ToList();
        Assert.Equal(library.Tracks.Count, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(await page.Locator("#tracks-more").IsHiddenAsync());
        lock (offsets) Assert.Equal(Enumerable.Range(0, (library.Tracks.Count + 3) / 4).Select(i => 4 * i), offsets); // a page at a time
        // a sort starts again from the first page, in its order, and the pages after it follow (they come on their own
        // while the line under the table stays in view, so the first page alone is not waited for)
        await page.ClickAsync("th[data-sort=tempo]");
        await page.WaitForFunctionAsync($$"""
            (() => {
              const bpms = [...document.querySelectorAll('#tracks tbody tr td:nth-child(6)')].map(td => Number(td.textContent));
              return bpms.length === {{library.Tracks.Count}} && bpms.every((v, i) => i === 0 || bpms[i - 1] <= v);
            })()
            """);
        var bpms = (await page.Locator("#tracks tbody tr td:nth-child(6)").AllInnerTextsAsync()).Select(double.Parse).ToList();
        Assert.Equal(library.Tracks.Count, bpms.Count);
        Assert.Equal(bpms.Order(), bpms);
    }
}
