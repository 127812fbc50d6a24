using System.Diagnostics;
using System.Runtime.CompilerServices;
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
public sealed class BprTrainer(BprOptions? options = null) : RecommenderTrainer<BprOptions, BprModel>(options ?? BprOptions.Default, o => o.Validate())
{
    public override string Name => "bpr";

    protected override BprModel Learn(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var o = Options;
        int nnz = userItems.NonZeros;
        // the interactions as parallel arrays (CSR order), pinned so the sampler can prefetch them
        var userOf = GC.AllocateUninitializedArray<int>(nnz, pinned: true);
        var itemOf = GC.AllocateUninitializedArray<int>(nnz, pinned: true);
        var userStart = GC.AllocateUninitializedArray<int>(userItems.Rows + 1, pinned: true);
        userStart[0] = 0;
        for (int u = 0, at = 0; u < userItems.Rows; u++)
        {
            var row = userItems.RowIndices(u);
            row.CopyTo(itemOf.AsSpan(at));
            userOf.AsSpan(at, row.Length).Fill(u);
            at += row.Length;
            userStart[u + 1] = at;
        }
        var data = new Interactions(userOf, itemOf, userStart);
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
                tallies[t] = RunSamples(to - from, ref rng, data, users, items, biases);
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

    /// <summary>Interactions in CSR order: user and item of each, and where each user's items start.</summary>
    private sealed record Interactions(int[] UserOf, int[] ItemOf, int[] UserStart)
    {
        public bool Contains(int user, int item) =>
            Array.BinarySearch(ItemOf, UserStart[user], UserStart[user + 1] - UserStart[user], item) >= 0;
    }

    // A triple is drawn 2·Stage samples before its update: its interaction's user and item are
    // prefetched first, then, Stage samples later, the factor rows, so the cache misses of several
    // triples overlap. The draws happen in sample order, so one thread still repeats exactly.
    private const int Stage = 4;
    private const int RingMask = 15; // ring of 16 ≥ 2·Stage + 1 triples

    private Tally RunSamples(long samples, ref FastRandom rng, Interactions data, RowMatrix users, RowMatrix items, float[] biases)
    {
        var o = Options;
        float lr = o.LearningRate, reg = o.Regularization;
        int nnz = data.ItemOf.Length, itemCount = items.Rows, k = users.Columns;
        bool popularity = o.NegativeSampling == NegativeSampling.Popularity;
        ref float userBase = ref MemoryMarshal.GetReference(users.All);
        ref float itemBase = ref MemoryMarshal.GetReference(items.All);
        Span<int> ringAt = stackalloc int[RingMask + 1];
        Span<int> ringNegative = stackalloc int[RingMask + 1];
        Span<int> ringUser = stackalloc int[RingMask + 1];
        Span<int> ringLiked = stackalloc int[RingMask + 1];
        long skipped = 0, correct = 0;
        double loss = 0;
        for (long t = 0; t < samples + 2 * Stage; t++)
        {
            if (t < samples)
            {
                int slot = (int)(t & RingMask);
                int at = rng.Next(nnz);
                int negative = popularity ? rng.Next(nnz) : rng.Next(itemCount); // popularity: an interaction whose item is the negative
                ringAt[slot] = at;
                ringNegative[slot] = negative;
                Prefetch.Line(ref data.UserOf[at]);
                Prefetch.Line(ref data.ItemOf[at]);
                if (popularity) Prefetch.Line(ref data.ItemOf[negative]);
            }
            long q = t - Stage;
            if (q >= 0 && q < samples)
            {
                int slot = (int)(q & RingMask);
                int u = data.UserOf[ringAt[slot]], liked = data.ItemOf[ringAt[slot]];
                if (popularity) ringNegative[slot] = data.ItemOf[ringNegative[slot]];
                ringUser[slot] = u;
                ringLiked[slot] = liked;
                Prefetch.Line(ref data.UserStart[u]);
                Prefetch.Floats(ref Unsafe.Add(ref userBase, (nint)u * k), k);
                Prefetch.Floats(ref Unsafe.Add(ref itemBase, (nint)liked * k), k);
                Prefetch.Floats(ref Unsafe.Add(ref itemBase, (nint)ringNegative[slot] * k), k);
            }
            long p = t - 2 * Stage;
            if (p < 0) continue;
            {
                int slot = (int)(p & RingMask);
                int u = ringUser[slot], liked = ringLiked[slot], disliked = ringNegative[slot];
                if (disliked == liked || (o.VerifyNegativeSamples && data.Contains(u, disliked)))
                {
                    skipped++;
                    continue;
                }
                var x = users.Row(u);
                var yi = items.Row(liked);
                var yj = items.Row(disliked);
                float score = Simd.Dot(x, yi) - Simd.Dot(x, yj) + biases[liked] - biases[disliked];
                float e = MathF.Exp(score);
                float z = 1f / (1f + e); // σ(−x̂ᵤᵢⱼ), the gradient's scale
                if (z < 0.5f) correct++;
                if (score < 30) loss += MathF.Log(1 + e) - score; // −ln σ(x̂ᵤᵢⱼ)
                Update(x, yi, yj, z, lr, reg);
                biases[liked] += lr * (z - reg * biases[liked]);
                biases[disliked] += lr * (-z - reg * biases[disliked]);
            }
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
