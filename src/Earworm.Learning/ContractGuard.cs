namespace Earworm.Learning;

/// <summary>The argument checks every <see cref="IRecommenderModel"/> makes, with the same messages.</summary>
internal static class ContractGuard
{
    /// <summary>
    /// Checks a Recommend call: the matrix is non-null and has the model's item count as columns,
    /// the user is a row of it (and, when <paramref name="userCount"/> is given, a user the model
    /// was trained on), the count is not negative.
    /// </summary>
    public static void Recommend(IRecommenderModel model, int user, InteractionMatrix userItems, int count, int? userCount = null)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        if (userItems.Columns != model.ItemCount)
            throw new ArgumentException($"userItems has {userItems.Columns} items (columns); the model {model.Name} has {model.ItemCount}.", nameof(userItems));
        if ((uint)user >= (uint)userItems.Rows)
            throw new ArgumentOutOfRangeException(nameof(user), user, $"user outside 0..{userItems.Rows - 1} of userItems");
        if (userCount is { } n && (uint)user >= (uint)n)
            throw new ArgumentOutOfRangeException(nameof(user), user, $"user outside 0..{n - 1}, the users model {model.Name} was trained on");
        ArgumentOutOfRangeException.ThrowIfNegative(count);
    }

    public static void SimilarItems(IRecommenderModel model, int item, int count)
    {
        if ((uint)item >= (uint)model.ItemCount)
            throw new ArgumentOutOfRangeException(nameof(item), item, $"item outside 0..{model.ItemCount - 1}");
        ArgumentOutOfRangeException.ThrowIfNegative(count);
    }

    public static void Fit(InteractionMatrix userItems)
    {
        ArgumentNullException.ThrowIfNull(userItems);
    }
}
