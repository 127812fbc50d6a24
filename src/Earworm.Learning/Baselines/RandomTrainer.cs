namespace Earworm.Learning.Baselines;

/// <summary>
/// The random baseline: items in a random order, the floor every model must clear. Seeded: the
/// same seed gives every user (and every item's "similar" list) the same order again.
/// </summary>
public sealed class RandomTrainer(int seed = 42) : IRecommenderTrainer
{
    public int Seed { get; } = seed;

    public string Name => "random";

    IRecommenderModel IRecommenderTrainer.Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        Fit(userItems, progress, cancellationToken);

    public RandomModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ContractGuard.Fit(userItems);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new TrainingProgress(Name, 1, 1, null, TimeSpan.Zero));
        return new RandomModel(Seed, userItems.Rows, userItems.Columns);
    }
}
