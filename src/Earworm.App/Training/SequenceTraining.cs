using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Content.Sequences;
using Earworm.Evaluation.Sequences;
using Earworm.Learning;
using Earworm.Learning.Sequences;

namespace Earworm.App.Training;

/// <summary>What <c>train sequence</c> did (its <c>--json</c>).</summary>
public sealed record SequenceTrainingOutcome(string Model, string Version, string File, bool UpToDate, int Sessions, int Skips, int Playlists,
    int Items, int Epochs, int ResumedAfterEpoch, double? Loss, double? TrainSeconds, string Summary);

/// <summary>
/// <c>train sequence</c>: SASRec or GRU4Rec (<see cref="SequenceModelTrainer"/>) learned from the catalog's listening
/// sessions (cut at the session gap, skips kept as flagged input) and playlists, saved beside the catalog
/// (<c>catalog.models/VERSION/model.dat</c> and <c>model.json</c>: options, the catalog item of every index, the epochs)
/// and recorded as the current model of the <c>sequence</c> space. The version hashes the options and the listening
/// data: the same model on unchanged data is not trained again unless forced. A checkpoint after every epoch
/// (<c>VERSION/checkpoint/</c>) lets the same command resume after Ctrl-C or a kill.
/// </summary>
public sealed class SequenceTraining(CatalogLocation location)
{
    public const string Space = "sequence";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <param name="say">what is learnt from what, a resume, one line per epoch.</param>
    /// <exception cref="UsageException">no sessions or playlists to learn from; options out of range.</exception>
    public SequenceTrainingOutcome Train(SequenceModelOptions options, TimeSpan sessionGap, bool force, IProgress<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(say);
        options = options.Validated();
        if (sessionGap <= TimeSpan.Zero) throw new UsageException("--session-gap must be positive minutes");
        using var catalog = location.OpenExisting();
        var dataVersion = catalog.ListeningDataVersion();
        var paramsJson = JsonSerializer.Serialize(new { options = options with { Minutes = null, Threads = null }, sessionGapMinutes = sessionGap.TotalMinutes }, Json);
        var version = options.Name + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(paramsJson + "\n" + dataVersion)))[..12];
        var folder = Path.Combine(location.ModelFolder, version);
        var file = Path.Combine(folder, "model.dat");
        if (!force && catalog.CurrentModel(Space) is { } current && current.Version == version && File.Exists(file))
            return new SequenceTrainingOutcome(options.Name, version, file, true, 0, 0, 0, 0, 0, 0, null, null,
                $"{Space} model {version} is up to date (same options, listening data unchanged since {current.CreatedAt:yyyy-MM-dd HH:mm}); --force retrains");

        var data = SequenceDataset.Load(catalog, sessionGap);
        if (data.Sessions.Count + data.Playlists.Count == 0)
            throw new UsageException("the catalog holds no listening sessions (timed listens) and no playlists: import some first (`earworm import --help`)");
        say.Report(string.Create(CultureInfo.InvariantCulture,
            $"train sequence: {options.Name} from {data.Sessions.Count} sessions ({data.Skips} skips, input only) and {data.Playlists.Count} playlists over {data.ItemCount} items"));
        using var report = new TrainingProgressFile(location.CatalogPath, Space);
        var trainer = new SequenceModelTrainer(options, Path.Combine(folder, "checkpoint"), data.Features);
        var progress = new Lines(say, report, options, trainer);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        NeuralSequenceModel fitted;
        try
        {
            fitted = (NeuralSequenceModel)trainer.Fit(data.All, data.ItemCount, progress, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            int kept = Math.Max(progress.LastEpoch, trainer.ResumedAfterEpoch);
            say.Report(kept > 0
                ? $"train sequence: stopped; the checkpoint of epoch {kept} is kept: the same command resumes after it"
                : "train sequence: stopped during the first epoch, before any checkpoint: the same command starts again");
            throw;
        }
        using var model = fitted;
        double seconds = clock.Elapsed.TotalSeconds;
        // said before the first epoch's line; here only when every epoch was done before (a kill between the last checkpoint and the save)
        if (trainer.ResumedAfterEpoch > 0 && progress.LastEpoch == 0) progress.SayResumed();

        Directory.CreateDirectory(folder);
        var tmp = file + ".tmp";
        model.Network.save(tmp);
        File.Move(tmp, file, overwrite: true);
        var info = new SequenceModelFile(options, sessionGap.TotalMinutes, [.. data.Items.Ids], [.. trainer.History.Select(h => h.TrainLoss)],
            trainer.SideFeaturesFor(data.ItemCount));
        File.WriteAllText(Path.Combine(folder, "model.json"), JsonSerializer.Serialize(info, Json));
        double? loss = trainer.History.Count > 0 ? trainer.History[^1].TrainLoss : null;
        catalog.SaveModel(Space, options.Name, version, paramsJson, dataVersion, file,
            JsonSerializer.Serialize(new { epochs = trainer.History.Count, loss, trainSeconds = Math.Round(seconds, 3) }));
        var checkpoint = Path.Combine(folder, "checkpoint");
        if (Directory.Exists(checkpoint)) Directory.Delete(checkpoint, recursive: true);
        return new SequenceTrainingOutcome(options.Name, version, file, false, data.Sessions.Count, data.Skips, data.Playlists.Count, data.ItemCount,
            trainer.History.Count, trainer.ResumedAfterEpoch, loss, Math.Round(seconds, 3),
            string.Create(CultureInfo.InvariantCulture, $"{options.Name} {version}: {trainer.History.Count} epochs, loss {loss:0.####}, {seconds:0.#} s; saved to {file}, current model of the {Space} space"));
    }

    private sealed class Lines(IProgress<string> say, TrainingProgressFile report, SequenceModelOptions options, SequenceModelTrainer trainer)
        : IProgress<TrainingProgress>
    {
        /// <summary>The last epoch reported (and checkpointed) by this run; 0 before the first.</summary>
        public int LastEpoch { get; private set; }

        public void SayResumed() => say.Report($"train sequence: resumed after epoch {trainer.ResumedAfterEpoch} from its checkpoint");

        public void Report(TrainingProgress p)
        {
            if (LastEpoch == 0 && trainer.ResumedAfterEpoch > 0) SayResumed();
            LastEpoch = p.Iteration;
            var line = string.Create(CultureInfo.InvariantCulture, $"epoch {p.Iteration}/{p.Iterations}{(p.Loss is { } loss ? $", loss {loss:0.####}" : "")}, {p.Elapsed.TotalSeconds:0.#} s");
            say.Report($"  {options.Name} {line}");
            report.Report(p.Iteration, p.Iterations, line);
        }
    }
}

/// <summary>model.json beside a sequence model's weights: how to rebuild the network, the catalog item of every index, and
/// the items' side features when the network has them.</summary>
public sealed record SequenceModelFile(SequenceModelOptions Options, double SessionGapMinutes, long[] ItemIds, double[] EpochLosses,
    ItemFeatures? Features = null);
