namespace Earworm.Learning.Embeddings;

/// <summary>
/// Cuts listening histories into sessions, the "sentences" track2vec learns from: a user's plays
/// in time order, with a new session wherever two consecutive plays are more than a gap apart.
/// Each interaction is one play (its count is not used); plays at the same second keep their input order.
/// </summary>
public static class Sessions
{
    /// <summary>The usual cut in listening-session studies: 30 minutes.</summary>
    public static TimeSpan DefaultGap { get; } = TimeSpan.FromMinutes(30);

    /// <summary>One user's plays (any order) as sessions of item ids, earliest first.</summary>
    /// <param name="gap">a session ends when the next play starts more than this later; default <see cref="DefaultGap"/>.</param>
    /// <exception cref="ArgumentException">a play without a timestamp, or plays of more than one user.</exception>
    public static IReadOnlyList<int[]> Split(IEnumerable<Interaction> plays, TimeSpan? gap = null)
    {
        ArgumentNullException.ThrowIfNull(plays);
        long gapSeconds = GapSeconds(gap);
        var list = plays.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].TimestampUnixSeconds is null)
                throw new ArgumentException($"play {i} (user {list[i].User}, item {list[i].Item}) has no timestamp.", nameof(plays));
            if (list[i].User != list[0].User)
                throw new ArgumentException($"play {i} is of user {list[i].User}, play 0 of user {list[0].User}: split one user at a time, or use SplitByUser.", nameof(plays));
        }
        var ordered = list.OrderBy(x => x.TimestampUnixSeconds!.Value).ToList(); // stable
        var sessions = new List<int[]>();
        var current = new List<int>();
        long previous = long.MinValue;
        foreach (var play in ordered)
        {
            long t = play.TimestampUnixSeconds!.Value;
            if (current.Count > 0 && t - previous > gapSeconds)
            {
                sessions.Add([.. current]);
                current.Clear();
            }
            current.Add(play.Item);
            previous = t;
        }
        if (current.Count > 0) sessions.Add([.. current]);
        return sessions;
    }

    /// <summary>Everyone's sessions: users in ascending id order, each user's sessions earliest first.</summary>
    public static IReadOnlyList<int[]> SplitByUser(IEnumerable<Interaction> plays, TimeSpan? gap = null)
    {
        ArgumentNullException.ThrowIfNull(plays);
        GapSeconds(gap);
        var sessions = new List<int[]>();
        foreach (var user in plays.GroupBy(x => x.User).OrderBy(g => g.Key))
            sessions.AddRange(Split(user, gap));
        return sessions;
    }

    private static long GapSeconds(TimeSpan? gap)
    {
        var g = gap ?? DefaultGap;
        if (g < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(gap), g, "the gap must not be negative");
        return (long)Math.Floor(g.TotalSeconds);
    }
}
