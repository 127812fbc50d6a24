namespace Earworm.Cluster.Tests;

public sealed class ListenerSessionTests
{
    private static readonly Dictionary<long, float[]> Vectors = new()
    {
        [1] = [1, 0],
        [2] = [0, 2],
        [3] = [-1, 0],
    };

    private static ReadOnlyMemory<float> VectorOf(long id) => Vectors.TryGetValue(id, out var v) ? v : ReadOnlyMemory<float>.Empty;

    private static ListenerEvent E(long id, long track, string kind) => new() { FeedbackId = id, TrackId = track, Kind = kind };

    [Fact]
    public void Plays_and_likes_make_the_current_vector_and_an_event_counts_once()
    {
        var s = new ListenerSession();
        Assert.True(s.Apply(E(1, 1, "play"), "audio", VectorOf));
        Assert.True(s.Apply(E(2, 2, "like"), "audio", VectorOf));
        Assert.False(s.Apply(E(2, 2, "like"), "audio", VectorOf)); // heard twice (a notification and the catch-up)
        Assert.False(s.Apply(E(1, 3, "play"), "audio", VectorOf)); // older than what the session has
        Assert.Equal([1L], s.RecentPlays);
        Assert.Equal([2L], s.Likes);
        Assert.Equal(2, s.Events);
        Assert.Equal(2, s.LastFeedbackId);
        // the unit mean of (1,0) and (0,1): each track counts alike whatever its length
        Assert.Equal(MathF.Sqrt(0.5f), s.Vector![0], 1e-5f);
        Assert.Equal(MathF.Sqrt(0.5f), s.Vector[1], 1e-5f);
    }

    [Fact]
    public void A_dislike_takes_back_a_like_and_leaves_the_vector_and_skips_are_kept_apart()
    {
        var s = new ListenerSession();
        s.Apply(E(1, 1, "like"), "audio", VectorOf);
        s.Apply(E(2, 3, "like"), "audio", VectorOf);
        s.Apply(E(3, 3, "dislike"), "audio", VectorOf);
        s.Apply(E(4, 2, "skip"), "audio", VectorOf);
        Assert.Equal([1L], s.Likes);
        Assert.Equal([3L], s.Dislikes);
        Assert.Equal([2L], s.RecentSkips);
        Assert.Equal(1f, s.Vector![0], 1e-5f);
        Assert.Throws<ArgumentException>(() => s.Apply(E(5, 1, "shout"), "audio", VectorOf));
    }

    [Fact]
    public void Only_the_last_plays_are_kept()
    {
        var s = new ListenerSession();
        for (int i = 1; i <= ListenerSession.Recent + 5; i++) s.Apply(E(i, i, "play"), null, VectorOf);
        Assert.Equal(ListenerSession.Recent, s.RecentPlays.Count);
        Assert.Equal(6L, s.RecentPlays[0]);
        Assert.Null(s.Vector);
    }
}
