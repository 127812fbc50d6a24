using Earworm.Recommend;
using Earworm.Recommend.Spaces;

namespace Earworm.Cluster;

/// <summary>
/// Which shard holds a track, and the merge of the shards' answers: pure functions the grains and their tests share.
/// A track lives in shard <c>hash(track) % shards</c>, the hash a SplitMix64 finaliser (Steele, Lea &amp; Flood 2014), so
/// consecutive ids (a catalog's) spread evenly and every silo computes the same shard without asking anyone.
/// </summary>
public static class ShardMath
{
    /// <summary>The shard of <paramref name="trackId"/> among <paramref name="shards"/>.</summary>
    public static int ShardOf(long trackId, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        return (int)(Mix(unchecked((ulong)trackId)) % (ulong)shards);
    }

    /// <summary>The SplitMix64 finaliser: a 64-bit value's bits spread over the whole word (the shard of a track and the
    /// ranks of <see cref="ShardLayout"/>).</summary>
    public static ulong Mix(ulong value)
    {
        ulong z = unchecked(value + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>The best <paramref name="k"/> of the shards' answers (null: a shard that did not answer in time), best
    /// first, ties by id; and the coverage: answers over shards.</summary>
    public static (IReadOnlyList<Neighbour> Best, double Coverage) Merge(IReadOnlyList<ShardAnswer?> answers, int k)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var all = new List<Neighbour>();
        int answered = 0;
        foreach (var a in answers)
        {
            if (a is null) continue;
            answered++;
            for (int i = 0; i < a.Ids.Length; i++) all.Add(new Neighbour(a.Ids[i], a.Scores[i]));
        }
        all.Sort((x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Key.CompareTo(y.Key));
        if (all.Count > k) all.RemoveRange(k, all.Count - k);
        return (all, answers.Count == 0 ? 0 : (double)answered / answers.Count);
    }

    /// <summary>The rows of <paramref name="space"/> whose tracks fall in shard <paramref name="shard"/> of
    /// <paramref name="shards"/>, in the space's order: what an index shard holds, named for the shard (its saved index
    /// is its own: <see cref="VectorIndex"/> names the file after the space).</summary>
    public static VectorSpace Partition(VectorSpace space, int shard, int shards)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, shards);
        var ids = new List<long>();
        for (int i = 0; i < space.Count; i++)
            if (ShardOf(space.Ids[i], shards) == shard) ids.Add(space.Ids[i]);
        var data = new float[ids.Count * space.Dimension];
        for (int j = 0; j < ids.Count; j++) space.VectorOf(ids[j]).CopyTo(data.AsSpan(j * space.Dimension, space.Dimension));
        return new VectorSpace(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{space.Name}-shard{shard}of{shards}"), space.Dimension, [.. ids], data,
            space.Metric, space.Description);
    }
}
