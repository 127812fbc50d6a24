namespace Earworm.Learning;

/// <summary>
/// Predicts an item's vector in a learned space from the item's content alone (audio, descriptors, text…): it
/// learns from training items whose vectors are known, then places items it has no vector for. The cold-start
/// protocol uses it to give held-out tracks collaborative-filtering factors (van den Oord, Dieleman &amp;
/// Schrauwen 2013). Implementations map the dataset's item indices to their own content; the models never see
/// it (the audio model lives in Earworm.Content, with TorchSharp; ridge regression on descriptors in Earworm.Evaluation).
/// </summary>
public interface IColdStartItemPredictor
{
    /// <summary>Short name used in reports ("audio", "descriptors").</summary>
    string Name { get; }

    /// <summary>Learns from <paramref name="trainItems"/> (dataset item indices) and their target vectors
    /// (unit length, all of one dimension), then returns one vector per <paramref name="queryItems"/> entry, in
    /// order. The query items are never among the training items.</summary>
    /// <param name="seed">seeds every random choice of the predictor (initialisation, splits, crops).</param>
    IReadOnlyList<float[]> Predict(IReadOnlyList<int> trainItems, IReadOnlyList<float[]> targets, IReadOnlyList<int> queryItems,
        int seed, CancellationToken cancellationToken);
}

/// <summary>What every <see cref="IColdStartItemPredictor"/> checks first.</summary>
public static class ColdStartItemPredictor
{
    /// <summary>Throws unless the lists are given and every training item has its target.</summary>
    public static void RequireAligned(IReadOnlyList<int> trainItems, IReadOnlyList<float[]> targets, IReadOnlyList<int> queryItems)
    {
        ArgumentNullException.ThrowIfNull(trainItems);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(queryItems);
        if (trainItems.Count != targets.Count) throw new ArgumentException($"{trainItems.Count} items, {targets.Count} targets");
    }
}
