using Earworm.Catalog;
using Earworm.Mpd.Dj;

namespace Earworm.Mpd.Tests;

public class DjSteeringTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static long _id;

    private static FeedbackRecord Listen(long track, FeedbackKind kind, int minute) => new(++_id, "me", track, kind, "mpd", T0.AddMinutes(minute));

    [Fact]
    public void RecentSkipsSteerAwayAndEverythingElseIsHistoryInOrder()
    {
        // plays 1, 2, 3, 4 with skips of 5 (before the last three plays) and of 6 and 7 (within them); 2 skipped then heard out
        var listens = new[]
        {
            Listen(1, FeedbackKind.Play, 0), Listen(2, FeedbackKind.Skip, 1), Listen(5, FeedbackKind.Skip, 2), Listen(2, FeedbackKind.Play, 3),
            Listen(6, FeedbackKind.Skip, 4), Listen(3, FeedbackKind.Play, 5), Listen(7, FeedbackKind.Skip, 6), Listen(4, FeedbackKind.Play, 7),
            Listen(9, FeedbackKind.Like, 8),
        };
        // the queue: 3 and 4 played, 8 playing, 10 queued, an unanalysed song, 7 queued again by someone
        var plan = DjSteering.Plan(listens, [3, 4, 8, null, 10, 7], keepOn: 3, inSpace: id => id != 10);
        Assert.Equal([6L, 7L], plan.Away);
        Assert.Equal([1L, 5L, 2L, 3L, 4L, 8L], plan.History);
    }

    [Fact]
    public void WithFewerPlaysThanKeepOnEverySkipSteersAway()
    {
        var plan = DjSteering.Plan([Listen(1, FeedbackKind.Skip, 0), Listen(2, FeedbackKind.Play, 1)], [2, 3], keepOn: 3, inSpace: _ => true);
        Assert.Equal([1L], plan.Away);
        Assert.Equal([2L, 3L], plan.History);
    }
}
