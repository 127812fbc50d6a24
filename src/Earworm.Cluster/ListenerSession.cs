using Earworm.Learning.Numerics;

namespace Earworm.Cluster;

/// <summary>
/// A listener's session as their grain keeps it (and Redis persists it): the last plays and skips, likes and dislikes,
/// the listener's current vector in a space (the unit mean of their recent plays and likes there), and the id of the
/// last feedback applied — so an event heard twice, or read again from the catalog after a silo died, counts once.
/// </summary>
[GenerateSerializer]
public sealed class ListenerSession
{
    /// <summary>How many recent plays and skips a session keeps.</summary>
    public const int Recent = 50;

    [Id(0)] public List<long> RecentPlays { get; set; } = [];
    [Id(1)] public List<long> RecentSkips { get; set; } = [];
    [Id(2)] public List<long> Likes { get; set; } = [];
    [Id(3)] public List<long> Dislikes { get; set; } = [];
    [Id(4)] public string? Space { get; set; }
    [Id(5)] public float[]? Vector { get; set; }
    [Id(6)] public long LastFeedbackId { get; set; }
    [Id(7)] public int Events { get; set; }

    /// <summary>The silo that holds the session now (set on each activation).</summary>
    [Id(8)] public string? Silo { get; set; }

    /// <summary>Applies one feedback (ignored when not newer than <see cref="LastFeedbackId"/>); true when it changed the
    /// session. <paramref name="vectorOf"/> gives a track's vector in <paramref name="space"/> (empty: none).</summary>
    public bool Apply(ListenerEvent e, string? space, Func<long, ReadOnlyMemory<float>> vectorOf)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(vectorOf);
        if (e.FeedbackId <= LastFeedbackId) return false;
        LastFeedbackId = e.FeedbackId;
        Events++;
        switch (e.Kind)
        {
            case "play": Push(RecentPlays, e.TrackId); break;
            case "skip": Push(RecentSkips, e.TrackId); break;
            case "like": Likes.Remove(e.TrackId); Likes.Add(e.TrackId); Dislikes.Remove(e.TrackId); break;
            case "dislike": Dislikes.Remove(e.TrackId); Dislikes.Add(e.TrackId); Likes.Remove(e.TrackId); break;
            default: throw new ArgumentException($"unknown feedback kind '{e.Kind}'", nameof(e));
        }
        Space = space;
        Vector = space is null ? null : Centre(RecentPlays.Concat(Likes).Except(Dislikes), vectorOf);
        return true;
    }

    private static void Push(List<long> list, long id)
    {
        list.Add(id);
        if (list.Count > Recent) list.RemoveRange(0, list.Count - Recent);
    }

    /// <summary>The unit mean of the tracks' vectors (each unit-normalised first); null when none has one.</summary>
    private static float[]? Centre(IEnumerable<long> tracks, Func<long, ReadOnlyMemory<float>> vectorOf)
    {
        float[]? sum = null;
        foreach (var id in tracks.Distinct())
        {
            var v = vectorOf(id);
            if (v.IsEmpty) continue;
            var unit = v.ToArray();
            VectorNorm.Normalise(unit);
            sum ??= new float[unit.Length];
            if (unit.Length != sum.Length) continue;
            for (int i = 0; i < unit.Length; i++) sum[i] += unit[i];
        }
        if (sum is not null) VectorNorm.Normalise(sum);
        return sum;
    }
}
