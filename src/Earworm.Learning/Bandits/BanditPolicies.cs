using System.Globalization;

namespace Earworm.Learning.Bandits;

/// <summary>Policies by the names the command line and the logs use: <c>greedy</c>, <c>epsilon-greedy[:ε]</c>,
/// <c>softmax[:τ]</c>, <c>thompson[:γ]</c>, <c>linucb[:α]</c> (γ a discount, α the width of the confidence bound).</summary>
public static class BanditPolicies
{
    public static IReadOnlyList<string> Names { get; } = ["greedy", "epsilon-greedy", "softmax", "thompson", "linucb"];

    /// <param name="dimensions">the arms' feature count (LinUCB only).</param>
    /// <param name="discount">the learning policies' discount γ when the spec gives none (Thompson's parameter is γ itself).</param>
    /// <exception cref="UsageException">an unknown name or a parameter out of range.</exception>
    public static IBanditPolicy Parse(string spec, int dimensions = 0, double discount = 1)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Trim().ToLowerInvariant().Split(':', 2);
        double? value = null;
        if (parts.Length == 2)
        {
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                throw new UsageException($"policy \"{spec}\": \"{parts[1]}\" is not a number");
            value = v;
        }
        try
        {
            return parts[0] switch
            {
                "greedy" when value is null => new GreedyPolicy(),
                "epsilon-greedy" or "egreedy" => new EpsilonGreedyPolicy(value ?? 0.1),
                "softmax" or "boltzmann" => new SoftmaxPolicy(value ?? 0.1),
                "thompson" => new ThompsonPolicy(discount: value ?? discount),
                "linucb" when dimensions > 0 => new LinUcbPolicy(dimensions, alpha: value ?? 1, discount: discount),
                "linucb" => throw new UsageException("linucb needs features per candidate, and these have none"),
                _ => throw new UsageException($"unknown policy \"{spec}\": expected one of {string.Join(", ", Names)} (with :PARAMETER where it takes one)"),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            // "temperature must be positive and finite, got -1": the policies' checks name no parameter in their words
            throw UsageException.From(e, $"policy \"{spec}\": {e.ParamName} ");
        }
    }
}
