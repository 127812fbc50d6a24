using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Factorization;

/// <summary>
/// Bayesian Personalized Ranking with matrix factorisation (Rendle, Freudenthaler, Gantner &amp;
/// Schmidt-Thieme 2009, "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI):
/// stochastic gradient ascent on ln σ(x̂ᵤᵢ − x̂ᵤⱼ) − λ‖Θ‖² over triples (u, i played, j not played),
/// with x̂ᵤᵢ = xᵤ·yᵢ + bᵢ (the item bias of benfred/implicit's <c>BayesianPersonalizedRanking</c>).
/// </summary>
/// <remarks>
/// Each epoch draws as many triples as there are interactions: (u, i) uniformly among the
/// interactions (LearnBPR's bootstrap sampling), j by <see cref="BprOptions.NegativeSampling"/>.
/// The triples are split evenly between <see cref="BprOptions.Threads"/> threads, each with its
/// own generator seeded from (seed, epoch, thread), which update the shared factors without locks
/// (Hogwild!, Niu et al. 2011), as implicit does. Progress reports, per epoch, the mean of
/// −ln σ(x̂ᵤᵢⱼ) over the drawn triples as the loss and the fraction ranked correctly before their
/// update as <see cref="TrainingProgress.SampledAccuracy"/>. Counts are ignored: any interaction is a positive.
/// </remarks>
public sealed class BprTrainer : IRecommenderTrainer
{
    public BprTrainer(BprOptions? options = null)
    {
        Options = options ?? BprOptions.Default;
        Options.Validate();
    }

    public BprOptions Options { get; }

    public string Name => "bpr";

    IRecommenderModel IRecommenderTrainer.Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken) =>
        Fit(userItems, progress, cancellationToken);

    public BprModel Fit(InteractionMatrix userItems, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ContractGuard.Fit(userItems);
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var o = Options;
        int k = o.Factors, nnz = userItems.NonZeros;
        var userOf = new int[nnz];
        var itemOf = new int[nnz];
        for (int u = 0, at = 0; u < userItems.Rows; u++)
        {
            var row = userItems.RowIndices(u);
            row.CopyTo(itemOf.AsSpan(at));
            userOf.AsSpan(at, row.Length).Fill(u);
            at += row.Length;
        }
        var (users, items, biases) = Initialise(userItems, userOf, itemOf);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Threads, CancellationToken = cancellationToken };
        int threads = nnz == 0 ? 1 : Math.Min(o.Threads, nnz);

        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tallies = new Tally[threads];
            int e = epoch;
            Parallel.For(0, threads, parallel, t =>
            {
                long from = (long)nnz * t / threads, to = (long)nnz * (t + 1) / threads;
                var rng = new FastRandom(SeedMixer.Combine(o.Seed, 3, e, t));
                tallies[t] = RunSamples(to - from, ref rng, userItems, userOf, itemOf, users, items, biases);
            });
            long drawn = 0, skipped = 0, correct = 0;
            double loss = 0;
            foreach (var x in tallies)
            {
                drawn += x.Drawn;
                skipped += x.Skipped;
                correct += x.Correct;
                loss += x.Loss;
            }
            long used = drawn - skipped;
            progress?.Report(new TrainingProgress(Name, epoch, o.Epochs, used > 0 ? loss / used : null, clock.Elapsed,
                used > 0 ? (double)correct / used : null));
        }
        return new BprModel(o, users, items, biases);
    }

    private record struct Tally(long Drawn, long Skipped, long Correct, double Loss);

    private Tally RunSamples(long samples, ref FastRandom rng, InteractionMatrix userItems, int[] userOf, int[] itemOf,
        RowMatrix users, RowMatrix items, float[] biases)
    {
        var o = Options;
        float lr = o.LearningRate, reg = o.Regularization;
        int nnz = itemOf.Length, itemCount = items.Rows;
        long skipped = 0, correct = 0;
        double loss = 0;
        for (long s = 0; s < samples; s++)
        {
            int at = rng.Next(nnz);
            int u = userOf[at], liked = itemOf[at];
            int disliked = o.NegativeSampling == NegativeSampling.Popularity ? itemOf[rng.Next(nnz)] : rng.Next(itemCount);
            if (disliked == liked || (o.VerifyNegativeSamples && userItems.Contains(u, disliked)))
            {
                skipped++;
                continue;
            }
            var x = users.Row(u);
            var yi = items.Row(liked);
            var yj = items.Row(disliked);
            float score = Simd.Dot(x, yi) - Simd.Dot(x, yj) + biases[liked] - biases[disliked];
            float z = 1f / (1f + MathF.Exp(score)); // σ(−x̂ᵤᵢⱼ), the gradient's scale
            if (z < 0.5f) correct++;
            loss += score > 0 ? Math.Log(1 + Math.Exp(-score)) : -score + Math.Log(1 + Math.Exp(score));
            Update(x, yi, yj, z, lr, reg);
            biases[liked] += lr * (z - reg * biases[liked]);
            biases[disliked] += lr * (-z - reg * biases[disliked]);
        }
        return new Tally(samples, skipped, correct, loss);
    }

    /// <summary>The SGD step of implicit's <c>bpr_update</c>, all three rows read before any is written.</summary>
    private static void Update(Span<float> x, Span<float> yi, Span<float> yj, float z, float lr, float reg)
    {
        int n = x.Length, c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float px = ref MemoryMarshal.GetReference(x);
            ref float pi = ref MemoryMarshal.GetReference(yi);
            ref float pj = ref MemoryMarshal.GetReference(yj);
            var vz = Vector256.Create(z);
            var vlr = Vector256.Create(lr);
            var vreg = Vector256.Create(reg);
            for (; c <= n - 8; c += 8)
            {
                var u = Vector256.LoadUnsafe(ref px, (nuint)c);
                var a = Vector256.LoadUnsafe(ref pi, (nuint)c);
                var b = Vector256.LoadUnsafe(ref pj, (nuint)c);
                (u + vlr * (vz * (a - b) - vreg * u)).StoreUnsafe(ref px, (nuint)c);
                (a + vlr * (vz * u - vreg * a)).StoreUnsafe(ref pi, (nuint)c);
                (b + vlr * (-vz * u - vreg * b)).StoreUnsafe(ref pj, (nuint)c);
            }
        }
        for (; c < n; c++)
        {
            float u = x[c], a = yi[c], b = yj[c];
            x[c] = u + lr * (z * (a - b) - reg * u);
            yi[c] = a + lr * (z * u - reg * a);
            yj[c] = b + lr * (-z * u - reg * b);
        }
    }

    /// <summary>Uniform in (−0.5, 0.5)/k as implicit, zero for users and items without interactions; biases start at 0.</summary>
    private (RowMatrix Users, RowMatrix Items, float[] Biases) Initialise(InteractionMatrix userItems, int[] userOf, int[] itemOf)
    {
        int k = Options.Factors;
        var users = AlsTrainer.RandomFactors(userItems.Rows, k, 1f, SeedMixer.Combine(Options.Seed, 1));
        var items = AlsTrainer.RandomFactors(userItems.Columns, k, 1f, SeedMixer.Combine(Options.Seed, 2));
        var userSeen = new bool[userItems.Rows];
        var itemSeen = new bool[userItems.Columns];
        foreach (var u in userOf) userSeen[u] = true;
        foreach (var i in itemOf) itemSeen[i] = true;
        Centre(users, userSeen, k);
        Centre(items, itemSeen, k);
        return (users, items, new float[userItems.Columns]);
    }

    private static void Centre(RowMatrix m, bool[] seen, int k)
    {
        for (int r = 0; r < m.Rows; r++)
        {
            var row = m.Row(r);
            if (!seen[r]) row.Clear();
            else for (int c = 0; c < row.Length; c++) row[c] = (row[c] - 0.5f) / k;
        }
    }
}
