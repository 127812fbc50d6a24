using System.Diagnostics;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>
/// Implicit-feedback alternating least squares: Hu, Koren &amp; Volinsky (2008), "Collaborative
/// Filtering for Implicit Feedback Datasets" (ICDM), with the conjugate-gradient half-steps of
/// Takács, Pilászy &amp; Tikk (2011) — the algorithm of benfred/implicit's CPU
/// <c>AlternatingLeastSquares</c>.
/// </summary>
/// <remarks>
/// Every observed count r becomes a preference p = 1 with confidence c = 1 + α·r (or the log
/// scaling); every unobserved pair is p = 0 with c = 1. Each iteration solves all users given
/// the items, then all items given the users, in parallel over rows (<see cref="AlsOptions.Threads"/>),
/// with YᵀY + λI computed once per half-step. Factors are float32. The result depends only on the
/// data, the options and <see cref="AlsOptions.Seed"/> — not on the thread count (each row is solved
/// by one thread, and the Gram matrix is summed in a fixed order).
/// </remarks>
public sealed class AlsTrainer(AlsOptions? options = null) : RecommenderTrainer<AlsOptions, AlsModel>(options ?? AlsOptions.Default, o => o.Validate())
{
    public override string Name => "als";

    /// <summary>Learns user and item factors from a users × items matrix of counts.</summary>
    protected override AlsModel Learn(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var o = Options;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Threads, CancellationToken = cancellationToken };
        var userRows = new ConfidenceRows(userItems, o);
        var itemRows = new ConfidenceRows(userItems.Transpose(), o);
        var users = RandomFactors(userItems.Rows, o.Factors, o.InitialScale, SeedMixer.Combine(o.Seed, 1));
        var items = RandomFactors(userItems.Columns, o.Factors, o.InitialScale, SeedMixer.Combine(o.Seed, 2));

        for (int iteration = 1; iteration <= o.Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            HalfStep(userRows, users, items, parallel);
            HalfStep(itemRows, items, users, parallel);
            double? loss = o.CalculateTrainingLoss ? AlsLoss.Compute(userRows, users, items, o.Regularization, parallel) : null;
            progress?.Report(new TrainingProgress(Name, iteration, o.Iterations, loss, clock.Elapsed));
        }
        return new AlsModel(o, users, items);
    }

    private void HalfStep(ConfidenceRows rows, RowMatrix solveFor, RowMatrix fixedSide, ParallelOptions parallel)
    {
        var gram = Gram.Compute(fixedSide, Options.Regularization, parallel);
        if (Options.Solver == AlsSolver.Cholesky)
            ExactLeastSquares.SolveAll(rows, solveFor, fixedSide, gram, parallel);
        else
            ConjugateGradientSolver.SolveAll(rows, solveFor, fixedSide, gram, Options.ConjugateGradientSteps, parallel);
    }

    internal static RowMatrix RandomFactors(int rows, int factors, float scale, ulong seed)
    {
        var m = RowMatrix.Packed(rows, factors);
        var rng = new FastRandom(seed);
        var all = m.All;
        for (int i = 0; i < all.Length; i++) all[i] = rng.NextSingle() * scale;
        return m;
    }
}
