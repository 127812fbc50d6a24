using System.Globalization;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.App.Discover;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Earworm.Web.Tests;

/// <summary>"For you": the listener's discovery list, each pick marked as their taste's or an exploration arm's, and
/// what they do with it reaching the event log so that the next list reacts.</summary>
public sealed partial class BrowserTests
{
    [ChromiumFact]
    public async Task ForYouMarksEachPickAndTheListenersLikeReachesTheEventLogAndTheNextList()
    {
        using var listened = new ListenedCatalog(library);
        var app = EarwormServer.Build([], new WebOptions { CatalogPath = listened.CatalogPath, Port = 0, UploadFolder = listened.UploadFolder, DefaultUser = "browser" },
            logging => logging.ClearProviders());
        await app.StartAsync();
        try
        {
            var page = await Open(app.Urls.First().TrimEnd('/'), "#foryou");
            await page.FillAsync("#foryou-user", ListenedCatalog.Listener);
            await page.Locator("#foryou-explore").FillAsync("1"); // every position the arms can fill is explored
            await page.ClickAsync("#foryou-go");
            await page.Locator("#foryou-list li").First.WaitForAsync();
            var picks = await Picks(page);
            var byId = library.Tracks.ToDictionary(t => t.Id);
            // one track per artist, none by an artist the listener played; each marked, with why and its probability
            Assert.True(picks.Count == picks.Select(p => byId[p.Id].Artist).Distinct().Count(), await page.InnerTextAsync("#view-foryou"));
            Assert.All(picks, p => Assert.DoesNotContain(p.Id, listened.Played));
            Assert.All(picks, p => Assert.DoesNotContain(byId[p.Id].Artist, new[] { "Nightbus Collective", "Elsewhere" }));
            Assert.All(picks, p => Assert.Matches("^(taste|explored · (deeper|popular|sounds-like))$", p.Mark));
            var explored = picks.First(p => p.Mark.StartsWith("explored", StringComparison.Ordinal));
            Assert.Contains("chosen with probability", await page.InnerTextAsync("#foryou-list"), StringComparison.Ordinal);
            string arm = explored.Mark["explored · ".Length..];
            Assert.Contains($"{arm}: 0 outcomes", await page.InnerTextAsync("#foryou-arms"), StringComparison.Ordinal);
            await Shot(page, "9-for-you");

            // the listener plays the explored pick and likes it: the like is theirs, logged against the pick's impression
            await page.Locator($"#foryou-list li[data-id='{explored.Id}'] button").ClickAsync();
            await page.WaitForFunctionAsync($"window.earworm.player.current()?.track.id === {explored.Id}");
            await page.ClickAsync("#like");
            // the next list reacts: the arm has its outcome, and the liked track is gone
            await page.WaitForFunctionAsync($"document.querySelector('#foryou-arms [data-arm=\"{arm}\"]')?.textContent.startsWith('{arm}: 1 outcome')",
                null, new PageWaitForFunctionOptions { Timeout = 20_000 });
            Assert.DoesNotContain(explored.Id, (await Picks(page)).Select(p => p.Id));
            using var catalog = CatalogStore.Open(listened.CatalogPath);
            var like = Assert.Single(catalog.ReadOutcomes(), o => o.Outcome.Kind == OutcomeKind.Like);
            Assert.Equal((ListenedCatalog.Listener, explored.Id), (like.Outcome.User, like.Outcome.TrackId));
            var shown = catalog.ReadImpressions().Single(i => i.Id == like.ImpressionId);
            Assert.Equal(DiscoverService.Surface, shown.Impression.Surface);
            Assert.Equal(arm, JsonDocument.Parse(shown.Impression.Context!).RootElement.GetProperty("arm").GetString());
            Assert.InRange(shown.Impression.Propensity, 1e-9, 1);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private sealed record ShownPick(long Id, string Mark);

    private static async Task<List<ShownPick>> Picks(IPage page) =>
        [.. (await page.EvaluateAsync<string[][]>("[...document.querySelectorAll('#foryou-list li')].map(li => [li.dataset.id, li.querySelector('.arm')?.textContent ?? ''])"))
            .Select(p => new ShownPick(long.Parse(p[0], CultureInfo.InvariantCulture), p[1]))];
}
