using Earworm.Catalog;

namespace Earworm.Mpd.Dj;

/// <summary>What the next picks follow, steer away from, and must not repeat. Pure.</summary>
/// <param name="History">Tracks that steer and are never queued again, oldest first: what was listened to within the
/// history window (its plays, and skips older than the steering window), then the queue up to the current song, then
/// what is queued after it — so the last <c>keep-on</c> of them are what plays just before the next pick.</param>
/// <param name="Away">Skips within the steering window: the picks steer away from them, and never play them.</param>
public sealed record DjSteering(IReadOnlyList<long> History, IReadOnlyList<long> Away)
{
    /// <param name="listens">The listener's plays and skips within the history window (any order).</param>
    /// <param name="queue">MPD's queue as catalog tracks (null: not an analysed track), in order.</param>
    /// <param name="keepOn">How many songs steer a pick: the skips after the <paramref name="keepOn"/>-th last play steer away.</param>
    /// <param name="inSpace">Whether a track has a point in the space walked (only those can steer or be picked).</param>
    public static DjSteering Plan(IReadOnlyList<FeedbackRecord> listens, IReadOnlyList<long?> queue, int keepOn, Func<long, bool> inSpace)
    {
        ArgumentNullException.ThrowIfNull(listens);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(inSpace);
        var ordered = listens.Where(l => l.Kind is FeedbackKind.Play or FeedbackKind.Skip).OrderBy(l => l.At).ThenBy(l => l.Id).ToList();
        // a track's latest listen decides: skipped, then heard to the end, is a play
        var latest = new Dictionary<long, FeedbackRecord>();
        foreach (var l in ordered) latest[l.TrackId] = l;
        var plays = ordered.Where(l => l.Kind == FeedbackKind.Play).ToList();
        DateTimeOffset since = plays.Count >= keepOn ? plays[^keepOn].At : DateTimeOffset.MinValue;
        var away = latest.Values.Where(l => l.Kind == FeedbackKind.Skip && l.At >= since).OrderBy(l => l.At).ThenBy(l => l.Id)
            .Select(l => l.TrackId).Where(inSpace).ToList();
        var awaySet = away.ToHashSet();
        var sequence = ordered.Select(l => l.TrackId).Concat(queue.OfType<long>()).Where(id => !awaySet.Contains(id) && inSpace(id)).ToList();
        // each track once, at its last place
        var seen = new HashSet<long>();
        var history = new List<long>();
        for (int i = sequence.Count - 1; i >= 0; i--)
            if (seen.Add(sequence[i])) history.Add(sequence[i]);
        history.Reverse();
        return new DjSteering(history, away);
    }
}
