using System.Diagnostics;

namespace Earworm.Learning;

/// <summary>
/// What every trainer shares, written once: the contract's checks before any work (<see cref="ContractGuard.Fit"/>, a
/// cancellation already asked for), a clock started for the progress it reports, and the typed <see cref="Fit"/> that
/// returns the concrete model while <see cref="IRecommenderTrainer.Fit"/> returns the contract's. A trainer writes
/// only <see cref="Learn"/>.
/// </summary>
public abstract class RecommenderTrainer<TModel> : IRecommenderTrainer where TModel : IRecommenderModel
{
    public abstract string Name { get; }

    IRecommenderModel IRecommenderTrainer.Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        Fit(userItems, progress, cancellationToken);

    /// <summary>Learns a model from a users × items matrix of counts.</summary>
    public TModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ContractGuard.Fit(userItems);
        cancellationToken.ThrowIfCancellationRequested();
        return Learn(userItems, progress, Stopwatch.StartNew(), cancellationToken);
    }

    /// <param name="clock">Started when the work began: the elapsed time every progress report carries.</param>
    protected abstract TModel Learn(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken);
}

/// <summary>A trainer with an options record (a record with documented defaults and a <c>Validate</c>), checked on construction.</summary>
public abstract class RecommenderTrainer<TOptions, TModel> : RecommenderTrainer<TModel> where TModel : IRecommenderModel
{
    /// <param name="validate">The options' own check (their <c>Validate</c>), run now: bad options fail before any data is seen.</param>
    protected RecommenderTrainer(TOptions options, Action<TOptions> validate)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(validate);
        validate(options);
        Options = options;
    }

    public TOptions Options { get; }
}
