using Earworm.Mpd.Dj;
using Earworm.Mpd.Protocol;

namespace Earworm.Mpd.Tests;

public class ListeningTests
{
    [Theory]
    [InlineData(5d, 200.0, ListenOutcome.Skip)]     // before 30 s
    [InlineData(29.9d, 40.0, ListenOutcome.Skip)]   // before 30 s though past half
    [InlineData(60d, 200.0, ListenOutcome.Skip)]    // past 30 s, before half
    [InlineData(100d, 200.0, ListenOutcome.Play)]   // half
    [InlineData(11d, 12.0, ListenOutcome.Play)]     // a short song heard to its end (within the slack)
    [InlineData(8d, 12.0, ListenOutcome.Skip)]
    [InlineData(31d, null, ListenOutcome.Play)]   // a stream: only the 30 s mark
    [InlineData(10d, null, ListenOutcome.Skip)]
    public void SkipsAreSongsLeftBefore30SecondsOrHalfTheirLength(double listened, double? duration, ListenOutcome outcome) =>
        Assert.Equal(outcome, ListenRule.Judge(listened, duration));

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static MpdStatus Status(MpdPlayState state, long? id, double elapsed, double duration = 200) =>
        new(state, id is null ? null : 0, id, elapsed, duration, 3, 1, false, false, null);

    private static MpdSong Song(long id, double duration = 200) => new($"s{id}.flac", id, 0, duration, null, null);

    [Fact]
    public void ASongLeftEarlyIsASkipAndOneHeardToTheEndAPlay()
    {
        var clock = new ListeningClock();
        Assert.Null(clock.Observe(Status(MpdPlayState.Play, 1, 0), Song(1), T0));
        var left = clock.Observe(Status(MpdPlayState.Play, 2, 0), Song(2), T0.AddSeconds(12));
        Assert.NotNull(left);
        Assert.Equal(("s1.flac", 12.0, ListenOutcome.Skip), (left.File, left.ListenedSeconds, left.Outcome));
        left = clock.Observe(Status(MpdPlayState.Play, 3, 0), Song(3), T0.AddSeconds(12 + 199.5));
        Assert.Equal(ListenOutcome.Play, left!.Outcome);
        Assert.Equal(3, clock.CurrentSongId);
    }

    [Fact]
    public void PausedTimeDoesNotCount()
    {
        var clock = new ListeningClock();
        clock.Observe(Status(MpdPlayState.Play, 1, 0), Song(1), T0);
        clock.Observe(Status(MpdPlayState.Pause, 1, 20), Song(1), T0.AddSeconds(20));
        var left = clock.Observe(Status(MpdPlayState.Play, 2, 0), Song(2), T0.AddSeconds(3600));
        Assert.Equal(20, left!.ListenedSeconds);
        Assert.Equal(ListenOutcome.Skip, left.Outcome);
    }

    [Fact]
    public void ASongNeverPlayedIsNotJudgedAndAResetForgets()
    {
        var clock = new ListeningClock();
        clock.Observe(Status(MpdPlayState.Stop, 1, 0), Song(1), T0);
        Assert.Null(clock.Observe(Status(MpdPlayState.Play, 2, 0), Song(2), T0.AddSeconds(5)));
        clock.Reset();
        Assert.Null(clock.Observe(Status(MpdPlayState.Play, 3, 0), Song(3), T0.AddSeconds(9)));
        // left for no song at all after a second (the queue cleared): the listener stopped, which says nothing of it
        Assert.Null(clock.Observe(Status(MpdPlayState.Stop, null, 0), null, T0.AddSeconds(10)));
        Assert.Null(clock.CurrentSongId);
        // played to its end as the queue ran out: a play
        clock.Observe(Status(MpdPlayState.Play, 4, 0), Song(4), T0.AddSeconds(20));
        var left = clock.Observe(Status(MpdPlayState.Stop, null, 0), null, T0.AddSeconds(20 + 200));
        Assert.Equal(("s4.flac", 200.0, ListenOutcome.Play), (left!.File, left.ListenedSeconds, left.Outcome));
    }

    [Fact]
    public void SeekingForwardIsNotHearing()
    {
        var clock = new ListeningClock();
        clock.Observe(Status(MpdPlayState.Play, 1, 0, 224), Song(1, 224), T0);
        clock.Observe(Status(MpdPlayState.Play, 1, 200, 224), Song(1, 224), T0.AddSeconds(4));   // mpc seek 90%
        var left = clock.Observe(Status(MpdPlayState.Play, 2, 0), Song(2), T0.AddSeconds(14));
        Assert.Equal((14.0, 210.0, ListenOutcome.Skip), (left!.ListenedSeconds, left.PositionSeconds, left.Outcome));
        // sought to the last seconds and left to end there: heard 14 s of 224, still a skip
        clock.Observe(Status(MpdPlayState.Play, 3, 0, 224), Song(3, 224), T0.AddSeconds(20));
        clock.Observe(Status(MpdPlayState.Play, 3, 220, 224), Song(3, 224), T0.AddSeconds(30));
        Assert.Equal(ListenOutcome.Skip, clock.Observe(Status(MpdPlayState.Play, 4, 0), Song(4), T0.AddSeconds(34))!.Outcome);
        // a song the DJ first sees halfway through was heard up to there
        var late = new ListeningClock();
        late.Observe(Status(MpdPlayState.Play, 5, 150), Song(5), T0);
        Assert.Equal(ListenOutcome.Play, late.Observe(Status(MpdPlayState.Play, 6, 0), Song(6), T0.AddSeconds(10))!.Outcome);
    }

    [Fact]
    public void TheMusicDirectoryIsReadOrInferredAndUnanalysedFilesAreListed()
    {
        (long, string)[] tracks = [(1, "/srv/music/a/1.flac"), (2, "/srv/music/a/2.flac"), (3, "/srv/music/b c/3.ogg"), (4, "/elsewhere/a/1.flac")];
        string[] mpd = ["a/1.flac", "a/2.flac", "b c/3.ogg", "new/4.mp3"];
        Assert.Equal("/srv/music", MpdLibraryMap.InferMusicDirectory(mpd, tracks));
        var map = MpdLibraryMap.Build(mpd, tracks, null);
        Assert.True(map.Inferred);
        Assert.Equal(("/srv/music", 1L, 3L, "b c/3.ogg"), (map.MusicDirectory, map.TrackOf("a/1.flac")!.Value, map.TrackOf("b c/3.ogg")!.Value, map.UriOf(3)!));
        Assert.Equal(["new/4.mp3"], map.Unanalysed);
        Assert.Equal([1L, 2L, 3L], map.Playable.Order());
        var given = MpdLibraryMap.Build(mpd, tracks, "/elsewhere/");
        Assert.Equal(("/elsewhere", 4L), (given.MusicDirectory, given.TrackOf("a/1.flac")!.Value));
        Assert.False(given.Inferred);
        Assert.Equal(3, given.Unanalysed.Count);
        var none = MpdLibraryMap.Build(["x.flac"], tracks, null);
        Assert.Null(none.MusicDirectory);
        Assert.Empty(none.Playable);
    }
}
