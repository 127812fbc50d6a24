using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Content.Network;
using static TorchSharp.torch;

namespace Earworm.Content.Training;

/// <summary>The validation figures of a network before training.</summary>
internal sealed record InitialValidation(double Loss, double? Metric);

/// <summary>Where training stands (what a checkpoint stores besides the weights).</summary>
internal sealed class TrainingState
{
    public int Epoch { get; set; }
    public int ResumedAt { get; set; }
    public int BestEpoch { get; set; }
    public double BestLoss { get; set; } = double.PositiveInfinity;
    public int BadEpochs { get; set; }
    public double? LearningRate { get; set; }
    public List<EpochRecord> History { get; set; } = [];
    public string Fingerprint { get; set; } = "";

    /// <summary>The validation loss and metric before the first step.</summary>
    public InitialValidation? Initial { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public Dictionary<string, Tensor>? BestWeights { get; set; }
}

/// <summary>
/// A training run's checkpoints in one folder: after every epoch the weights and optimiser state
/// (<c>weights-N.dat</c>, <c>optimizer-N.dat</c>), the best epoch's weights (<c>best.dat</c>) when it improved, then
/// <c>state.json</c> (written atomically, last: it names the files of the epoch it describes), then older epochs'
/// files are removed. A crash or kill at any point leaves the previous consistent state; a run with the same
/// fingerprint resumes from it.
/// </summary>
internal sealed class TrainingCheckpoint(string folder, string fingerprint)
{
    // BestLoss is +∞ until an epoch improves on it (a run whose validation loss was never finite, as on a handful of tracks)
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string Folder { get; } = folder;

    /// <summary>A hash of the options (without the time budget), the caller's data identity and the track ids.</summary>
    public static string Fingerprint(AudioTrainingOptions options, string data, IReadOnlyList<long> trackIds)
    {
        var text = JsonSerializer.Serialize(options) + "|" + data + "|" + string.Join(',', trackIds);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
    }

    private string StatePath => Path.Combine(Folder, "state.json");
    private string BestPath => Path.Combine(Folder, "best.dat");

    /// <summary>Loads the state, weights and optimiser of an earlier run with the same fingerprint; null when none.</summary>
    public TrainingState? TryResume(TorchSharp.torch.nn.Module network, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        if (!File.Exists(StatePath)) return null;
        TrainingState? state;
        try { state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(StatePath), Json); }
        catch (JsonException) { return null; }
        if (state is null || state.Fingerprint != fingerprint || state.Epoch < 1) return null;
        var weights = Path.Combine(Folder, $"weights-{state.Epoch}.dat");
        var opt = Path.Combine(Folder, $"optimizer-{state.Epoch}.dat");
        if (!File.Exists(weights) || !File.Exists(opt)) return null;
        network.load(weights);
        optimizer.load_state_dict(opt);
        state.ResumedAt = state.Epoch;
        return state;
    }

    public void Save(TorchSharp.torch.nn.Module network, TorchSharp.Modules.OptimizerHelper optimizer, TrainingState state, bool improved)
    {
        Directory.CreateDirectory(Folder);
        state.Fingerprint = fingerprint;
        network.save(Path.Combine(Folder, $"weights-{state.Epoch}.dat"));
        optimizer.save_state_dict(Path.Combine(Folder, $"optimizer-{state.Epoch}.dat"));
        if (improved) Atomic(BestPath, tmp => network.save(tmp));
        Atomic(StatePath, tmp => File.WriteAllText(tmp, JsonSerializer.Serialize(state, Json)));
        foreach (var f in Directory.EnumerateFiles(Folder, "*-*.dat"))
        {
            var name = Path.GetFileNameWithoutExtension(f);
            if (int.TryParse(name[(name.LastIndexOf('-') + 1)..], out int e) && e != state.Epoch) File.Delete(f);
        }
    }

    /// <summary>Loads the best epoch's weights into the network (no-op when none were saved).</summary>
    public void LoadBest(TorchSharp.torch.nn.Module network)
    {
        if (File.Exists(BestPath)) network.load(BestPath);
    }

    /// <summary>Removes an earlier run's files (another fingerprint, or none to resume).</summary>
    public void Clear()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }

    private static void Atomic(string path, Action<string> write)
    {
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        write(tmp);
        File.Move(tmp, path, overwrite: true);
    }
}
