using System.Diagnostics;
using Earworm.Learning.Factorization;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Hybrid;

/// <summary>
/// The hybrid factorisation of LightFM (Kula 2015, "Metadata Embeddings for User and Item Cold-start
/// Recommendations", CBRecSys): an item's vector is its identity vector plus the weighted sum of its features' vectors
/// (tags, text terms), its bias likewise, and a user's score for it xᵤ·qᵢ + bᵢ; learned by BPR or WARP with Adagrad
/// (Duchi, Hazan &amp; Singer 2011). An item no one has played yet still has features, so it gets a real vector: the
/// cold-start case the model is built for.
/// </summary>
/// <remarks>
/// Negatives are drawn among the items with training interactions only: an item never played is not known to be
/// disliked, and drawing it would push its features down for everyone. Identity vectors of items without training
/// interactions stay zero and are left out of their vectors; with <see cref="HybridOptions.IdentityDropout"/> a
/// featured item's identity is left out of a step at that rate, so its features learn to place it alone. Each epoch
/// draws as many positives as there are interactions (by play count, <see cref="HybridOptions.CountWeighting"/>), split between threads that update without locks as BPR does.
/// WARP screens each drawn negative by the item's vector as of the epoch's start (one dot product) and composes its
/// current vector only for a candidate that may break the margin. With <see cref="HybridOptions.FeatureDamping"/> a
/// played item's features weigh less the more listeners it has.
/// Progress reports the mean loss (BPR: −ln σ(x̂ᵤᵢⱼ); WARP: the rank-weighted hinge) per epoch.
/// </remarks>
public sealed class HybridTrainer : RecommenderTrainer<HybridOptions, HybridModel>
{
    private readonly ItemFeatures _features;

    public HybridTrainer(ItemFeatures features, HybridOptions? options = null) : base(options ?? HybridOptions.Default, o => o.Validate())
    {
        ArgumentNullException.ThrowIfNull(features);
        _features = features;
    }

    public override string Name => "hybrid";

    protected override HybridModel Learn(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (_features.ItemCount != userItems.Columns)
            throw new ArgumentException($"features for {_features.ItemCount} items, interactions over {userItems.Columns}");
        var o = Options;
        var state = new State(userItems, _features, o);
        int nnz = userItems.NonZeros;
        int threads = Math.Max(1, Math.Min(o.Threads, nnz));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.Threads, CancellationToken = cancellationToken };
        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var losses = new double[threads];
            var drawn = new long[threads];
            int e = epoch;
            if (nnz > 0 && state.Warm.Length > 1)
            {
                if (o.Loss == HybridLoss.Warp) state.Screen();
                Parallel.For(0, threads, parallel, t =>
                {
                    long from = (long)nnz * t / threads, to = (long)nnz * (t + 1) / threads;
                    var rng = new FastRandom(SeedMixer.Combine(o.Seed, 7, e, t));
                    (losses[t], drawn[t]) = state.Run(to - from, ref rng);
                });
            }
            long n = drawn.Sum();
            progress?.Report(new TrainingProgress(Name, epoch, o.Epochs, n > 0 ? losses.Sum() / n : null, clock.Elapsed));
        }
        return state.Model();
    }

    /// <summary>The parameters being learned and their Adagrad sums, with the data a step reads.</summary>
    private sealed class State
    {
        private readonly HybridOptions _o;
        private readonly InteractionMatrix _userItems;
        private readonly ItemFeatures _features;
        private readonly int[] _userOf;
        private readonly int[] _itemOf;
        private readonly RowMatrix _users;
        private readonly RowMatrix _userSums;
        private readonly RowMatrix _embeddings; // items' identities, then features
        private readonly RowMatrix _embeddingSums;
        private readonly float[] _biases;
        private readonly float[] _biasSums;
        private readonly bool[] _seen;
        private readonly float[] _share; // the features' weight in each item's vector (FeatureDamping)
        private readonly RowMatrix? _screen; // WARP: the warm items' vectors as of the epoch's start, to screen negatives
        private readonly float[] _screenBiases;
        private readonly Embeddings.AliasSampler? _positives; // null: uniform over interactions

        public State(InteractionMatrix userItems, ItemFeatures features, HybridOptions o)
        {
            _o = o;
            _userItems = userItems;
            _features = features;
            int k = o.Factors, items = userItems.Columns, rows = items + features.FeatureCount;
            _userOf = new int[userItems.NonZeros];
            _itemOf = new int[userItems.NonZeros];
            _seen = new bool[items];
            for (int u = 0, at = 0; u < userItems.Rows; u++)
                foreach (var i in userItems.RowIndices(u))
                {
                    _userOf[at] = u;
                    _itemOf[at++] = i;
                    _seen[i] = true;
                }
            Warm = [.. Enumerable.Range(0, items).Where(i => _seen[i])];
            _share = Enumerable.Repeat(1f, items).ToArray();
            if (o.FeatureDamping > 0)
            {
                var listeners = new int[items];
                foreach (int i in _itemOf) listeners[i]++;
                for (int i = 0; i < items; i++) _share[i] = o.FeatureDamping / (o.FeatureDamping + listeners[i]);
            }
            _screen = o.Loss == HybridLoss.Warp ? RowMatrix.Packed(items, k) : null;
            _screenBiases = new float[o.Loss == HybridLoss.Warp ? items : 0];
            if (o.CountWeighting && userItems.NonZeros > 0)
            {
                var weights = new double[userItems.NonZeros];
                for (int u = 0, at = 0; u < userItems.Rows; u++)
                    foreach (var c in userItems.RowValues(u)) weights[at++] = 1 + Math.Log(1 + Math.Max(0, c));
                _positives = new Embeddings.AliasSampler([.. Enumerable.Range(0, weights.Length)], weights);
            }
            // LightFM's initialisation: uniform in (−0.5, 0.5)/k; identities of unplayed items zero (never used)
            _users = Centred(AlsTrainer.RandomFactors(userItems.Rows, k, 1f, SeedMixer.Combine(o.Seed, 1)), k);
            _embeddings = Centred(AlsTrainer.RandomFactors(rows, k, 1f, SeedMixer.Combine(o.Seed, 2)), k);
            for (int i = 0; i < items; i++)
                if (!_seen[i]) _embeddings.Row(i).Clear();
            _userSums = Ones(userItems.Rows, k);
            _embeddingSums = Ones(rows, k);
            _biases = new float[rows];
            _biasSums = Enumerable.Repeat(1f, rows).ToArray();
        }

        /// <summary>The items with training interactions: where negatives are drawn.</summary>
        public int[] Warm { get; }

        private static RowMatrix Centred(RowMatrix m, int k)
        {
            var all = m.All;
            for (int i = 0; i < all.Length; i++) all[i] = (all[i] - 0.5f) / k;
            return m;
        }

        private static RowMatrix Ones(int rows, int k)
        {
            var m = RowMatrix.Packed(rows, k);
            m.All.Fill(1f);
            return m;
        }

        /// <summary>Whether a step uses the item's identity vector: played in training, and not dropped for a featured item.</summary>
        private bool Identity(int item, ref FastRandom rng) =>
            _seen[item] && !(_o.IdentityDropout > 0 && _features.Has(item) && rng.NextSingle() < _o.IdentityDropout);

        /// <summary>WARP: every warm item's vector and bias as they are now, which the next epoch screens its negatives by
        /// (a dot product each, not a sum over the item's features); a candidate is checked with its current vector before
        /// it counts. Between epochs only: the vectors move little within one, and a draw that the screen misses is simply
        /// another draw.</summary>
        public void Screen()
        {
            foreach (int i in Warm) _screenBiases[i] = Compose(i, true, _screen!.Row(i));
        }

        /// <summary>qᵢ into <paramref name="q"/>; returns bᵢ.</summary>
        private float Compose(int item, bool identity, Span<float> q)
        {
            float b = 0;
            q.Clear();
            if (identity)
            {
                _embeddings.Row(item).CopyTo(q);
                b = _biases[item];
            }
            var fs = _features.FeaturesOf(item);
            var ws = _features.WeightsOf(item);
            int items = _userItems.Columns;
            float share = _share[item];
            for (int x = 0; x < fs.Length; x++)
            {
                float w = share * ws[x];
                Simd.AddScaled(w, _embeddings.Row(items + fs[x]), q);
                b += w * _biases[items + fs[x]];
            }
            return b;
        }

        public (double Loss, long Drawn) Run(long samples, ref FastRandom rng)
        {
            int k = _o.Factors;
            Span<float> qi = stackalloc float[k];
            Span<float> qj = stackalloc float[k];
            Span<float> user = stackalloc float[k];
            double loss = 0;
            long drawn = 0;
            for (long s = 0; s < samples; s++)
            {
                int at = _positives?.Sample(ref rng) ?? rng.Next(_itemOf.Length);
                int u = _userOf[at], i = _itemOf[at];
                bool idI = Identity(i, ref rng);
                var xu = _users.Row(u);
                float bi = Compose(i, idI, qi);
                float si = Simd.Dot(xu, qi) + bi;
                drawn++;
                if (_o.Loss == HybridLoss.Bpr)
                {
                    int j = Warm[rng.Next(Warm.Length)];
                    if (j == i || _userItems.Contains(u, j)) continue;
                    bool idJ = Identity(j, ref rng);
                    float bj = Compose(j, idJ, qj);
                    float x = si - (Simd.Dot(xu, qj) + bj);
                    float z = 1f / (1f + MathF.Exp(x)); // σ(−x)
                    loss += x > 30 ? 0 : x < -30 ? -x : MathF.Log(1 + MathF.Exp(-x));
                    Step(u, i, idI, j, idJ, qi, qj, user, z);
                }
                else
                {
                    for (int t = 1; t <= _o.MaxSampled; t++)
                    {
                        int j = Warm[rng.Next(Warm.Length)];
                        if (j == i || Simd.Dot(xu, _screen!.Row(j)) + _screenBiases[j] <= si - 1 || _userItems.Contains(u, j)) continue;
                        bool idJ = Identity(j, ref rng);
                        float bj = Compose(j, idJ, qj);
                        float sj = Simd.Dot(xu, qj) + bj;
                        if (sj > si - 1)
                        {
                            // the rank of i estimated from the draws needed: ⌊(N − 1)/t⌋, weighted by its log (Weston et al. 2011)
                            float weight = MathF.Log(Math.Max(1, (Warm.Length - 1) / t));
                            loss += weight * (1 - si + sj);
                            Step(u, i, idI, j, idJ, qi, qj, user, weight);
                            break;
                        }
                    }
                }
            }
            return (loss, drawn);
        }

        /// <summary>One Adagrad ascent step on g·(x̂ᵤᵢ − x̂ᵤⱼ) minus the L2 penalty, every gradient from the values before it.</summary>
        private void Step(int u, int i, bool idI, int j, bool idJ, Span<float> qi, Span<float> qj, Span<float> user, float g)
        {
            float lr = _o.LearningRate, reg = _o.Regularization;
            var xu = _users.Row(u);
            xu.CopyTo(user);
            // user: g·(qᵢ − qⱼ)
            var su = _userSums.Row(u);
            for (int c = 0; c < xu.Length; c++)
            {
                float grad = g * (qi[c] - qj[c]) - reg * xu[c];
                su[c] += grad * grad;
                xu[c] += lr * grad / MathF.Sqrt(su[c]);
            }
            if (idI) Row(i, g, user);
            if (idJ) Row(j, -g, user);
            int items = _userItems.Columns;
            var fi = _features.FeaturesOf(i);
            var wi = _features.WeightsOf(i);
            float gi = g * _share[i], gj = -g * _share[j];
            for (int x = 0; x < fi.Length; x++) Row(items + fi[x], gi * wi[x], user);
            var fj = _features.FeaturesOf(j);
            var wj = _features.WeightsOf(j);
            for (int x = 0; x < fj.Length; x++) Row(items + fj[x], gj * wj[x], user);
        }

        /// <summary>Ascent on one embedding row and its bias with gradient scale·xᵤ (and scale for the bias).</summary>
        private void Row(int r, float scale, ReadOnlySpan<float> user)
        {
            float lr = _o.LearningRate, reg = _o.Regularization;
            var e = _embeddings.Row(r);
            var s = _embeddingSums.Row(r);
            for (int c = 0; c < e.Length; c++)
            {
                float grad = scale * user[c] - reg * e[c];
                s[c] += grad * grad;
                e[c] += lr * grad / MathF.Sqrt(s[c]);
            }
            _biasSums[r] += scale * scale;
            _biases[r] += lr * scale / MathF.Sqrt(_biasSums[r]);
        }

        /// <summary>The model: every item's vector and bias composed with its identity when it was played in training.</summary>
        public HybridModel Model()
        {
            int items = _userItems.Columns, k = _o.Factors;
            var vectors = RowMatrix.Packed(items, k);
            var biases = new float[items];
            for (int i = 0; i < items; i++) biases[i] = Compose(i, _seen[i], vectors.Row(i));
            var features = RowMatrix.Packed(_features.FeatureCount, k);
            for (int f = 0; f < _features.FeatureCount; f++) _embeddings.Row(items + f).CopyTo(features.Row(f));
            return new HybridModel(_o, _users, vectors, biases, _features.Names, features, _biases.AsSpan(items).ToArray());
        }
    }
}
