namespace Earworm.Learning.Sequences;

/// <summary>
/// What items share beside their own identity — their artist, their album — as feature ids 0..<see cref="Count"/>−1:
/// a next-item network adds a feature's embedding to each of its items' (LightFM's and the RecSys Challenge 2018
/// entries' side features), so a track heard once still sits beside the rest of its album and artist.
/// </summary>
/// <param name="Of">per item 0..n−1, its feature ids (none where nothing is known).</param>
/// <param name="Count">how many features there are.</param>
public sealed record ItemFeatures(int[][] Of, int Count)
{
    /// <summary>The most features any item has.</summary>
    public int Width => Of.Length == 0 ? 0 : Of.Max(f => f.Length);

    public int ItemCount => Of.Length;

    /// <summary>Numbers the keys (compared ordinally, blank ones skipped) by first appearance, item by item.</summary>
    /// <param name="keys">per item, its feature keys, e.g. <c>artist:NAME</c> and <c>album:ARTIST\tNAME</c> (as the
    /// catalog's item keys make them).</param>
    public static ItemFeatures FromKeys(IReadOnlyList<IReadOnlyList<string?>> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var of = new int[keys.Count][];
        for (int i = 0; i < keys.Count; i++)
        {
            var mine = new List<int>();
            foreach (var k in keys[i])
            {
                if (string.IsNullOrWhiteSpace(k)) continue;
                if (!ids.TryGetValue(k, out int id)) ids[k] = id = ids.Count;
                if (!mine.Contains(id)) mine.Add(id);
            }
            of[i] = [.. mine];
        }
        return new ItemFeatures(of, ids.Count);
    }

    /// <exception cref="ArgumentException">another number of items, or a feature id outside 0..Count−1.</exception>
    public void Validate(int itemCount)
    {
        if (Of.Length != itemCount) throw new ArgumentException($"features for {Of.Length} items, expected {itemCount}", nameof(itemCount));
        foreach (var f in Of)
            foreach (var id in f)
                if ((uint)id >= (uint)Count) throw new ArgumentException($"feature {id} outside 0..{Count - 1}");
    }
}
