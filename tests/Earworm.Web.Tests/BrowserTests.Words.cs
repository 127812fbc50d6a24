using Microsoft.Playwright;

namespace Earworm.Web.Tests;

/// <summary>The page's words: a playlist asked for in words, and a track's tags edited in the detail panel.</summary>
public sealed partial class BrowserTests
{
    [ChromiumFact]
    public async Task AskingInWordsPlaysTheMatchingTracksEachSayingWhichWordsAndTagsAreAddedAndRemoved()
    {
        var page = await Open("#keep");
        await page.FillAsync("#words", "some piano for the evening");
        await page.PressAsync("#words", "Enter");
        await page.Locator("#words-list li").First.WaitForAsync();
        var first = await page.Locator("#words-list li").First.InnerTextAsync();
        Assert.Contains("Clara Weiß", first, StringComparison.Ordinal); // the piano ballads' artist
        Assert.Contains("words: \"piano\"", first, StringComparison.Ordinal);
        Assert.Contains("\"piano\" →", await page.InnerTextAsync("#words-message"), StringComparison.Ordinal);
        await page.WaitForFunctionAsync("window.earworm.player.current() != null");
        await Shot(page, "9-ask-in-words");

        // nothing matches: said, nothing played from it
        await page.FillAsync("#words", "bagpipes");
        await page.PressAsync("#words", "Enter");
        await page.WaitForFunctionAsync("document.getElementById('words-message').textContent.includes('matches')");
        Assert.Equal(0, await page.Locator("#words-list li").CountAsync());

        // a person's tag on a track: added in the detail panel, shown, removed
        await page.GotoAsync(_url + "/#library");
        var track = library.Track("House 1");
        await page.Locator($"#tracks tbody tr[data-id='{track.Id}'] td").First.ClickAsync();
        await page.Locator("#detail .tags li").First.WaitForAsync();
        await page.FillAsync("#detail .tag-add input", "Rainy Day");
        await page.PressAsync("#detail .tag-add input", "Enter");
        await page.Locator("#detail .tags li.user", new PageLocatorOptions { HasTextString = "rainy day" }).WaitForAsync();
        await page.ClickAsync("#detail .tags li.user button");
        await page.Locator("#detail .tags li.user").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }
}
