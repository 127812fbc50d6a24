namespace Earworm.Evaluation.OffPolicy;

/// <summary>
/// The direct-method reward model q̂(x, a) of the doubly robust estimator: a logistic regression of the logged reward on
/// the recommender's score of the arm, σ(c₀ + c₁·score) (Newton's method; the score is what every logged candidate has),
/// then each item's own mean, shrunk towards that by <see cref="PriorWeight"/> pseudo-observations (an empirical-Bayes
/// mean, so an item seen once is not taken at its word). Fitted with two-fold cross-fitting (Chernozhukov et al.,
/// "Double/debiased machine learning", 2018): a decision is scored by the model of the other half, so q̂ never saw the
/// reward it corrects.
/// </summary>
public sealed class RewardModel
{
    public const double PriorWeight = 5;

    private readonly Dictionary<int, (double Residual, int Count)> _items = [];
    private readonly double _c0, _c1;

    private RewardModel(IReadOnlyList<LoggedDecision> decisions)
    {
        (_c0, _c1) = Logistic(decisions);
        foreach (var d in decisions)
        {
            var (s, c) = _items.GetValueOrDefault(d.ChosenItem);
            _items[d.ChosenItem] = (s + d.Reward - Curve(d.Context.Arms[d.Chosen].Score), c + 1);
        }
    }

    public double Predict(Learning.Bandits.BanditArm arm)
    {
        ArgumentNullException.ThrowIfNull(arm);
        double prior = Curve(arm.Score);
        var (residual, count) = _items.GetValueOrDefault(arm.Item);
        return Math.Clamp(prior + residual / (count + PriorWeight), 0, 1);
    }

    /// <summary>For each decision, the model fitted on the other fold (even and odd positions).</summary>
    public static RewardModel[] CrossFitted(IReadOnlyList<LoggedDecision> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var odd = new RewardModel([.. log.Where((_, i) => i % 2 == 1)]);
        var even = new RewardModel([.. log.Where((_, i) => i % 2 == 0)]);
        return [.. Enumerable.Range(0, log.Count).Select(i => i % 2 == 0 ? odd : even)];
    }

    private double Curve(double score) => 1 / (1 + Math.Exp(-(_c0 + _c1 * score)));

    /// <summary>Maximum likelihood of σ(c₀ + c₁·score) by Newton's method (a ridge of 1e-6 keeps the Hessian invertible
    /// when every reward is the same or every score equal).</summary>
    private static (double, double) Logistic(IReadOnlyList<LoggedDecision> decisions)
    {
        double c0 = 0, c1 = 0;
        for (int iteration = 0; iteration < 25; iteration++)
        {
            double g0 = 0, g1 = 0, h00 = 1e-6, h01 = 0, h11 = 1e-6;
            foreach (var d in decisions)
            {
                double x = d.Context.Arms[d.Chosen].Score, p = 1 / (1 + Math.Exp(-(c0 + c1 * x))), w = p * (1 - p);
                g0 += d.Reward - p; g1 += (d.Reward - p) * x;
                h00 += w; h01 += w * x; h11 += w * x * x;
            }
            double det = h00 * h11 - h01 * h01;
            if (!(det > 0)) break;
            double s0 = (h11 * g0 - h01 * g1) / det, s1 = (h00 * g1 - h01 * g0) / det;
            c0 += s0; c1 += s1;
            if (Math.Abs(s0) + Math.Abs(s1) < 1e-9) break;
        }
        return (c0, c1);
    }
}
