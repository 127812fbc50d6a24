namespace Earworm.Catalog.Tests.Contract;

/// <summary>The event log (<see cref="IEventLogRepository"/>): impressions and outcomes, in order, linked, append-only.</summary>
public abstract partial class CatalogContract
{
    private static Impression Shown(string user, long track, int position, string request = "r1", double propensity = 1) =>
        new(user, request, position, track, null, "recommend", "greedy", "1", propensity, 0.5 + position, """{"count":2}""");

    [ContractFact]
    public void ImpressionsAndOutcomesAreLoggedInOrderAndLinked()
    {
        var ids = Catalog.AppendImpressions([Shown("alice", 10, 0), Shown("alice", 11, 1), new("bob", "r2", 0, null, 77, "similar", "softmax", "tau=1", 0.25)]);
        Assert.Equal(3, ids.Count);
        Assert.True(ids[0] < ids[1] && ids[1] < ids[2]);
        var later = Catalog.AppendImpressions([Shown("alice", 10, 0, "r3", 0.5)]);

        var liked = Catalog.AppendOutcome(new Outcome("alice", 10, OutcomeKind.Like));
        Assert.Equal(later[0], liked.ImpressionId); // the latest showing of the track to that listener
        var skipped = Catalog.AppendOutcome(new Outcome("alice", 11, OutcomeKind.Skip, 12.5));
        Assert.Equal(ids[1], skipped.ImpressionId);
        var found = Catalog.AppendOutcome(new Outcome("carol", 11, OutcomeKind.Play));
        Assert.Null(found.ImpressionId);

        var impressions = Catalog.ReadImpressions();
        Assert.Equal([.. ids, .. later], impressions.Select(i => i.Id));
        Assert.Equal(Shown("alice", 11, 1), impressions[1].Impression);
        Assert.Equal(new Impression("bob", "r2", 0, null, 77, "similar", "softmax", "tau=1", 0.25), impressions[2].Impression);
        Assert.Equal([ids[2], later[0]], Catalog.ReadImpressions(ids[1]).Select(i => i.Id));
        Assert.Single(Catalog.ReadImpressions(0, 1));

        var outcomes = Catalog.ReadOutcomes();
        Assert.Equal([OutcomeKind.Like, OutcomeKind.Skip, OutcomeKind.Play], outcomes.Select(o => o.Outcome.Kind));
        Assert.Equal(12.5, outcomes[1].Outcome.PositionSeconds);
        Assert.Equal(skipped, outcomes[1]);
        Assert.Empty(Catalog.ReadOutcomes(outcomes[^1].Id));
    }

    [ContractFact]
    public void AnOutcomeIsLinkedAmongTheListenersLatestImpressionsOnly()
    {
        var old = Catalog.AppendImpressions([Shown("alice", 10, 0, "old"), Shown("alice", 11, 1, "old")]);
        var others = Catalog.AppendImpressions([.. Enumerable.Range(0, 5).Select(p => Shown("bob", 10, p, "bob"))]); // another listener's
        Catalog.AppendImpressions([.. Enumerable.Range(0, OutcomeRecord.LinkWindow - 1).Select(p => Shown("alice", 1000 + p, p, "later"))]);

        // track 11 is the last impression inside alice's window; track 10 was shown just before it
        Assert.Equal(old[1], Catalog.AppendOutcome(new Outcome("alice", 11, OutcomeKind.Skip)).ImpressionId);
        Assert.Null(Catalog.AppendOutcome(new Outcome("alice", 10, OutcomeKind.Like)).ImpressionId);
        Assert.Equal(others[^1], Catalog.AppendOutcome(new Outcome("bob", 10, OutcomeKind.Play)).ImpressionId);
    }

    [ContractFact]
    public void ListsAppendedTogetherReadBackTrackByTrackFromAnyId()
    {
        // two lists in one call (the serving writer commits the lists of concurrent requests together); the second's
        // tracks have contexts of their own, one none at all
        Impression[] shown =
        [
            Shown("alice", 10, 0), Shown("alice", 11, 1),
            new("bob", "r2", 0, 20, null, "discover", "softmax", "tau=1", 0.125, null, """{"arm":"new"}"""),
            new("bob", "r2", 1, null, 21, "discover", "softmax", "tau=1", 1.0 / 3, -1.5, """{"arm":"sounds-like"}"""),
            new("bob", "r2", 2, 22, null, "discover", "softmax", "tau=1", 0.5, 2),
        ];
        var ids = Catalog.AppendImpressions(shown);
        Assert.Equal(Enumerable.Range(0, shown.Length).Select(k => ids[0] + k), ids);

        var all = Catalog.ReadImpressions();
        Assert.Equal(ids, all.Select(r => r.Id));
        Assert.Equal(shown, all.Select(r => r.Impression));
        for (int k = 0; k < ids.Count; k++)
            Assert.Equal(ids.Skip(k + 1), Catalog.ReadImpressions(ids[k]).Select(r => r.Id));
        Assert.Equal([ids[1], ids[2]], Catalog.ReadImpressions(ids[0], 2).Select(r => r.Id));
        Assert.Equal(ids[2], Catalog.AppendOutcome(new Outcome("bob", 20, OutcomeKind.Play)).ImpressionId);
        Assert.Equal(ids[4], Catalog.AppendOutcome(new Outcome("bob", 22, OutcomeKind.Skip, 4)).ImpressionId);
        Assert.Null(Catalog.AppendOutcome(new Outcome("bob", 10, OutcomeKind.Like)).ImpressionId); // shown to alice only
    }

    [ContractFact]
    public void AnImpressionWithoutAPossiblePropensityIsRefusedAndNothingOfItsListIsLogged()
    {
        Assert.Throws<ArgumentException>(() => Catalog.AppendImpressions([Shown("alice", 10, 0), Shown("alice", 11, 1, propensity: 0)]));
        Assert.Throws<ArgumentException>(() => Catalog.AppendImpressions([Shown("alice", 10, 0, propensity: 1.5)]));
        Assert.Throws<ArgumentException>(() => Catalog.AppendImpressions([new("alice", "r", 0, null, null, "recommend", "greedy", "1", 1)]));
        Assert.Throws<ArgumentException>(() => Catalog.AppendImpressions([Shown("alice", 10, -1)]));
        Assert.Empty(Catalog.ReadImpressions());
    }
}
