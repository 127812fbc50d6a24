using Earworm.Learning.Numerics;

namespace Earworm.Recommend.Personal;

/// <summary>
/// Maximal marginal relevance (Carbonell &amp; Goldstein 1998), one pick at a time: over a pool sorted best first, the
/// next pick maximises λ·rel − (1 − λ)·max over the picks so far of cos(c, p), rel being the score rescaled to 0..1
/// over the pool. Picks from outside the pool (<see cref="Add"/>) count for the variety too, so a list that mixes
/// sources stays varied across them. Ties go to the earlier candidate.
/// </summary>
public sealed class MarginalRelevance
{
    private readonly float[]?[] _units;
    private readonly double[] _relevance;
    private readonly double[] _maxSim;
    private readonly bool[] _taken;
    private readonly double _lambda;
    private int _picks;

    /// <param name="factors">the pool's vectors, best first.</param>
    /// <param name="scores">their scores, best first.</param>
    /// <param name="lambda">1 = by score alone; towards 0, variety counts more.</param>
    public MarginalRelevance(IReadOnlyList<float[]> factors, IReadOnlyList<float> scores, double lambda)
    {
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(scores);
        if (factors.Count != scores.Count) throw new ArgumentException("one score per vector", nameof(scores));
        if (!(lambda >= 0 && lambda <= 1)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "must lie in 0..1");
        _lambda = lambda;
        _units = [.. factors.Select(f => VectorNorm.TryUnit(f))];
        _maxSim = new double[factors.Count];
        _taken = new bool[factors.Count];
        _relevance = new double[factors.Count];
        if (scores.Count == 0) return;
        float max = scores[0], min = scores[^1];
        double range = max - min;
        for (int i = 0; i < scores.Count; i++) _relevance[i] = range > 0 ? (scores[i] - min) / range : 1;
    }

    public int Count => _units.Length;

    /// <summary>The next pick among the candidates not taken that <paramref name="eligible"/> allows (all when null);
    /// −1 when none is left. It is not taken until <see cref="Take"/>.</summary>
    public int Next(Func<int, bool>? eligible = null)
    {
        int best = -1;
        double bestValue = double.NegativeInfinity;
        for (int i = 0; i < _units.Length; i++)
        {
            if (_taken[i] || (eligible is not null && !eligible(i))) continue;
            double value = _lambda * _relevance[i] - (1 - _lambda) * (_picks == 0 ? 0 : _maxSim[i]);
            if (value > bestValue)
            {
                bestValue = value;
                best = i;
            }
        }
        return best;
    }

    /// <summary>Takes candidate <paramref name="index"/> of the pool.</summary>
    public void Take(int index)
    {
        _taken[index] = true;
        AddUnit(_units[index]);
    }

    /// <summary>A pick from outside the pool: the candidates' similarity to it counts from now on.</summary>
    public void Add(float[] factors) => AddUnit(VectorNorm.TryUnit(factors));

    private void AddUnit(float[]? unit)
    {
        _picks++;
        for (int i = 0; i < _units.Length; i++)
        {
            if (_taken[i]) continue;
            double sim = unit is null || _units[i] is null ? 0 : Simd.Dot(unit, _units[i]!);
            if (_picks == 1 || sim > _maxSim[i]) _maxSim[i] = sim;
        }
    }
}
