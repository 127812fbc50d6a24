namespace Earworm.Learning.Bandits;

/// <summary>
/// A policy that picks one arm of a context and says with what probability. Learning policies (Thompson sampling,
/// LinUCB) change with <see cref="Update"/>: the next pick reacts at once; the others ignore feedback (they exploit the
/// recommender's scores, which learn when the model is trained again). Not thread-safe: one instance per stream of
/// decisions.
/// </summary>
public interface IBanditPolicy
{
    /// <summary>The name a log and a report call it by (<c>epsilon-greedy</c>).</summary>
    string Name { get; }

    /// <summary>Its parameters in a short, stable form (<c>ε=0.1</c>), logged beside the name so that two settings of
    /// one policy are never pooled.</summary>
    string Version { get; }

    /// <summary>Whether <see cref="Update"/> changes its choices.</summary>
    bool Learns { get; }

    /// <summary>π(a | x) for every arm, written to <paramref name="into"/> (length <see cref="BanditContext.Count"/>;
    /// sums to 1). Sampling policies without a closed form (Thompson sampling) estimate it by drawing.</summary>
    void Probabilities(BanditContext context, Span<double> into, Random random);

    /// <summary>Picks an arm at random from π(· | x) and reports its propensity.</summary>
    BanditChoice Choose(BanditContext context, Random random);

    /// <summary>The reward (0..1: a play, a skip as 0) of the arm at <paramref name="index"/>, shown in <paramref name="context"/>.</summary>
    void Update(BanditContext context, int index, double reward);

    /// <summary>A copy with the same state that learns on its own from here (replay evaluates a copy).</summary>
    IBanditPolicy Clone();
}
