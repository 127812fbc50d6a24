namespace Earworm.Learning.Sequences;

/// <summary>
/// Cuts timed listens into sessions with their skips: a listener's listens in time order, a new session wherever two
/// consecutive listens start more than the gap apart (<see cref="Embeddings.Sessions.DefaultGap"/>, 30 minutes, by
/// default). A listen with count 0 is a skip and stays in the session, flagged. Sessions without any play (all skips)
/// are left out: they hold nothing to predict.
/// </summary>
public static class SequenceSessions
{
    /// <param name="listens">timed listens of any users (untimed ones are left out: they have no place in an order).</param>
    public static IReadOnlyList<Sequence> Cut(IEnumerable<Interaction> listens, TimeSpan? gap = null)
    {
        ArgumentNullException.ThrowIfNull(listens);
        var g = gap ?? Embeddings.Sessions.DefaultGap;
        if (g <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(gap), g, "the session gap must be positive");
        long gapSeconds = (long)Math.Floor(g.TotalSeconds);
        var sessions = new List<Sequence>();
        foreach (var user in listens.Where(l => l.TimestampUnixSeconds is not null).GroupBy(l => l.User).OrderBy(u => u.Key))
        {
            var items = new List<int>();
            var skipped = new List<bool>();
            long previous = long.MinValue;
            void Close()
            {
                if (skipped.Contains(false))
                    sessions.Add(new Sequence([.. items], skipped.Contains(true) ? [.. skipped] : null, user.Key));
                items.Clear();
                skipped.Clear();
            }
            foreach (var l in user.OrderBy(l => l.TimestampUnixSeconds!.Value)) // stable: same-second listens keep their order
            {
                long t = l.TimestampUnixSeconds!.Value;
                if (items.Count > 0 && t - previous > gapSeconds) Close();
                items.Add(l.Item);
                skipped.Add(!(l.Count > 0));
                previous = t;
            }
            Close();
        }
        return sessions;
    }
}
