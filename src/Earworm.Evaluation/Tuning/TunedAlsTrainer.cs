using System.Collections.Concurrent;
using Earworm.Learning;
using Earworm.Learning.Factorization;

namespace Earworm.Evaluation.Tuning;

/// <summary>
/// ALS that tunes itself on the data it is fitted on: <see cref="AlsSearch"/> on a validation split of that training
/// matrix, then ALS with the chosen configuration on the whole of it. In an evaluation it only ever sees a split's
/// training part, so its choice never looks at the test items.
/// </summary>
public sealed class TunedAlsTrainer : IRecommenderTrainer
{
    private readonly ConcurrentQueue<AlsSearchResult> _searches = new();
    private readonly IProgress<AlsSearchRow>? _searchProgress;

    /// <param name="basis">what the grid does not vary (seed, solver, threads…).</param>
    /// <param name="searchProgress">hears every configuration as it is measured.</param>
    public TunedAlsTrainer(AlsOptions basis, AlsTuningOptions tuning, IProgress<AlsSearchRow>? searchProgress = null)
    {
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(tuning);
        basis.Validate();
        tuning.Validate();
        Basis = basis;
        Tuning = tuning;
        _searchProgress = searchProgress;
    }

    /// <summary>The name evaluation reports give it beside the untuned "als".</summary>
    public const string TunedName = "als-tuned";

    public AlsOptions Basis { get; }

    public AlsTuningOptions Tuning { get; }

    public string Name => TunedName;

    /// <summary>The searches of every <see cref="Fit"/> so far, in order.</summary>
    public IReadOnlyList<AlsSearchResult> Searches => [.. _searches];

    public IRecommenderModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var search = AlsSearch.Run(userItems, Basis, Tuning, _searchProgress, cancellationToken);
        _searches.Enqueue(search);
        return new AlsTrainer(search.Best.Apply(Basis)).Fit(userItems, progress, cancellationToken);
    }
}
