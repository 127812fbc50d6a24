using System.Globalization;

namespace Earworm.Learning.Bandits;

/// <summary>
/// Thompson sampling with a Beta-Bernoulli posterior per item (Thompson 1933; Chapelle and Li, "An Empirical Evaluation
/// of Thompson Sampling", NIPS 2011): draw a play probability from each candidate's Beta(α₀ + plays, β₀ + misses) and
/// pick the largest. With a discount γ &lt; 1 every update first multiplies all counts by γ (discounted Thompson
/// sampling, Raj and Kalyani 2017), so old feedback fades and the policy follows tastes that drift. The propensity of
/// a pick has no closed form: it is estimated from <see cref="PropensityDraws"/> further draws, the pick's own draw
/// counted in (so it is never 0).
/// </summary>
public sealed class ThompsonPolicy : IBanditPolicy
{
    private readonly Dictionary<int, (double Plays, double Misses, long Step)> _posteriors;
    private long _step;

    public ThompsonPolicy(double priorPlays = 1, double priorMisses = 1, double discount = 1, int propensityDraws = 200)
    {
        if (!(priorPlays > 0) || !(priorMisses > 0)) throw new ArgumentOutOfRangeException(nameof(priorPlays), "the Beta prior's counts must be positive");
        if (!(discount > 0 && discount <= 1)) throw new ArgumentOutOfRangeException(nameof(discount), discount, "must lie in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(propensityDraws, 1);
        (PriorPlays, PriorMisses, Discount, PropensityDraws) = (priorPlays, priorMisses, discount, propensityDraws);
        _posteriors = [];
    }

    private ThompsonPolicy(ThompsonPolicy other) : this(other.PriorPlays, other.PriorMisses, other.Discount, other.PropensityDraws)
    {
        _posteriors = new Dictionary<int, (double, double, long)>(other._posteriors);
        _step = other._step;
    }

    public double PriorPlays { get; }

    public double PriorMisses { get; }

    public double Discount { get; }

    public int PropensityDraws { get; }

    public string Name => "thompson";

    public string Version => string.Create(CultureInfo.InvariantCulture, $"beta({PriorPlays:0.##},{PriorMisses:0.##}),gamma={Discount:0.####}");

    public bool Learns => true;

    /// <summary>The posterior Beta(α, β) of an item now.</summary>
    public (double Alpha, double Beta) Posterior(int item)
    {
        if (!_posteriors.TryGetValue(item, out var c)) return (PriorPlays, PriorMisses);
        double fade = Math.Pow(Discount, _step - c.Step);
        return (PriorPlays + fade * c.Plays, PriorMisses + fade * c.Misses);
    }

    public void Probabilities(BanditContext context, Span<double> into, Random random)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (alpha, beta) = Posteriors(context);
        into[..context.Count].Clear();
        for (int d = 0; d < PropensityDraws; d++) into[Draw(alpha, beta, random)] += 1.0 / PropensityDraws;
    }

    public BanditChoice Choose(BanditContext context, Random random)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Count == 0) throw new ArgumentException("a context without arms", nameof(context));
        var (alpha, beta) = Posteriors(context);
        int pick = Draw(alpha, beta, random), wins = 1;
        for (int d = 0; d < PropensityDraws; d++) if (Draw(alpha, beta, random) == pick) wins++;
        return new BanditChoice(pick, wins / (PropensityDraws + 1.0));
    }

    public void Update(BanditContext context, int index, double reward)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!(reward >= 0 && reward <= 1)) throw new ArgumentOutOfRangeException(nameof(reward), reward, "a Bernoulli reward lies in [0, 1]");
        int item = context.Arms[index].Item;
        _step++;
        var (plays, misses, _) = _posteriors.TryGetValue(item, out var c) ? c : (0, 0, _step);
        double fade = Math.Pow(Discount, _step - c.Step);
        _posteriors[item] = (fade * plays + reward, fade * misses + (1 - reward), _step);
    }

    public IBanditPolicy Clone() => new ThompsonPolicy(this);

    private (double[] Alpha, double[] Beta) Posteriors(BanditContext context)
    {
        var alpha = new double[context.Count];
        var beta = new double[context.Count];
        for (int i = 0; i < context.Count; i++) (alpha[i], beta[i]) = Posterior(context.Arms[i].Item);
        return (alpha, beta);
    }

    private static int Draw(double[] alpha, double[] beta, Random random)
    {
        int best = 0;
        double top = double.NegativeInfinity;
        for (int i = 0; i < alpha.Length; i++)
        {
            double theta = Draws.Beta(random, alpha[i], beta[i]);
            if (theta > top) (top, best) = (theta, i);
        }
        return best;
    }
}
