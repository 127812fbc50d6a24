using Earworm.Learning.Numerics;

namespace Earworm.Learning.Baselines;

/// <summary>
/// Scores every item by its number of users. <see cref="Recommend"/> serves any user of a matrix
/// with <see cref="ItemCount"/> columns; <see cref="SimilarItems"/> is the most popular other items
/// (popularity knows no similarity; it is there so the baseline honours the whole contract).
/// Ties go to the lower item id.
/// </summary>
public sealed class PopularityModel : IRecommenderModel
{
    private readonly float[] _users;

    internal PopularityModel(int userCount, float[] usersPerItem)
    {
        UserCount = userCount;
        _users = usersPerItem;
    }

    public string Name => "pop";
    public int UserCount { get; }
    public int ItemCount => _users.Length;

    /// <summary>Number of training users who played the item.</summary>
    public int Users(int item) => (int)_users[item];

    public ScoredItems Recommend(int user, InteractionMatrix userItems, int count, bool excludeSeen = true, Func<int, bool>? filter = null)
    {
        ContractGuard.Recommend(this, user, userItems, count);
        return TopK.Select(_users, count, excludeSeen ? userItems.RowIndices(user) : default, filter);
    }

    public ScoredItems SimilarItems(int item, int count, Func<int, bool>? filter = null)
    {
        ContractGuard.SimilarItems(this, item, count);
        return TopK.Select(_users, count, [item], filter);
    }
}
