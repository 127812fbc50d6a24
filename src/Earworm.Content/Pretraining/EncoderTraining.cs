using System.Text.Json;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Training;

namespace Earworm.Content.Pretraining;

/// <summary>A trained encoder's folder and how its training went.</summary>
public sealed record TrainedEncoder(string Folder, int Tracks, int Epochs, int BestEpoch, double Seconds, long Parameters, string StopReason);

/// <summary>
/// Trains one encoder with a <see cref="PretrainingRecipe"/> into a model folder (<c>model.dat</c>, <c>model.json</c>
/// read at the recipe's layer through the read-out fitted on the training tracks' crops, <c>history.json</c>,
/// <c>training.json</c>, <c>curves.png</c>), checkpointing every epoch in <c>FOLDER/checkpoint</c>: after a kill the
/// same call resumes, and a complete folder is returned as it is.
/// </summary>
public static class EncoderTraining
{
    private const string TrainingFile = "training.json";

    /// <param name="groups">The group (soundtrack) of each track of the bank, for the recipe's supervised term; null: none.</param>
    public static TrainedEncoder Train(WindowBank bank, PretrainingRecipe recipe, string folder, IReadOnlyList<int>? groups = null,
        IProgress<AudioTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(recipe);
        recipe.Validate();
        if (Completed(folder) is { } done)
        {
            ReadOut(folder, bank, recipe, cancellationToken);
            return done;
        }
        var checkpoint = Path.Combine(folder, "checkpoint");
        var result = new AudioTrainer(recipe.Training) { Groups = groups }.Train(bank, null, checkpoint, "pretraining", progress, cancellationToken);
        Directory.CreateDirectory(folder);
        var weights = Path.Combine(folder, AudioModelInfo.WeightsFile);
        result.Network.save(weights + ".tmp");
        File.Move(weights + ".tmp", weights, overwrite: true);
        var info = new AudioModelInfo { Network = result.Network.Options, Objective = AudioObjective.Contrastive, Layer = recipe.Layer, CropsPerWindow = recipe.CropsPerWindow };
        info.Save(folder);
        ReadOut(folder, bank, recipe, cancellationToken);
        File.WriteAllText(Path.Combine(folder, "history.json"), JsonSerializer.Serialize(result.History, PretrainingRecipe.Json));
        TrainingCurves.Save(result.History, "contrastive", Path.Combine(folder, "curves.png"));
        var trained = new TrainedEncoder(folder, bank.Count, result.History.Count, result.BestEpoch,
            result.History.Sum(h => h.Seconds), result.Network.ParameterCount, result.StopReason);
        File.WriteAllText(Path.Combine(folder, TrainingFile), JsonSerializer.Serialize(trained, PretrainingRecipe.Json));
        result.Network.Dispose();
        if (Directory.Exists(checkpoint)) Directory.Delete(checkpoint, recursive: true);
        return trained;
    }

    /// <summary>Sets how the folder's model is read to the recipe's (its layer and read-out, fitted on the bank's crops):
    /// the read-out does not change the network, so trials of it share one training.</summary>
    private static void ReadOut(string folder, WindowBank bank, PretrainingRecipe recipe, CancellationToken cancellationToken)
    {
        var info = AudioModelInfo.Load(folder) with { Layer = recipe.Layer, CropsPerWindow = recipe.CropsPerWindow, Readout = Readout.Raw, ReadoutDims = 0 };
        info.Save(folder);
        File.Delete(Path.Combine(folder, Whitening.FileName));
        if (recipe.Readout == Readout.Raw) return;
        Whitening whitening;
        using (var embedder = AudioEmbedder.Load(folder))
        {
            var (rows, n) = CropVectors(embedder, bank, cancellationToken);
            whitening = Whitening.Fit(rows, n, embedder.Dims, recipe.Readout, recipe.ReadoutDims);
        }
        whitening.Save(Path.Combine(folder, Whitening.FileName));
        (info with { Readout = recipe.Readout, ReadoutDims = whitening.Outputs }).Save(folder);
    }

    /// <summary>The folder's encoder when an earlier call finished it (its files complete, no checkpoint left).</summary>
    public static TrainedEncoder? Completed(string folder)
    {
        var record = Path.Combine(folder, TrainingFile);
        if (!File.Exists(record) || Directory.Exists(Path.Combine(folder, "checkpoint"))) return null;
        if (!File.Exists(Path.Combine(folder, AudioModelInfo.WeightsFile)) || !File.Exists(Path.Combine(folder, AudioModelInfo.InfoFile))) return null;
        return JsonSerializer.Deserialize<TrainedEncoder>(File.ReadAllText(record), PretrainingRecipe.Json) is { } t ? t with { Folder = folder } : null;
    }

    /// <summary>The unit crop vectors of the bank's tracks (at most 2 000 tracks, every ⌈n/2000⌉-th; each window's
    /// crops as the model reads them), row after row, and how many.</summary>
    public static (float[] Rows, int Count) CropVectors(AudioEmbedder embedder, WindowBank bank, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(bank);
        int stride = Math.Max(1, (bank.Count + 1999) / 2000);
        var rows = new List<float>();
        int n = 0;
        for (int t = 0; t < bank.Count; t += stride)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var v in embedder.WindowVectors(bank, t))
            {
                rows.AddRange(v);
                n++;
            }
        }
        if (n < 2) throw new InvalidOperationException("too few crops to fit a read-out on");
        return ([.. rows], n);
    }

    /// <summary>The track vectors (mean of the unit crop vectors, normalised) of every track of the bank.</summary>
    public static float[][] Embed(AudioEmbedder embedder, WindowBank bank, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(bank);
        var result = new float[bank.Count][];
        for (int t = 0; t < bank.Count; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result[t] = WindowAggregation.Mean(embedder.WindowVectors(bank, t));
        }
        return result;
    }
}
