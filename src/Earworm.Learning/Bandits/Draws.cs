namespace Earworm.Learning.Bandits;

/// <summary>Random draws the bandits need beyond <see cref="Random"/>'s uniform ones.</summary>
public static class Draws
{
    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = 1.0 - random.NextDouble(); // (0, 1]: the log stays finite
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    /// <summary>A Gamma(shape, 1) draw: Marsaglia and Tsang, "A simple method for generating gamma variables" (ACM TOMS
    /// 2000), with the <c>U^(1/shape)</c> boost below shape 1.</summary>
    public static double Gamma(Random random, double shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(shape > 0)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "must be positive");
        if (shape < 1) return Gamma(random, shape + 1) * Math.Pow(1.0 - random.NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = Gaussian(random); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = 1.0 - random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>A Beta(α, β) draw as X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β).</summary>
    public static double Beta(Random random, double alpha, double beta)
    {
        double x = Gamma(random, alpha), y = Gamma(random, beta);
        return x / (x + y);
    }

    /// <summary>An index drawn with the given probabilities (they sum to 1; the last positive one takes rounding's rest).</summary>
    public static int Categorical(Random random, ReadOnlySpan<double> probabilities)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = random.NextDouble(), sum = 0;
        int last = -1;
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] <= 0) continue;
            last = i;
            sum += probabilities[i];
            if (u < sum) return i;
        }
        return last >= 0 ? last : throw new ArgumentException("no positive probability", nameof(probabilities));
    }
}
