using Earworm.Learning;
using Earworm.Learning.Numerics;

namespace Earworm.Evaluation.ColdStart;

/// <summary>
/// The descriptor-regression baseline of the cold-start table (the analogue of the paper's bag-of-words
/// regression): ridge regression (λ by 5-fold cross-validation) from each item's feature vector — the
/// <c>descriptors</c> space — to its unit factors; predictions are unit-normalised like the targets. Training
/// items without features (null) are left out; a query item without features gets the zero vector (it scores 0
/// for everyone, so it falls to the random tie-break).
/// </summary>
public sealed class FeatureRegressionPredictor(string name, Func<int, double[]?> features, VectorRegressionKind kind = VectorRegressionKind.Ridge) : IColdStartItemPredictor
{
    public string Name => name;

    public IReadOnlyList<float[]> Predict(IReadOnlyList<int> trainItems, IReadOnlyList<float[]> targets, IReadOnlyList<int> queryItems,
        int seed, CancellationToken cancellationToken)
    {
        ColdStartItemPredictor.RequireAligned(trainItems, targets, queryItems);
        var x = new List<double[]>();
        var y = new List<float[]>();
        for (int i = 0; i < trainItems.Count; i++)
            if (features(trainItems[i]) is { } f)
            {
                x.Add(f);
                y.Add(targets[i]);
            }
        int dims = targets.Count == 0 ? 0 : targets[0].Length;
        if (x.Count < 2) throw new InvalidOperationException($"{name}: {x.Count} training items have features, need at least 2");
        var model = VectorRegression.Fit(kind, x, y, seed);
        return queryItems.Select(i => features(i) is { } f ? Earworm.Learning.Numerics.VectorNorm.Unit(model.Predict(f)) : new float[dims]).ToList();
    }
}
