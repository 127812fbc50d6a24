using Earworm.Learning;

namespace Earworm.Evaluation.Metrics;

/// <summary>How popular items are in a training matrix: the number of distinct users who have each item
/// (the item's degree; play counts are ignored, so one heavy listener does not make an item popular).</summary>
public static class ItemPopularity
{
    /// <summary>For each item (column) of <paramref name="userItems"/>, the number of users (rows) that have it.</summary>
    public static int[] UserCounts(InteractionMatrix userItems)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        var counts = new int[userItems.Columns];
        for (int u = 0; u < userItems.Rows; u++)
            foreach (int item in userItems.RowIndices(u)) counts[item]++;
        return counts;
    }
}
