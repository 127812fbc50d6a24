namespace Earworm.Learning.Bandits;

/// <summary>One candidate a policy may pick: the item (a dense id), the recommender's score for it (what greedy,
/// ε-greedy and softmax rank by) and, for the contextual bandit, its features (listener × track; null when none).</summary>
public sealed record BanditArm(int Item, double Score, double[]? Features = null);

/// <summary>A decision to make: for listener <paramref name="User"/> (a dense id), one of <paramref name="Arms"/>.</summary>
public sealed record BanditContext(int User, IReadOnlyList<BanditArm> Arms)
{
    public int Count => Arms.Count;
}

/// <summary>What a policy picked (the index into the context's arms) and the probability with which it picked it
/// (its propensity: what off-policy evaluation divides by).</summary>
public readonly record struct BanditChoice(int Index, double Propensity);
