using System.Diagnostics;

namespace Earworm.Learning.Baselines;

/// <summary>
/// The random baseline: items in a random order, the floor every model must clear. Seeded: the
/// same seed gives every user (and every item's "similar" list) the same order again.
/// </summary>
public sealed class RandomTrainer(int seed = 42) : RecommenderTrainer<RandomModel>
{
    public int Seed { get; } = seed;

    public override string Name => "random";

    protected override RandomModel Learn(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        progress?.Report(new TrainingProgress(Name, 1, 1, null, TimeSpan.Zero));
        return new RandomModel(Seed, userItems.Rows, userItems.Columns);
    }
}
