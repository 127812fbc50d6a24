namespace Earworm.Learning.Numerics;

/// <summary>
/// Partial selection of the best <c>k</c> (id, score) pairs in O(n log k) with a min-heap whose
/// root is the worst kept pair; no full sort. "Better" means a higher score, and between equal
/// scores the lower id, so results do not depend on the order candidates arrive in.
/// </summary>
internal sealed class TopK
{
    private readonly int[] _ids;
    private readonly float[] _scores;
    private int _count;

    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        _ids = new int[k];
        _scores = new float[k];
    }

    public int Count => _count;

    /// <summary>Whether a candidate would be kept (call before an expensive filter).</summary>
    public bool Accepts(int id, float score) =>
        _ids.Length > 0 && (_count < _ids.Length || Better(id, score, _ids[0], _scores[0]));

    /// <summary>Offers a candidate; kept when among the best k so far.</summary>
    public void Add(int id, float score)
    {
        if (!Accepts(id, score)) return;
        if (_count < _ids.Length)
        {
            int i = _count++;
            _ids[i] = id;
            _scores[i] = score;
            SiftUp(i);
        }
        else
        {
            _ids[0] = id;
            _scores[0] = score;
            SiftDown(0);
        }
    }

    /// <summary>The kept pairs, best first.</summary>
    public ScoredItems ToScoredItems()
    {
        var ids = _ids[.._count];
        var scores = _scores[.._count];
        var order = new int[_count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) => Better(ids[a], scores[a], ids[b], scores[b]) ? -1 : Better(ids[b], scores[b], ids[a], scores[a]) ? 1 : 0);
        var outIds = new int[_count];
        var outScores = new float[_count];
        for (int i = 0; i < order.Length; i++)
        {
            outIds[i] = ids[order[i]];
            outScores[i] = scores[order[i]];
        }
        return new ScoredItems(outIds, outScores);
    }

    /// <summary>
    /// The best <paramref name="k"/> of <paramref name="scores"/> (index = item id), leaving out the
    /// ids in <paramref name="excludedSorted"/> (ascending), non-finite scores (−∞ and NaN mark
    /// items a model cannot score), and ids <paramref name="filter"/> rejects. The filter is asked
    /// only about candidates that would enter the top k.
    /// </summary>
    public static ScoredItems Select(ReadOnlySpan<float> scores, int k, ReadOnlySpan<int> excludedSorted, Func<int, bool>? filter)
    {
        var top = new TopK(Math.Min(k, scores.Length));
        int e = 0;
        for (int id = 0; id < scores.Length; id++)
        {
            while (e < excludedSorted.Length && excludedSorted[e] < id) e++;
            if (e < excludedSorted.Length && excludedSorted[e] == id) continue;
            float s = scores[id];
            if (!float.IsFinite(s) || !top.Accepts(id, s)) continue;
            if (filter is not null && !filter(id)) continue;
            top.Add(id, s);
        }
        return top.ToScoredItems();
    }

    /// <summary>The ids ascending: the span itself when already so, else a sorted copy.</summary>
    public static ReadOnlySpan<int> Sorted(ReadOnlySpan<int> items)
    {
        if (items.IsEmpty) return items;
        for (int i = 1; i < items.Length; i++)
            if (items[i] < items[i - 1])
            {
                var copy = items.ToArray();
                Array.Sort(copy);
                return copy;
            }
        return items;
    }

    private static bool Better(int idA, float a, int idB, float b) => a > b || (a == b && idA < idB);

    // min-heap by "worse first": parent is worse than its children
    private void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Better(_ids[parent], _scores[parent], _ids[i], _scores[i])) break;
            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, worst = i;
            if (left < _count && Better(_ids[worst], _scores[worst], _ids[left], _scores[left])) worst = left;
            if (right < _count && Better(_ids[worst], _scores[worst], _ids[right], _scores[right])) worst = right;
            if (worst == i) return;
            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_ids[a], _ids[b]) = (_ids[b], _ids[a]);
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
    }
}
