using Earworm.Learning;

namespace Earworm.Evaluation.Splitting;

/// <summary>
/// A partition of a dataset's interaction records into training and test records (plus, for the cold-start
/// split only, unused records), made by one of <see cref="Splits"/>' methods.
/// <para>Invariants: Train, Test and Unused partition the input records (each record in exactly one, each list
/// in input order); a (user, item) pair never has records on both sides; every user with test records keeps
/// at least one training record.</para>
/// </summary>
public sealed class DataSplit
{
    private readonly Lazy<InteractionMatrix> _train;
    private readonly Lazy<InteractionMatrix> _test;
    private readonly Lazy<int[]> _testUsers;

    internal DataSplit(string description, int userCount, int itemCount,
        Interaction[] train, Interaction[] test, Interaction[] unused, int[] coldItems)
    {
        Description = description;
        UserCount = userCount;
        ItemCount = itemCount;
        Train = train;
        Test = test;
        Unused = unused;
        ColdItems = coldItems;
        _train = new Lazy<InteractionMatrix>(() => InteractionMatrix.FromInteractions(train, userCount, itemCount));
        _test = new Lazy<InteractionMatrix>(() => InteractionMatrix.FromInteractions(test, userCount, itemCount));
        _testUsers = new Lazy<int[]>(() => Enumerable.Range(0, userCount).Where(u => TestMatrix.RowLength(u) > 0).ToArray());
    }

    /// <summary>How the split was made, in words (method, parameters, seed).</summary>
    public string Description { get; }

    public int UserCount { get; }

    public int ItemCount { get; }

    public IReadOnlyList<Interaction> Train { get; }

    public IReadOnlyList<Interaction> Test { get; }

    /// <summary>Records in neither side: in the cold-start split, cold items' records of users left with no
    /// training data (they cannot be evaluated); empty for every other split.</summary>
    public IReadOnlyList<Interaction> Unused { get; }

    /// <summary>Items removed from training (ascending); empty unless the split is a cold-start split.</summary>
    public IReadOnlyList<int> ColdItems { get; }

    /// <summary>The training records as a users × items matrix (built once, on first use).</summary>
    public InteractionMatrix TrainMatrix => _train.Value;

    /// <summary>The test records as a users × items matrix: a row's indices are that user's relevant items.</summary>
    public InteractionMatrix TestMatrix => _test.Value;

    /// <summary>Users with at least one test record, ascending.</summary>
    public IReadOnlyList<int> TestUsers => _testUsers.Value;

    /// <summary>The distinct items <paramref name="user"/> has in the test records, ascending.</summary>
    public ReadOnlySpan<int> TestItems(int user) => TestMatrix.RowIndices(user);
}
