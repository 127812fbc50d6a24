using Earworm.Audio.Excerpts;
using Earworm.Content.Data;
using Earworm.Content.Native;
using Earworm.Learning;
using Earworm.Learning.Numerics;
using static TorchSharp.torch;

namespace Earworm.Content.Training;

/// <summary>
/// The audio model as a cold-start predictor (van den Oord et al. 2013; Dieleman 2014): trains an
/// <see cref="Network.AudioNetwork"/> with the <c>cf</c> objective (MSE to the training items' unit factors, the
/// output D set to the factors' dimension) on the training items' excerpts, then predicts each query item's
/// factors from its audio alone: the mean of the outputs of the crops tiling its windows, unit-normalised.
/// </summary>
/// <param name="excerpts">the cached log-mel excerpts of a dataset item (null: none, predicted as the zero vector).</param>
/// <param name="options">training options; the objective is forced to cf, the seed to the protocol's.</param>
public sealed class AudioFactorPredictor(Func<int, ExcerptSet?> excerpts, AudioTrainingOptions options,
    IProgress<AudioTrainingProgress>? progress = null, string name = "audio") : IColdStartItemPredictor
{
    public string Name => name;

    /// <summary>How the last training went (epochs, best epoch, stop reason).</summary>
    public AudioTrainingResult? LastTraining { get; private set; }

    public IReadOnlyList<float[]> Predict(IReadOnlyList<int> trainItems, IReadOnlyList<float[]> targets, IReadOnlyList<int> queryItems,
        int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trainItems);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(queryItems);
        if (trainItems.Count != targets.Count) throw new ArgumentException($"{trainItems.Count} items, {targets.Count} targets");
        TorchRuntime.EnsureLoaded();
        int bands = options.Network.MelBands;
        var bank = new WindowBank(bands);
        var byItem = new Dictionary<long, float[]>();
        for (int i = 0; i < trainItems.Count; i++)
            if (excerpts(trainItems[i]) is { } set && bank.Add(trainItems[i], set)) byItem[trainItems[i]] = targets[i];
        int dims = targets[0].Length;
        var o = options with { Objective = AudioObjective.Cf, Seed = seed, Network = options.Network with { OutputDims = dims } };
        var previous = LastTraining;
        var result = new AudioTrainer(o).Train(bank, byItem, checkpointFolder: null, progress: progress, cancellationToken: cancellationToken);
        previous?.Network.Dispose();
        LastTraining = result;

        var network = result.Network;
        network.eval();
        int frames = o.Network.Frames, size = bands * frames;
        var predictions = new List<float[]>(queryItems.Count);
        using var noGrad = no_grad();
        foreach (int item in queryItems)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var one = new WindowBank(bands);
            if (excerpts(item) is not { } set || !one.Add(item, set))
            {
                predictions.Add(new float[dims]);
                continue;
            }
            var crops = new List<(int Window, int Start)>();
            for (int w = 0; w < one.WindowCount(0); w++)
                foreach (int s in WindowBank.TilingStarts(one.FramesOf(0, w), frames)) crops.Add((w, s));
            var buffer = new float[crops.Count * size];
            for (int c = 0; c < crops.Count; c++) one.Crop(0, crops[c].Window, crops[c].Start, frames, buffer.AsSpan(c * size, size));
            using var scope = NewDisposeScope();
            var z = network.forward(tensor(buffer, [crops.Count, bands, frames])).data<float>().ToArray();
            var mean = new float[dims];
            for (int c = 0; c < crops.Count; c++)
                for (int d = 0; d < dims; d++) mean[d] += z[c * dims + d] / crops.Count;
            predictions.Add(VectorNorm.Unit(mean));
        }
        return predictions;
    }
}
