using System.Buffers;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>
/// A model that scores user u and item i as xᵤ·yᵢ (+ bᵢ when it learned item biases): ALS and BPR.
/// Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// <see cref="Recommend"/> computes the user's score for every item, leaves out the user's known
/// items and the filtered ones, and keeps the best by partial selection (no full sort); ties go to
/// the lower item id. <see cref="SimilarItems"/> ranks items by the cosine of their factor vectors
/// (biases left out); items whose factors are all zero (never seen in training) are not returned.
/// </remarks>
public class MatrixFactorizationModel : IRecommenderModel
{
    private readonly RowMatrix _users;
    private readonly RowMatrix _items;
    private readonly float[]? _itemBiases;
    private readonly Lazy<RowMatrix> _unitItems;

    private protected MatrixFactorizationModel(string name, RowMatrix userFactors, RowMatrix itemFactors, float[]? itemBiases)
    {
        if (userFactors.Columns != itemFactors.Columns)
            throw new ArgumentException($"user factors have {userFactors.Columns} columns, item factors {itemFactors.Columns}.");
        if (itemBiases is not null && itemBiases.Length != itemFactors.Rows)
            throw new ArgumentException($"{itemBiases.Length} item biases for {itemFactors.Rows} items.");
        Name = name;
        _users = userFactors;
        _items = itemFactors;
        _itemBiases = itemBiases;
        _unitItems = new Lazy<RowMatrix>(() => _items.NormalizedRows());
    }

    public string Name { get; }
    public int UserCount => _users.Rows;
    public int ItemCount => _items.Rows;

    /// <summary>Number of latent factors k.</summary>
    public int Factors => _users.Columns;

    private protected RowMatrix ItemMatrix => _items;

    /// <summary>Whether scores include a learned per-item bias bᵢ (BPR does, ALS does not).</summary>
    public bool HasItemBiases => _itemBiases is not null;

    /// <summary>The k factors of a user.</summary>
    public ReadOnlySpan<float> UserFactors(int user) => _users.Row(CheckIndex(user, UserCount, nameof(user)));

    /// <summary>The k factors of an item.</summary>
    public ReadOnlySpan<float> ItemFactors(int item) => _items.Row(CheckIndex(item, ItemCount, nameof(item)));

    /// <summary>An item's bias bᵢ (0 when the model has none).</summary>
    public float ItemBias(int item) => _itemBiases is null ? 0f : _itemBiases[CheckIndex(item, ItemCount, nameof(item))];

    /// <summary>All user factors, row-major [UserCount × Factors] (a copy).</summary>
    public float[] UserFactorArray() => _users.ToPackedArray();

    /// <summary>All item factors, row-major [ItemCount × Factors] (a copy).</summary>
    public float[] ItemFactorArray() => _items.ToPackedArray();

    /// <summary>xᵤ·yᵢ + bᵢ.</summary>
    public float Score(int user, int item) => Simd.Dot(UserFactors(user), ItemFactors(item)) + ItemBias(item);

    public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null)
    {
        ContractGuard.Recommend(this, user, userItems, count, UserCount);
        return RecommendFor(_users.Row(user), count, excludeSeen ? userItems.RowIndices(user) : default, filter);
    }

    /// <summary>
    /// The best <paramref name="count"/> items for any user vector (a trained user's factors or a
    /// folded-in one), leaving out <paramref name="excludeItems"/> (any order).
    /// </summary>
    public ScoredItems RecommendFor(ReadOnlySpan<float> userFactors, int count, ReadOnlySpan<int> excludeItems = default, Func<int, bool>? filter = null)
    {
        if (userFactors.Length != Factors)
            throw new ArgumentException($"{userFactors.Length} user factors for a model with {Factors}.", nameof(userFactors));
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return ScoredItems.Empty;
        var rented = ArrayPool<float>.Shared.Rent(ItemCount);
        try
        {
            var scores = rented.AsSpan(0, ItemCount);
            for (int i = 0; i < scores.Length; i++) scores[i] = Simd.Dot(userFactors, _items.Row(i));
            if (_itemBiases is not null)
                for (int i = 0; i < scores.Length; i++) scores[i] += _itemBiases[i];
            return TopK.Select(scores, count, TopK.Sorted(excludeItems), filter);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Factors for a user not seen in training, from the items they played and how much (implicit's
    /// <c>recalculate_user</c>): here the mean of those items' factors, which ranks an item by its summed dot products
    /// with them (BPR has no closed form); ALS overrides it with its exact least-squares step.
    /// </summary>
    /// <param name="items">item ids, 0..ItemCount−1.</param>
    /// <param name="weights">play counts aligned with <paramref name="items"/> (the mean counts each distinct item once).</param>
    public virtual float[] FoldIn(ReadOnlySpan<int> items, ReadOnlySpan<float> weights)
    {
        if (items.Length != weights.Length) throw new ArgumentException($"{items.Length} items but {weights.Length} weights.", nameof(weights));
        var distinct = new SortedSet<int>();
        for (int j = 0; j < items.Length; j++)
        {
            CheckIndex(items[j], ItemCount, nameof(items));
            if (weights[j] > 0 && float.IsFinite(weights[j])) distinct.Add(items[j]);
        }
        var x = new float[Factors];
        foreach (var i in distinct) Simd.AddScaled(1f / distinct.Count, _items.Row(i), x);
        return x;
    }

    /// <summary>How <see cref="FoldIn"/> places a new user, in words.</summary>
    public virtual string FoldInMethod => $"the mean of their {Name.ToUpperInvariant()} item factors";

    /// <summary>Fold-in then recommend (<see cref="FoldIn"/>): the best items for a new user, their items left out.</summary>
    public ScoredItems RecommendForItems(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, int count, Func<int, bool>? filter = null) =>
        RecommendFor(FoldIn(items, weights), count, items, filter);

    public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null)
    {
        ContractGuard.SimilarItems(this, item, count);
        if (count == 0) return ScoredItems.Empty;
        var unit = _unitItems.Value;
        var query = unit.Row(item);
        if (Simd.Norm(query) == 0) return ScoredItems.Empty;
        var rented = ArrayPool<float>.Shared.Rent(ItemCount);
        try
        {
            var scores = rented.AsSpan(0, ItemCount);
            for (int i = 0; i < scores.Length; i++)
            {
                var row = unit.Row(i);
                float s = Simd.Dot(query, row);
                scores[i] = s == 0 && Simd.Norm(row) == 0 ? float.NaN : s; // a zero vector has no direction
            }
            return TopK.Select(scores, count, [item], filter);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static int CheckIndex(int index, int count, string name)
    {
        if ((uint)index >= (uint)count) throw new ArgumentOutOfRangeException(name, index, $"outside 0..{count - 1}");
        return index;
    }
}
