using System.Diagnostics;

namespace Earworm.Learning.Baselines;

/// <summary>
/// The popularity baseline: every user gets the items most users have played, the one a
/// personalised model must beat (DESIGN.md, "honest evaluation"). Counts are not used: an item's
/// score is the number of distinct users who played it.
/// </summary>
public sealed class PopularityTrainer : RecommenderTrainer<PopularityModel>
{
    public override string Name => "pop";

    protected override PopularityModel Learn(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var users = new float[userItems.Columns];
        for (int u = 0; u < userItems.Rows; u++)
            foreach (var i in userItems.RowIndices(u)) users[i]++;
        progress?.Report(new TrainingProgress(Name, 1, 1, null, clock.Elapsed));
        return new PopularityModel(userItems.Rows, users);
    }
}
