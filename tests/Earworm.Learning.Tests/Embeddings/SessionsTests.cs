using Earworm.Learning.Embeddings;

namespace Earworm.Learning.Tests.Embeddings;

public class SessionsTests
{
    private static Interaction Play(int item, long t, int user = 1) => new(user, item, 1, t);

    [Fact]
    public void ASessionEndsWhenTheGapExceedsThirtyMinutes()
    {
        var sessions = Sessions.Split([Play(1, 0), Play(2, 1800), Play(3, 3601), Play(4, 3700)]);
        Assert.Equal(2, sessions.Count);
        Assert.Equal([1, 2], sessions[0]); // exactly 30 minutes apart: same session
        Assert.Equal([3, 4], sessions[1]);
    }

    [Fact]
    public void PlaysAreOrderedByTimeAndTiesKeepTheirOrder()
    {
        var sessions = Sessions.Split([Play(5, 100), Play(3, 10), Play(4, 10), Play(6, 10_000)], TimeSpan.FromMinutes(5));
        Assert.Equal([3, 4, 5], sessions[0]);
        Assert.Equal([6], sessions[1]);
    }

    [Fact]
    public void EveryUserIsSplitApart()
    {
        var sessions = Sessions.SplitByUser([Play(1, 0, user: 2), Play(7, 5, user: 0), Play(2, 10, user: 2), Play(8, 4000, user: 0)]);
        Assert.Equal(3, sessions.Count);
        Assert.Equal([7], sessions[0]);
        Assert.Equal([8], sessions[1]);
        Assert.Equal([1, 2], sessions[2]);
    }

    [Fact]
    public void PlaysWithoutTimesOrOfSeveralUsersAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Sessions.Split([Play(1, 0), new Interaction(1, 2, 1)]));
        Assert.Throws<ArgumentException>(() => Sessions.Split([Play(1, 0), Play(2, 1, user: 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sessions.Split([Play(1, 0)], TimeSpan.FromSeconds(-1)));
        Assert.Empty(Sessions.Split([]));
    }
}
