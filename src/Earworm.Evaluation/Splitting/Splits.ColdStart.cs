using System.Globalization;
using Earworm.Evaluation.Data;
using Earworm.Learning;

namespace Earworm.Evaluation.Splitting;

public static partial class Splits
{
    /// <summary>
    /// Cold-start items: round(<paramref name="itemFraction"/> × m) (at least one) of the m items that have
    /// interactions are drawn at random and removed from training with all their records. Test = the cold
    /// items' records of users who still have training records; the cold items' records of users left with
    /// none go to <see cref="DataSplit.Unused"/>.
    /// </summary>
    public static DataSplit ColdStartItems(InteractionDataset data, double itemFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(itemFraction > 0 && itemFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(itemFraction), itemFraction, "the cold item fraction must lie strictly between 0 and 1");
        var seen = new bool[data.ItemCount];
        foreach (var x in data.Interactions) seen[x.Item] = true;
        var candidates = Enumerable.Range(0, data.ItemCount).Where(i => seen[i]).ToArray();
        int take = candidates.Length == 0 ? 0 : Math.Max(1, (int)Math.Round(candidates.Length * itemFraction, MidpointRounding.AwayFromZero));
        var random = new Random(seed);
        var cold = new bool[data.ItemCount];
        for (int i = 0; i < take; i++)
        {
            int j = random.Next(i, candidates.Length);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
            cold[candidates[i]] = true;
        }
        var hasTraining = new bool[data.UserCount];
        foreach (var x in data.Interactions)
            if (!cold[x.Item]) hasTraining[x.User] = true;
        var train = new List<Interaction>(data.Interactions.Count);
        var test = new List<Interaction>();
        var unused = new List<Interaction>();
        foreach (var x in data.Interactions)
            (!cold[x.Item] ? train : hasTraining[x.User] ? test : unused).Add(x);
        var coldItems = candidates[..take];
        Array.Sort(coldItems);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"cold-start items: {take} of the {candidates.Length} items with interactions ({itemFraction * 100:0.##}%) removed from training with all their interactions; the test set is their interactions by users who keep training data, seed {seed}");
        return new DataSplit(description, data.UserCount, data.ItemCount, [.. train], [.. test], [.. unused], coldItems);
    }
}
