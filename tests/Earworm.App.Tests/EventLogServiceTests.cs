using Earworm.App.Feedback;
using Earworm.App.Playlists;
using Earworm.Catalog;
using Earworm.Catalog.Import;

namespace Earworm.App.Tests;

public sealed class EventLogServiceTests : IDisposable
{
    private readonly SmallCatalog _library = new();

    public void Dispose() => _library.Dispose();

    private List<long> Ids => _library.Ids;

    private async Task ListenedAsync()
    {
        var csv = _library.File("plays.csv");
        await File.WriteAllTextAsync(csv, $"user,item,count,timestamp\nann,track:{Ids[0]},1,100\nann,track:{Ids[1]},1,200\n");
        using var catalog = _library.Open();
        catalog.Import(ImportReader.Read(ImportFormat.Csv, [csv], new ImportOptions()));
    }

    [Fact]
    public async Task WhatAListenerIsShownAndWhatTheyDoNextIsLoggedThroughTheServices()
    {
        await ListenedAsync();
        var services = _library.Services;
        var p = await services.Playlists.KeepPlayingAsync(new KeepPlayingRequest { User = "ann", Space = "audio", Length = 4, KeepOn = 2, SeedRandom = 0, NextOnly = true });
        await services.Playlists.KeepPlayingAsync(new KeepPlayingRequest { User = "ann", Space = "audio", Length = 4, Drunk = 0.5, SeedRandom = 0 });
        await services.Playlists.KeepPlayingAsync(new KeepPlayingRequest { Seeds = [Ids[0].ToString()], Space = "audio", Length = 3 });
        services.Feedback.Record(new FeedbackRequest(p.Entries[1].TrackId, FeedbackKind.Skip, "ann", "test") { PositionSeconds = 7.5 }, "ann");
        services.Feedback.Record(new FeedbackRequest(Ids[5], FeedbackKind.Play, "bob", null) { Completed = true }, "bob");

        using var catalog = _library.Open();
        var shown = catalog.ReadImpressions();
        // one list: the drunk one has no propensity to state, the anonymous one no listener
        Assert.Equal(p.Entries.Select(e => (long?)e.TrackId), shown.Select(i => i.Impression.TrackId));
        Assert.All(shown, i => Assert.Equal(("ann", "keep-playing", "greedy", "space audio", 1.0), (i.Impression.User, i.Impression.Surface, i.Impression.Policy, i.Impression.PolicyVersion, i.Impression.Propensity)));
        Assert.Equal(Enumerable.Range(0, p.Entries.Count), shown.Select(i => i.Impression.Position));
        Assert.Single(shown.Select(i => i.Impression.RequestId).Distinct());
        var outcomes = catalog.ReadOutcomes();
        Assert.Equal(2, outcomes.Count);
        Assert.Equal((new Outcome("ann", p.Entries[1].TrackId, OutcomeKind.Skip, 7.5), (long?)shown[1].Id), (outcomes[0].Outcome, outcomes[0].ImpressionId));
        Assert.Equal((new Outcome("bob", Ids[5], OutcomeKind.Complete), (long?)null), (outcomes[1].Outcome, outcomes[1].ImpressionId));
        // the feedback itself is recorded as before
        Assert.Equal(FeedbackKind.Skip, catalog.FeedbackOf("ann").First().Kind);
    }

    [Fact]
    public async Task WithLoggingOffNothingIsLogged()
    {
        await ListenedAsync();
        using var quiet = new EarwormServices(_library.Location, new ServiceOptions { EmbedWithAudioModel = false, LogEvents = false });
        var p = await quiet.Playlists.KeepPlayingAsync(new KeepPlayingRequest { User = "ann", Space = "audio", Length = 3, SeedRandom = 0 });
        quiet.Feedback.Record(new FeedbackRequest(p.Entries[^1].TrackId, FeedbackKind.Like, "ann", null), "ann");
        using var catalog = _library.Open();
        Assert.Empty(catalog.ReadImpressions());
        Assert.Empty(catalog.ReadOutcomes());
        Assert.Equal(FeedbackKind.Like, catalog.FeedbackOf("ann").Single().Kind);
    }

    [Fact]
    public void APositionThatIsNoPositionIsAUsageError() =>
        Assert.Throws<UsageException>(() => _library.Services.Feedback.Record(new FeedbackRequest(Ids[0], FeedbackKind.Skip, "ann", null) { PositionSeconds = -1 }, "ann"));
}
