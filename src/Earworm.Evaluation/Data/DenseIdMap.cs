namespace Earworm.Evaluation.Data;

/// <summary>
/// Maps a dataset's own ids (Last.fm user ids, artist ids, MusicBrainz ids…) to dense indices
/// 0..Count−1 in order of first appearance, and back. Built by a reader, then read-only.
/// </summary>
public sealed class DenseIdMap<TId>
    where TId : notnull
{
    private readonly Dictionary<TId, int> _indexOf = [];
    private readonly List<TId> _ids = [];

    /// <summary>Number of distinct ids seen.</summary>
    public int Count => _ids.Count;

    /// <summary>The original ids, by dense index.</summary>
    public IReadOnlyList<TId> Ids => _ids;

    /// <summary>The original id of dense index <paramref name="index"/>.</summary>
    public TId this[int index] => _ids[index];

    /// <summary>The dense index of <paramref name="id"/>, when it was seen.</summary>
    public bool TryGetIndex(TId id, out int index) => _indexOf.TryGetValue(id, out index);

    /// <summary>The dense index of <paramref name="id"/>, assigning the next one when it is new.</summary>
    internal int GetOrAdd(TId id)
    {
        if (_indexOf.TryGetValue(id, out int index)) return index;
        index = _ids.Count;
        _indexOf.Add(id, index);
        _ids.Add(id);
        return index;
    }
}

/// <summary>Maps of ids that need no translation.</summary>
public static class DenseIdMaps
{
    /// <summary>The identity map of 0..count−1 (data with no ids of its own: synthetic sequences, files read directly).</summary>
    public static DenseIdMap<long> Range(int count)
    {
        var map = new DenseIdMap<long>();
        for (int i = 0; i < count; i++) map.GetOrAdd(i);
        return map;
    }
}
