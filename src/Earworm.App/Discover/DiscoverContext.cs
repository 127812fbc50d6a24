using Earworm.App.Library;
using Earworm.Catalog;
using Earworm.Learning.Numerics;
using Earworm.Recommend.Personal;
using Earworm.Recommend.Spaces;

namespace Earworm.App.Discover;

/// <summary>
/// The context of one discovery list as the bandit sees it (<see cref="DiscoverFeatures"/>): the candidates' taste
/// scores (for the z-score), listeners per item, the library tracks' analysis times, and the listener's recent tracks
/// in the library's sound space — audio, else hybrid, else descriptors — for "sounds like" and its explanation.
/// </summary>
internal sealed class DiscoverContext
{
    private const int Recent = 20;
    private const double FreshDays = 30;

    private readonly IReadOnlyDictionary<long, ItemInfo> _items;
    private readonly IReadOnlyDictionary<long, int> _listeners;
    private readonly LibraryView _view;
    private readonly LibrarySpace? _space;
    private readonly List<(long Track, float[] Unit)> _recent = [];
    private readonly float[]? _centroid;
    private readonly double _mean, _sd, _logMaxListeners;

    public DiscoverContext(ICatalog catalog, LibraryView view, string user, IReadOnlyDictionary<long, ItemInfo> items,
        IReadOnlyDictionary<long, int> listeners, IReadOnlyList<DiscoverCandidate> ranked, DateTimeOffset at)
    {
        (_items, _listeners, _view, At) = (items, listeners, view, at);
        _mean = ranked.Count > 0 ? ranked.Average(c => (double)c.Score) : 0;
        _sd = ranked.Count > 1 ? Math.Sqrt(ranked.Sum(c => (c.Score - _mean) * (c.Score - _mean)) / (ranked.Count - 1)) : 0;
        _logMaxListeners = Math.Log(1 + (listeners.Count > 0 ? listeners.Values.Max() : 0));
        var name = new[] { SpaceService.Audio, "hybrid", "descriptors" }.FirstOrDefault(view.AvailableSpaces.Contains);
        if (name is null) return;
        _space = view.Space(name);
        foreach (var t in catalog.RecentTracksOf(user, Recent))
            if (_space.Vector(t) is { } v && VectorNorm.TryUnit(v) is { } unit) _recent.Add((t, unit));
        if (_recent.Count == 0) return;
        var sum = new float[_recent[0].Unit.Length];
        foreach (var (_, u) in _recent)
            for (int k = 0; k < sum.Length; k++) sum[k] += u[k];
        _centroid = VectorNorm.TryUnit(sum);
    }

    public DateTimeOffset At { get; }

    /// <summary>The sound space the "sounds like" feature is measured in; null when the library has none.</summary>
    public string? SpaceName => _space?.Name;

    /// <summary>The features of a candidate (<see cref="DiscoverFeatures"/>).</summary>
    public double[] Features(DiscoverCandidate c)
    {
        long key = c.Candidate.Key;
        double taste = _sd > 0 ? (c.Score - _mean) / _sd : 0;
        double popularity = _logMaxListeners > 0 && _listeners.TryGetValue(key, out int n) ? Math.Log(1 + n) / _logMaxListeners : 0;
        double freshness = 0, sounds = 0;
        if (TrackOf(key) is long t)
        {
            if (_view.Find(t)?.AnalysedAt is { } analysed) freshness = Math.Exp(-Math.Max(0, (At - analysed).TotalDays) / FreshDays);
            if (_centroid is not null && Unit(t) is { } u) sounds = VectorNorm.Cosine(u, _centroid);
        }
        return DiscoverFeatures.Of(taste, popularity, freshness, sounds, At);
    }

    /// <summary>The listener's recent track that a candidate sounds most like ("sounds like X"); null when unknown.</summary>
    public string? SoundsLike(DiscoverCandidate c)
    {
        if (TrackOf(c.Candidate.Key) is not long t || Unit(t) is not { } u || _recent.Count == 0) return null;
        var nearest = _recent.Where(r => r.Track != t).MaxBy(r => VectorNorm.Cosine(u, r.Unit));
        return nearest.Unit is null ? null : _view.Facts.GetValueOrDefault(nearest.Track)?.DisplayName;
    }

    /// <summary>How many listeners played an item (0 for a library track without listening data).</summary>
    public int Listeners(DiscoverCandidate c) => _listeners.GetValueOrDefault(c.Candidate.Key);

    private long? TrackOf(long key) => key < 0 ? -key : _items.GetValueOrDefault(key)?.TrackId;

    private float[]? Unit(long track) => _space?.Vector(track) is { } v ? VectorNorm.TryUnit(v) : null;
}
