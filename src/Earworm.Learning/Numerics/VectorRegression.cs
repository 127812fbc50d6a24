using System.Globalization;

namespace Earworm.Learning.Numerics;

/// <summary>A fitted map from a feature row to a target vector (the cold-start bridge's content → factors).</summary>
public interface IVectorRegression
{
    int Inputs { get; }

    int Outputs { get; }

    float[] Predict(ReadOnlySpan<double> features);

    /// <summary>What was fitted, for a user ("ridge, λ 10 by cross-validation").</summary>
    string Describe();
}

/// <summary>How content features are regressed onto target vectors: linear ridge on z-scored (or only centred) features
/// (<see cref="RidgeRegression"/>), or kernel ridge with a Gaussian kernel on unit-normalised features
/// (<see cref="KernelRidgeRegression"/>), its z-scored variant for features of unlike scales, or the mean of the
/// nearest neighbours' targets (<see cref="NeighbourRegression"/>).</summary>
public enum VectorRegressionKind { Ridge, RidgeCentred, Kernel, KernelStandardised, Neighbours }

public static class VectorRegression
{
    /// <summary>Fits <paramref name="kind"/> with its hyper-parameters chosen by 5-fold cross-validation on the rows given.</summary>
    public static IVectorRegression Fit(VectorRegressionKind kind, IReadOnlyList<double[]> x, IReadOnlyList<float[]> y, int seed = 1) => kind switch
    {
        VectorRegressionKind.Ridge => RidgeRegression.Fit(x, y, seed: seed),
        VectorRegressionKind.RidgeCentred => RidgeRegression.Fit(x, y, seed: seed, standardise: false),
        VectorRegressionKind.Kernel => KernelRidgeRegression.Fit(x, y, seed: seed),
        VectorRegressionKind.KernelStandardised => KernelRidgeRegression.Fit(x, y, standardise: true, seed: seed),
        VectorRegressionKind.Neighbours => NeighbourRegression.Fit(x, y, seed: seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind a name on a command line means (ridge, kernel, kernel-z).</summary>
    public static VectorRegressionKind Parse(string name) => name switch
    {
        "ridge" => VectorRegressionKind.Ridge,
        "ridge-c" => VectorRegressionKind.RidgeCentred,
        "kernel" => VectorRegressionKind.Kernel,
        "kernel-z" => VectorRegressionKind.KernelStandardised,
        "knn" => VectorRegressionKind.Neighbours,
        _ => throw new ArgumentException($"unknown regression '{name}': expected ridge, ridge-c, kernel, kernel-z or knn"),
    };

    internal static string Format(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
