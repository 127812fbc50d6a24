namespace Earworm.Content.Training;

/// <summary>Half a cosine from a step down to a floor (Loshchilov &amp; Hutter 2017, without restarts): the one decay the
/// audio, sequence and tag trainers share, each at its own granularity (epochs or batches) and with its own warm-up.</summary>
public static class CosineSchedule
{
    /// <summary>The share of the full step at <paramref name="progress"/> through the decay (clamped to [0, 1]): 1 at
    /// its start, <paramref name="floor"/> at its end, halfway between them halfway through.</summary>
    /// <param name="floor">the share left at the end (0: down to nothing).</param>
    public static double Factor(double progress, double floor = 0)
    {
        double p = double.IsNaN(progress) ? 0 : Math.Clamp(progress, 0, 1);
        return floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * p));
    }
}
