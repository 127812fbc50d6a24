namespace Earworm.Learning.Hybrid;

/// <summary>
/// The features of every item (tags, text terms…) as a sparse item × feature matrix in CSR form: for item i, the
/// features <c>Features[Start[i]..Start[i+1]]</c> with their weights, each item's weights summing to 1 (or none).
/// Built by <see cref="Create"/> from raw (item, feature, strength) triples; immutable.
/// </summary>
public sealed class ItemFeatures
{
    private readonly int[] _start;
    private readonly int[] _features;
    private readonly float[] _weights;

    private ItemFeatures(int itemCount, IReadOnlyList<string> names, int[] start, int[] features, float[] weights)
    {
        ItemCount = itemCount;
        Names = names;
        _start = start;
        _features = features;
        _weights = weights;
    }

    public int ItemCount { get; }

    /// <summary>The features' names, by index.</summary>
    public IReadOnlyList<string> Names { get; }

    public int FeatureCount => Names.Count;

    /// <summary>How many (item, feature) pairs are stored.</summary>
    public int NonZeros => _features.Length;

    public ReadOnlySpan<int> FeaturesOf(int item) => _features.AsSpan(_start[item], _start[item + 1] - _start[item]);

    public ReadOnlySpan<float> WeightsOf(int item) => _weights.AsSpan(_start[item], _start[item + 1] - _start[item]);

    /// <summary>Whether the item has any feature.</summary>
    public bool Has(int item) => _start[item + 1] > _start[item];

    /// <summary>
    /// The features of items 0..<paramref name="itemCount"/>−1 from triples (item, name, strength &gt; 0; repeats
    /// summed). A feature on fewer than <paramref name="minItems"/> items is dropped (it cannot carry anything from one
    /// item to another). Each item keeps its <paramref name="maxPerItem"/> strongest features, weighted by
    /// log(1 + strength) and normalised to sum 1, so an item tagged by many people is not a longer vector than one
    /// tagged by few (LightFM normalises its feature rows the same way).
    /// </summary>
    public static ItemFeatures Create(int itemCount, IEnumerable<(int Item, string Feature, double Strength)> triples, int minItems = 2, int maxPerItem = 50)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(itemCount);
        ArgumentNullException.ThrowIfNull(triples);
        ArgumentOutOfRangeException.ThrowIfLessThan(minItems, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerItem, 1);
        var perItem = new Dictionary<string, double>?[itemCount];
        foreach (var (item, feature, strength) in triples)
        {
            if ((uint)item >= (uint)itemCount) throw new ArgumentException($"item {item} outside 0..{itemCount - 1}");
            if (!(strength > 0) || !double.IsFinite(strength)) continue;
            var d = perItem[item] ??= new Dictionary<string, double>(StringComparer.Ordinal);
            d[feature] = d.GetValueOrDefault(feature) + strength;
        }
        var itemsWith = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in perItem)
            if (d is not null)
                foreach (var f in d.Keys) itemsWith[f] = itemsWith.GetValueOrDefault(f) + 1;
        var names = itemsWith.Where(kv => kv.Value >= minItems).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        var start = new int[itemCount + 1];
        var features = new List<int>();
        var weights = new List<float>();
        for (int i = 0; i < itemCount; i++)
        {
            start[i] = features.Count;
            if (perItem[i] is not { } d) continue;
            var kept = d.Where(kv => index.ContainsKey(kv.Key)).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Take(maxPerItem).Select(kv => (Index: index[kv.Key], Weight: Math.Log(1 + kv.Value))).OrderBy(x => x.Index).ToList();
            double sum = kept.Sum(x => x.Weight);
            foreach (var (f, w) in kept)
            {
                features.Add(f);
                weights.Add((float)(w / sum));
            }
        }
        start[itemCount] = features.Count;
        return new ItemFeatures(itemCount, names, start, [.. features], [.. weights]);
    }
}
