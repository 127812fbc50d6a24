using Earworm.Learning;

namespace Earworm.Evaluation.Data;

/// <summary>
/// Interactions with the shape they live in: users 0..UserCount−1 × items 0..ItemCount−1. Every
/// interaction is checked on construction (indices in range, a positive finite count), so a split
/// or a protocol never meets a record the interaction matrix would silently drop.
/// </summary>
public sealed class InteractionDataset
{
    public InteractionDataset(string name, int userCount, int itemCount, IReadOnlyList<Interaction> interactions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(userCount);
        ArgumentOutOfRangeException.ThrowIfNegative(itemCount);
        ArgumentNullException.ThrowIfNull(interactions);
        for (int i = 0; i < interactions.Count; i++)
        {
            var x = interactions[i];
            if ((uint)x.User >= (uint)userCount)
                throw new ArgumentException($"interaction {i}: user {x.User} outside 0..{userCount - 1}", nameof(interactions));
            if ((uint)x.Item >= (uint)itemCount)
                throw new ArgumentException($"interaction {i}: item {x.Item} outside 0..{itemCount - 1}", nameof(interactions));
            if (!(x.Count > 0 && float.IsFinite(x.Count)))
                throw new ArgumentException($"interaction {i}: count {x.Count} is not a positive finite number", nameof(interactions));
        }
        Name = name;
        UserCount = userCount;
        ItemCount = itemCount;
        Interactions = interactions;
    }

    /// <summary>Short name for reports, e.g. "lastfm-2k".</summary>
    public string Name { get; }

    public int UserCount { get; }

    public int ItemCount { get; }

    /// <summary>The records as given: a (user, item) pair may occur more than once (one record per listen).</summary>
    public IReadOnlyList<Interaction> Interactions { get; }

    /// <summary>The interactions restricted to users below <paramref name="userCount"/> (a slice for quick runs);
    /// items keep their indices.</summary>
    public InteractionDataset FirstUsers(int userCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userCount);
        int n = Math.Min(userCount, UserCount);
        var kept = Interactions.Where(x => x.User < n).ToArray();
        return new InteractionDataset($"{Name} (first {n} users)", n, ItemCount, kept);
    }
}
