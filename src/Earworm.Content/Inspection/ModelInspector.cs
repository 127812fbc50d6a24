using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Native;
using Earworm.Content.Network;
using static TorchSharp.torch;

namespace Earworm.Content.Inspection;

/// <summary>
/// Looks inside a trained audio network (what Dieleman 2014 shows of his): runs every track's crops (T frames tiling
/// each cached window, hop T/2, as the embedder) and summarises, per track, the first convolution's filters and the
/// last hidden dense layer's units by their maximum and mean over time.
/// </summary>
public static class ModelInspector
{
    /// <summary>Loads a saved model's network (<c>model.json</c>, <c>model.dat</c>) in eval mode.</summary>
    /// <exception cref="FileNotFoundException">the folder lacks the weights.</exception>
    public static AudioNetwork LoadNetwork(string folder, int? threads = null) => AudioEmbedder.LoadNetwork(folder, threads).Network;

    /// <summary>The activations of every track of <paramref name="bank"/> (rows in the bank's order).</summary>
    public static (LayerActivations FirstConvolution, LayerActivations LastDense) Run(AudioNetwork network, WindowBank bank,
        int batchSize = 32, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var o = network.Options;
        int frames = o.Frames, bands = bank.MelBands, size = bands * frames;
        int convUnits = o.Channels[0], denseUnits = o.Dense.Length > 0 ? o.Dense[^1] : o.OutputDims;
        int n = bank.Count;
        var convMax = new float[n * convUnits];
        var convMean = new float[n * convUnits];
        var denseMax = new float[n * denseUnits];
        var denseMean = new float[n * denseUnits];
        network.eval();
        using var noGrad = no_grad();
        for (int t = 0; t < n; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var conv = new ActivationAccumulator(convUnits);
            var dense = new ActivationAccumulator(denseUnits);
            var crops = new List<(int Window, int Start)>();
            for (int w = 0; w < bank.WindowCount(t); w++)
                foreach (var s in WindowBank.TilingStarts(bank.FramesOf(t, w), frames)) crops.Add((w, s));
            var buffer = new float[Math.Min(batchSize, crops.Count) * size];
            for (int b0 = 0; b0 < crops.Count; b0 += batchSize)
            {
                int m = Math.Min(batchSize, crops.Count - b0);
                for (int i = 0; i < m; i++) bank.Crop(t, crops[b0 + i].Window, crops[b0 + i].Start, frames, buffer.AsSpan(i * size, size));
                using var scope = NewDisposeScope();
                var (first, last) = network.Activations(tensor(buffer.AsSpan(0, m * size).ToArray(), [m, bands, frames]));
                int steps = (int)first.shape[2];
                var c = first.contiguous().data<float>().ToArray();
                var d = last.contiguous().data<float>().ToArray();
                for (int i = 0; i < m; i++)
                {
                    conv.Add(c.AsSpan(i * convUnits * steps, convUnits * steps), steps);
                    dense.Add(d.AsSpan(i * denseUnits, denseUnits), 1);
                }
            }
            conv.Result(convMax.AsSpan(t * convUnits, convUnits), convMean.AsSpan(t * convUnits, convUnits));
            dense.Result(denseMax.AsSpan(t * denseUnits, denseUnits), denseMean.AsSpan(t * denseUnits, denseUnits));
            progress?.Report((t + 1, n));
        }
        var denseName = o.Dense.Length > 0 ? $"dense{o.Dense.Length}" : "output";
        return (new LayerActivations("conv1", convUnits, bank.TrackIds.ToArray(), convMax, convMean),
                new LayerActivations(denseName, denseUnits, bank.TrackIds.ToArray(), denseMax, denseMean));
    }
}
