namespace Earworm.Learning.Sequences;

/// <summary>Turns a model's scores into a ranked list: the best first, ties (and the items a model cannot tell apart)
/// ordered by popularity, then id; excluded items and non-finite scores left out.</summary>
public static class NextItems
{
    /// <param name="popularity">per item, how popular it is (any count; only the order matters).</param>
    /// <param name="excludedSorted">items never to list, ascending.</param>
    public static int[] Rank(ReadOnlySpan<float> scores, ReadOnlySpan<int> popularity, ReadOnlySpan<int> excludedSorted, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        if (popularity.Length != scores.Length) throw new ArgumentException("one popularity per scored item", nameof(popularity));
        // a min-heap of the best so far: its root is the worst kept
        var heap = new PriorityQueue<int, (float Score, int Popularity, int NegId)>(depth + 1);
        // once the heap is full, a score below its worst's cannot enter: over 100 000 items almost every one stops there
        float floor = float.NegativeInfinity;
        int e = 0;
        for (int id = 0; id < scores.Length; id++)
        {
            float s = scores[id];
            if (s < floor || !float.IsFinite(s)) continue;
            while (e < excludedSorted.Length && excludedSorted[e] < id) e++;
            if (e < excludedSorted.Length && excludedSorted[e] == id) continue;
            var key = (s, popularity[id], -id);
            if (heap.Count < depth) heap.Enqueue(id, key);
            else if (heap.TryPeek(out _, out var worst) && Compare(key, worst) > 0) heap.EnqueueDequeue(id, key);
            if (heap.Count == depth && heap.TryPeek(out _, out var root)) floor = root.Score;
        }
        var ranked = new int[heap.Count];
        for (int i = ranked.Length - 1; i >= 0; i--) ranked[i] = heap.Dequeue();
        return ranked;
    }

    private static int Compare((float Score, int Popularity, int NegId) a, (float Score, int Popularity, int NegId) b)
    {
        int c = a.Score.CompareTo(b.Score);
        if (c != 0) return c;
        c = a.Popularity.CompareTo(b.Popularity);
        return c != 0 ? c : a.NegId.CompareTo(b.NegId);
    }
}
