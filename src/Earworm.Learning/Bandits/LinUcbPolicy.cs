using System.Globalization;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Bandits;

/// <summary>
/// LinUCB (Li, Chu, Langford and Schapire, "A Contextual-Bandit Approach to Personalized News Article
/// Recommendation", WWW 2010): a ridge regression of the reward on the arm's features, θ = A⁻¹b with
/// A = λI + Σ x xᵀ and b = Σ r x, picking the largest upper confidence bound θᵀx + α·√(xᵀA⁻¹x). One model per listener
/// (the disjoint form, keyed by <see cref="BanditContext.User"/>) or one for all (<c>perUser: false</c>, when the
/// features already cross listener and track). With a discount γ &lt; 1 old observations fade (A ← γA + (1 − γ)λI,
/// b ← γb before each update: D-LinUCB, Russac, Vernade and Cappé, NeurIPS 2019), so drifting tastes are followed.
/// α = 0 is the greedy ridge policy. Deterministic: the propensity is 1 for the pick (shared on exact ties).
/// </summary>
public sealed class LinUcbPolicy : IBanditPolicy
{
    private readonly Dictionary<int, (double[] A, double[] B)> _models;

    public LinUcbPolicy(int dimensions, double alpha = 1, double regularization = 1, double discount = 1, bool perUser = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (!(alpha >= 0) || double.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "must be non-negative");
        if (!(regularization > 0)) throw new ArgumentOutOfRangeException(nameof(regularization), regularization, "must be positive");
        if (!(discount > 0 && discount <= 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "must lie in (0, 1]");
        (Dimensions, Alpha, Regularization, Discount, PerUser) = (dimensions, alpha, regularization, discount, perUser);
        _models = [];
    }

    private LinUcbPolicy(LinUcbPolicy other) : this(other.Dimensions, other.Alpha, other.Regularization, other.Discount, other.PerUser)
    {
        foreach (var (key, (a, b)) in other._models) _models[key] = ((double[])a.Clone(), (double[])b.Clone());
    }

    public int Dimensions { get; }

    public double Alpha { get; }

    public double Regularization { get; }

    public double Discount { get; }

    public bool PerUser { get; }

    public string Name => "linucb";

    public string Version => string.Create(CultureInfo.InvariantCulture,
        $"d={Dimensions},alpha={Alpha:0.####},lambda={Regularization:0.####},gamma={Discount:0.####}{(PerUser ? ",per-user" : "")}");

    public bool Learns => true;

    /// <summary>Each arm's upper confidence bound in <paramref name="context"/>.</summary>
    public double[] Bounds(BanditContext context) => Scores(context, Alpha);

    /// <summary>Each arm's expected reward in <paramref name="context"/> (θᵀx: the bound without its width).</summary>
    public double[] Means(BanditContext context) => Scores(context, 0);

    private double[] Scores(BanditContext context, double alpha)
    {
        ArgumentNullException.ThrowIfNull(context);
        int d = Dimensions;
        var (a, b) = Model(context.User, create: false);
        var factor = (double[])a.Clone();
        if (!Cholesky.TryFactor(factor, d)) throw new InvalidOperationException("LinUCB's A lost positive definiteness");
        var theta = (double[])b.Clone();
        Cholesky.Solve(factor, d, theta);
        var bounds = new double[context.Count];
        var solved = new double[d];
        for (int i = 0; i < context.Count; i++)
        {
            var x = FeaturesOf(context.Arms[i]);
            x.CopyTo(solved, 0);
            Cholesky.Solve(factor, d, solved);
            double mean = 0, width = 0;
            for (int k = 0; k < d; k++) { mean += theta[k] * x[k]; width += x[k] * solved[k]; }
            bounds[i] = mean + alpha * Math.Sqrt(Math.Max(width, 0));
        }
        return bounds;
    }

    public void Probabilities(BanditContext context, Span<double> into, Random random)
    {
        var bounds = Bounds(context);
        double best = bounds.Max();
        int ties = bounds.Count(v => v == best);
        for (int i = 0; i < bounds.Length; i++) into[i] = bounds[i] == best ? 1.0 / ties : 0;
    }

    public BanditChoice Choose(BanditContext context, Random random)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Count == 0) throw new ArgumentException("a context without arms", nameof(context));
        var bounds = Bounds(context);
        double best = bounds.Max();
        var top = Enumerable.Range(0, bounds.Length).Where(i => bounds[i] == best).ToArray();
        return new BanditChoice(top.Length == 1 ? top[0] : top[random.Next(top.Length)], 1.0 / top.Length);
    }

    public void Update(BanditContext context, int index, double reward)
    {
        ArgumentNullException.ThrowIfNull(context);
        var x = FeaturesOf(context.Arms[index]);
        var (a, b) = Model(context.User, create: true);
        int d = Dimensions;
        if (Discount < 1)
        {
            for (int i = 0; i < a.Length; i++) a[i] *= Discount;
            for (int k = 0; k < d; k++) { a[k * d + k] += (1 - Discount) * Regularization; b[k] *= Discount; }
        }
        for (int r = 0; r < d; r++)
        {
            b[r] += reward * x[r];
            for (int c = 0; c < d; c++) a[r * d + c] += x[r] * x[c];
        }
    }

    public IBanditPolicy Clone() => new LinUcbPolicy(this);

    private double[] FeaturesOf(BanditArm arm) =>
        arm.Features is { } x && x.Length == Dimensions ? x
        : throw new ArgumentException($"LinUCB needs {Dimensions} features per arm; item {arm.Item} has {arm.Features?.Length ?? 0}");

    private (double[] A, double[] B) Model(int user, bool create)
    {
        int key = PerUser ? user : 0;
        if (_models.TryGetValue(key, out var m)) return m;
        var a = new double[Dimensions * Dimensions];
        for (int k = 0; k < Dimensions; k++) a[k * Dimensions + k] = Regularization;
        m = (a, new double[Dimensions]);
        if (create) _models[key] = m;
        return m;
    }
}
