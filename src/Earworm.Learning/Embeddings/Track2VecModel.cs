using System.Buffers;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Embeddings;

/// <summary>
/// Item vectors learned by <see cref="Track2VecTrainer"/>. Items seen fewer than MinCount times have
/// no vector: they are never recommended nor returned as similar. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <see cref="SimilarItems"/> ranks by cosine. <see cref="Recommend"/> scores every item by the
/// cosine with the mean of the unit vectors of the user's items that have one (gensim's
/// <c>most_similar(positive=items)</c>; counts are not used); a user none of whose items has a
/// vector gets an empty list. The model scores from the user's row of <c>userItems</c>, so any
/// user of any matrix with <see cref="ItemCount"/> columns can be served.
/// </remarks>
public sealed class Track2VecModel : IRecommenderModel
{
    private readonly RowMatrix _vectors;
    private readonly RowMatrix _unit;
    private readonly long[] _counts;

    internal Track2VecModel(Track2VecOptions options, RowMatrix vectors, long[] occurrences, int userCount, long rawWords, long effectiveWords)
    {
        Options = options;
        _vectors = vectors;
        _unit = vectors.NormalizedRows();
        _counts = occurrences;
        UserCount = userCount;
        VocabularySize = occurrences.Count(c => c >= options.MinCount);
        RawWords = rawWords;
        EffectiveWords = effectiveWords;
    }

    /// <summary>
    /// Rebuilds a model from stored vectors, row-major [items × Dimensions] (zeros for items without
    /// one), and every item's occurrences in the training sequences (an item has a vector when they
    /// reach <see cref="Track2VecOptions.MinCount"/>).
    /// </summary>
    public static Track2VecModel FromVectors(Track2VecOptions options, ReadOnlySpan<float> vectors, ReadOnlySpan<long> occurrences, int userCount = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int d = options.Dimensions;
        if (vectors.Length != occurrences.Length * d)
            throw new ArgumentException($"{vectors.Length} floats for {occurrences.Length} items of {d} dimensions.", nameof(vectors));
        var matrix = RowMatrix.FromPacked(vectors, d, RowMatrix.Padded(0, d).Stride);
        return new Track2VecModel(options, matrix, occurrences.ToArray(), userCount, 0, 0);
    }

    /// <summary>All vectors, row-major [ItemCount × Dimensions] (a copy).</summary>
    public float[] VectorArray() => _vectors.ToPackedArray();

    public string Name => "track2vec";

    /// <summary>Users of the matrix the model was fitted on (0 when fitted on sequences).</summary>
    public int UserCount { get; }

    public int ItemCount => _vectors.Rows;

    public int Dimensions => _vectors.Columns;

    public Track2VecOptions Options { get; }

    /// <summary>Number of items with a vector.</summary>
    public int VocabularySize { get; }

    /// <summary>Items in the training sequences times epochs (the words of gensim's raw words/second); 0 for a rebuilt model.</summary>
    public long RawWords { get; }

    /// <summary>Items actually trained on, summed over epochs: in the vocabulary and kept by subsampling; 0 for a rebuilt model.</summary>
    public long EffectiveWords { get; }

    /// <summary>Whether the item occurred at least MinCount times and so has a vector.</summary>
    public bool HasVector(int item) => _counts[CheckItem(item)] >= Options.MinCount;

    /// <summary>Occurrences of the item in the training sequences.</summary>
    public long Occurrences(int item) => _counts[CheckItem(item)];

    /// <summary>The item's vector (zeros when it has none).</summary>
    public ReadOnlySpan<float> Vector(int item) => _vectors.Row(CheckItem(item));

    public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null)
    {
        ContractGuard.Recommend(this, user, userItems, count);
        var query = new float[_unit.Stride];
        int used = 0;
        foreach (var item in userItems.RowIndices(user))
        {
            if (!HasVector(item)) continue;
            Simd.AddScaled(1f, _unit.PaddedRow(item), query);
            used++;
        }
        if (used == 0 || count == 0) return ScoredItems.Empty;
        return Rank(query, count, excludeSeen ? userItems.RowIndices(user) : default, filter);
    }

    public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null)
    {
        ContractGuard.SimilarItems(this, item, count);
        if (!HasVector(item) || count == 0) return ScoredItems.Empty;
        return Rank(_unit.PaddedRow(item), count, [item], filter);
    }

    /// <summary>The items closest by cosine to any vector of <see cref="Dimensions"/> values (e.g. an audio model's prediction), leaving out <paramref name="excludeItems"/> (any order).</summary>
    public ScoredItems SimilarToVector(ReadOnlySpan<float> vector, int count, ReadOnlySpan<int> excludeItems = default, Func<int, bool>? filter = null)
    {
        if (vector.Length != Dimensions) throw new ArgumentException($"{vector.Length} values for a model of {Dimensions} dimensions.", nameof(vector));
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var query = new float[_unit.Stride];
        vector.CopyTo(query);
        if (count == 0 || Simd.Norm(query) == 0) return ScoredItems.Empty;
        return Rank(query, count, TopK.Sorted(excludeItems), filter);
    }

    /// <summary>Cosine of every item with a vector against <paramref name="query"/> (padded to the stride), best first.</summary>
    private ScoredItems Rank(ReadOnlySpan<float> query, int count, ReadOnlySpan<int> excludeSorted, Func<int, bool>? filter)
    {
        float norm = Simd.Norm(query);
        var rented = ArrayPool<float>.Shared.Rent(ItemCount);
        try
        {
            var scores = rented.AsSpan(0, ItemCount);
            for (int i = 0; i < scores.Length; i++)
                scores[i] = _counts[i] >= Options.MinCount ? Simd.Dot(query, _unit.PaddedRow(i)) / norm : float.NaN;
            return TopK.Select(scores, count, excludeSorted, filter);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private int CheckItem(int item)
    {
        if ((uint)item >= (uint)ItemCount) throw new ArgumentOutOfRangeException(nameof(item), item, $"outside 0..{ItemCount - 1}");
        return item;
    }
}
