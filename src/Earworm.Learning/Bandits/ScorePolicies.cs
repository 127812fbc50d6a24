using System.Globalization;

namespace Earworm.Learning.Bandits;

/// <summary>The policies that exploit the recommender's scores as they are (no learning of their own): a closed-form
/// π(a | x), from which <see cref="Choose"/> draws.</summary>
public abstract class ScorePolicy : IBanditPolicy
{
    public abstract string Name { get; }

    public abstract string Version { get; }

    public bool Learns => false;

    public void Probabilities(BanditContext context, Span<double> into, Random random) => Probabilities(context, into);

    /// <summary>π(a | x) from the scores alone.</summary>
    public abstract void Probabilities(BanditContext context, Span<double> into);

    public BanditChoice Choose(BanditContext context, Random random)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Count == 0) throw new ArgumentException("a context without arms", nameof(context));
        Span<double> p = context.Count <= 256 ? stackalloc double[context.Count] : new double[context.Count];
        Probabilities(context, p);
        int index = Draws.Categorical(random, p);
        return new BanditChoice(index, p[index]);
    }

    public void Update(BanditContext context, int index, double reward) { }

    public IBanditPolicy Clone() => this; // stateless

    /// <summary>The uniform distribution over the arms of highest score (ties share).</summary>
    protected static void Greedy(BanditContext context, Span<double> into)
    {
        double best = double.NegativeInfinity;
        int ties = 0;
        for (int i = 0; i < context.Count; i++)
        {
            double s = context.Arms[i].Score;
            if (s > best) { best = s; ties = 1; }
            else if (s == best) ties++;
        }
        for (int i = 0; i < context.Count; i++) into[i] = context.Arms[i].Score == best ? 1.0 / ties : 0;
    }

    protected static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>Greedy: always the highest score (ties at random).</summary>
public sealed class GreedyPolicy : ScorePolicy
{
    public override string Name => "greedy";

    public override string Version => "1";

    public override void Probabilities(BanditContext context, Span<double> into) => Greedy(context, into);
}

/// <summary>ε-greedy: with probability ε an arm uniformly at random, otherwise the highest score (Sutton and Barto,
/// "Reinforcement Learning", 2nd ed., §2.2), so π(a | x) = ε/K + (1 − ε)·[a is best].</summary>
public sealed class EpsilonGreedyPolicy : ScorePolicy
{
    public EpsilonGreedyPolicy(double epsilon = 0.1)
    {
        if (!(epsilon >= 0 && epsilon <= 1)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "must lie in [0, 1]");
        Epsilon = epsilon;
    }

    public double Epsilon { get; }

    public override string Name => "epsilon-greedy";

    public override string Version => "epsilon=" + Format(Epsilon);

    public override void Probabilities(BanditContext context, Span<double> into)
    {
        Greedy(context, into);
        for (int i = 0; i < context.Count; i++) into[i] = Epsilon / context.Count + (1 - Epsilon) * into[i];
    }
}

/// <summary>Softmax (Boltzmann) exploration: π(a | x) ∝ exp(score(a) / τ) (Sutton and Barto §2.8); τ → 0 is greedy,
/// τ → ∞ uniform.</summary>
public sealed class SoftmaxPolicy : ScorePolicy
{
    public SoftmaxPolicy(double temperature = 0.1)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be positive and finite");
        Temperature = temperature;
    }

    public double Temperature { get; }

    public override string Name => "softmax";

    public override string Version => "tau=" + Format(Temperature);

    public override void Probabilities(BanditContext context, Span<double> into)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < context.Count; i++) max = Math.Max(max, context.Arms[i].Score);
        double sum = 0;
        for (int i = 0; i < context.Count; i++) sum += into[i] = Math.Exp((context.Arms[i].Score - max) / Temperature);
        for (int i = 0; i < context.Count; i++) into[i] /= sum;
    }
}
