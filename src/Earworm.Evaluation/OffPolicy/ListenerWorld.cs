using Earworm.Learning.Bandits;

namespace Earworm.Evaluation.OffPolicy;

/// <summary>
/// The simulator's listeners and catalog. Every track has a hidden taste vector vᵢ ~ N(0, I/d) and a bias bᵢ; every
/// listener a hidden taste u ~ N(0, I); the chance that a listener plays a track shown to them is
/// σ(s·u·vᵢ + bᵢ). The recommender knows these only as a model trained once, at the start: û and v̂ are the truth plus
/// noise, and its score of a track is û·v̂ᵢ + b̂ᵢ. With drift ρ &gt; 0 a listener's taste moves at each of their
/// decisions (u ← √(1 − ρ²)·u + ρ·z, z ~ N(0, I): the same spread, a new direction), while the model's scores stay where
/// they were — what a model trained last month knows of today's listener.
/// </summary>
internal sealed class ListenerWorld
{
    private readonly double[][] _tracks, _tasteNow, _modelTracks, _modelTastes;
    private readonly double[] _bias, _modelBias;
    private readonly BanditSimulationOptions _options;

    public ListenerWorld(BanditSimulationOptions options, int seed)
    {
        _options = options;
        var random = new Random(seed);
        int d = options.Dimensions;
        double sd = 1 / Math.Sqrt(d);
        _tracks = [.. Enumerable.Range(0, options.Items).Select(_ => Gaussians(random, d, sd))];
        _bias = [.. Enumerable.Range(0, options.Items).Select(_ => options.MeanBias + 0.5 * Draws.Gaussian(random))];
        _tasteNow = [.. Enumerable.Range(0, options.Users).Select(_ => Gaussians(random, d, 1))];
        _modelTracks = [.. _tracks.Select(v => v.Select(x => x + options.ModelNoise * sd * Draws.Gaussian(random)).ToArray())];
        _modelTastes = [.. _tasteNow.Select(u => u.Select(x => x + options.ModelNoise * Draws.Gaussian(random)).ToArray())];
        _modelBias = [.. _bias.Select(b => b + options.ModelNoise * 0.5 * Draws.Gaussian(random))];
    }

    /// <summary>The features LinUCB sees: the model's track vector and a constant.</summary>
    public int FeatureDimensions => _options.Dimensions + 1;

    /// <summary>A listener drawn at random and <see cref="BanditSimulationOptions.Candidates"/> distinct tracks, scored by the model.</summary>
    public BanditContext NextContext(Random random)
    {
        int user = random.Next(_options.Users);
        var items = new HashSet<int>();
        while (items.Count < _options.Candidates) items.Add(random.Next(_options.Items));
        return new BanditContext(user, [.. items.Select(i => new BanditArm(i, _options.TasteStrength * Dot(_modelTastes[user], _modelTracks[i]) + _modelBias[i],
            [.. _modelTracks[i], 1.0]))]);
    }

    /// <summary>The hidden chance that <paramref name="user"/> plays <paramref name="item"/> now.</summary>
    public double PlayProbability(int user, int item) =>
        1 / (1 + Math.Exp(-(_options.TasteStrength * Dot(_tasteNow[user], _tracks[item]) + _bias[item])));

    /// <summary>Moves the listener's taste one step (no-op without drift).</summary>
    public void Drift(int user, double rho, Random random)
    {
        if (rho <= 0) return;
        var u = _tasteNow[user];
        double keep = Math.Sqrt(1 - rho * rho);
        for (int k = 0; k < u.Length; k++) u[k] = keep * u[k] + rho * Draws.Gaussian(random);
    }

    private static double[] Gaussians(Random random, int n, double sd) => [.. Enumerable.Range(0, n).Select(_ => sd * Draws.Gaussian(random))];

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
        return s;
    }
}
