using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Native;
using Earworm.Content.Training;
using Earworm.Learning.Numerics;

namespace Earworm.App.Training;

/// <summary>The outcome of <see cref="AudioModelTraining.Run"/>: the recorded model and the training's story.</summary>
/// <param name="UpToDate">The catalog already held this model (same options, tracks and target): nothing was trained,
/// <see cref="Result"/> tells the earlier training's story.</param>
public sealed record AudioModelOutcome(ModelRecord Model, AudioTrainingResult Result, AudioObjective Objective,
    string? TargetVersion, string Folder, string CurvesPath, int SkippedTracks, bool UpToDate = false);

/// <summary>
/// Trains the catalog's audio model end to end: picks the objective (<see cref="ResolveObjective"/>), loads the
/// excerpt cache (and the target vectors), trains with checkpoints in the model's folder
/// (<c>catalog.models/audio-VERSION/checkpoint</c>: the same command resumes after an interruption), writes the
/// weights, <c>model.json</c>, <c>history.json</c> and <c>curves.png</c>, and records the model (space
/// <c>audio</c>, kind <c>audio-cnn</c>) as current. A model whose version (a hash of the options, the tracks with
/// excerpts, the listening data and the target model) the catalog already holds, with its files complete, is up to
/// date: it is made current again and not retrained unless forced.
/// </summary>
public static class AudioModelTraining
{
    /// <summary>Tracks with a target vector needed before <c>auto</c> picks a regression objective.</summary>
    public const int MinimumTargetTracks = 20;

    /// <summary><c>auto</c>: cf when the current cf model covers at least <see cref="MinimumTargetTracks"/> library
    /// tracks, else track2vec on the same condition, else contrastive (a library with no listening data).</summary>
    public static AudioObjective ResolveObjective(ICatalog catalog, AudioObjective? requested)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (requested is { } r) return r;
        foreach (var o in new[] { AudioObjective.Cf, AudioObjective.Track2Vec })
            if (catalog.CurrentModel(Objectives.TargetSpace(o)!) is not null
                && catalog.LoadTrackVectors(Objectives.TargetSpace(o)!).Count >= MinimumTargetTracks) return o;
        return AudioObjective.Contrastive;
    }

    public static AudioModelOutcome Run(ICatalog catalog, string catalogPath, AudioTrainingOptions options, int? threads,
        IProgress<string>? messages = null, IProgress<AudioTrainingProgress>? progress = null, CancellationToken cancellationToken = default,
        bool force = false)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureLoaded(threads);
        var objective = options.Objective;
        var store = new ExcerptStore(ExcerptStore.DefaultFor(catalogPath));
        var (tracks, targets, targetVersion) = Targets(catalog, objective, messages);
        var listening = catalog.ListeningDataVersion();
        ModelIdentity Identity(IEnumerable<long> trackIds) => ModelIdentity.Of(listening, trackIds, options with { Objective = objective }, targetVersion, catalogPath);
        AudioModelOutcome? UpToDate(ModelIdentity id, int skippedTracks)
        {
            if (force || Existing(catalog, id.Model, id.Folder) is not { } done) return null;
            var again = done.IsCurrent ? done
                : catalog.SaveModel(done.Space, done.Kind, done.Version, done.ParamsJson, done.DataVersion, done.FilePath, done.MetricsJson);
            return new AudioModelOutcome(again, EarlierResult(id.Folder, again), objective, targetVersion, id.Folder,
                Path.Combine(id.Folder, CurvesFile), skippedTracks, UpToDate: true);
        }

        // An unchanged model is recognised from the cache's index alone, before the excerpts (gigabytes for a large
        // library) are read; a corrupt cache entry makes the guess miss, and the exact check below decides.
        var cached = tracks.Where(t => t.ContentHash is not null && store.Contains(t.ContentHash)).Select(t => t.Id).ToList();
        if (UpToDate(Identity(cached), tracks.Count - cached.Count) is { } unchanged) return unchanged;

        var (bank, skipped) = WindowBank.Load(store, tracks, options.Network.MelBands, cancellationToken: cancellationToken);
        messages?.Report($"loaded the excerpts of {bank.Count} tracks{(skipped > 0 ? $" ({skipped} without a cache entry)" : "")}");

        var identity = Identity(bank.TrackIds);
        if (UpToDate(identity, skipped) is { } done) return done;
        var result = new AudioTrainer(options with { Objective = objective }).Train(bank, targets, Path.Combine(identity.Folder, "checkpoint"),
            identity.Data + "|" + targetVersion, progress, cancellationToken);
        if (result.Resumed) messages?.Report("resumed from the checkpoint an interrupted run left");
        var record = Save(catalog, identity, options, objective, targetVersion, result);
        return new AudioModelOutcome(record, result, objective, targetVersion, identity.Folder, Path.Combine(identity.Folder, CurvesFile), skipped);
    }

    private const string CurvesFile = "curves.png";

    /// <summary>What identifies a trained audio model: its data version (listening data and the tracks trained on), its
    /// version (a hash of the options, the data and the target model) and its folder beside the catalog.</summary>
    private sealed record ModelIdentity(string Data, string Model, string Folder)
    {
        public static ModelIdentity Of(string listening, IEnumerable<long> trackIds, AudioTrainingOptions options, string? targetVersion, string catalogPath)
        {
            var data = $"{listening}|tracks:{Hash(string.Join(',', trackIds))}";
            var model = "audio-" + Hash(JsonSerializer.Serialize(options) + "|" + data + "|" + targetVersion)[..16];
            return new ModelIdentity(data, model, Path.Combine(CatalogStore.ModelFolderFor(catalogPath), model));
        }
    }

    /// <summary>The library tracks to train on and, for a regression objective, their unit target vectors from the
    /// current model of the target space (only tracks that have one are trained on) and its version.</summary>
    /// <exception cref="PrerequisiteMissingException">the objective's target space has no model.</exception>
    private static (IReadOnlyList<TrackRecord> Tracks, Dictionary<long, float[]>? Targets, string? Version) Targets(ICatalog catalog,
        AudioObjective objective, IProgress<string>? messages)
    {
        var tracks = catalog.ListTracks(TrackStatus.Analysed);
        if (Objectives.TargetSpace(objective) is not { } space) return (tracks, null, null);
        var model = catalog.CurrentModel(space)
            ?? throw new PrerequisiteMissingException($"the {space} objective needs a {space} model: train it first (`earworm train {space}`)");
        var vectors = catalog.LoadTrackVectors(space);
        var targets = new Dictionary<long, float[]>();
        for (int i = 0; i < vectors.Count; i++) targets[vectors.Ids[i]] = VectorNorm.Unit(vectors.Row(i));
        messages?.Report($"{objective}: {targets.Count} tracks of the library have a {space} vector ({vectors.Dims} dimensions, model {model.Version})");
        return (tracks.Where(t => targets.ContainsKey(t.Id)).ToList(), targets, model.Version);
    }

    /// <summary>Writes the trained model's folder (weights, <c>model.json</c>, history, curves), records it as the
    /// catalog's current <c>audio</c> model and removes the checkpoint.</summary>
    private static ModelRecord Save(ICatalog catalog, ModelIdentity identity, AudioTrainingOptions options, AudioObjective objective,
        string? targetVersion, AudioTrainingResult result)
    {
        var folder = identity.Folder;
        Directory.CreateDirectory(folder);
        var weights = Path.Combine(folder, AudioModelInfo.WeightsFile);
        result.Network.save(weights + ".tmp");
        File.Move(weights + ".tmp", weights, overwrite: true);
        new AudioModelInfo
        {
            Network = result.Network.Options, Objective = objective, TargetVersion = targetVersion,
            Layer = AudioModelInfo.DefaultLayer(objective, result.Network.Options),
        }.Save(folder);
        File.WriteAllText(Path.Combine(folder, "history.json"), JsonSerializer.Serialize(result.History, HistoryJson));
        TrainingCurves.Save(result.History, objective.ToString().ToLowerInvariant(), Path.Combine(folder, CurvesFile));
        var best = result.History.FirstOrDefault(h => h.Epoch == result.BestEpoch);
        var paramsJson = JsonSerializer.Serialize(new
        {
            objective = objective.ToString().ToLowerInvariant(),
            target = targetVersion,
            network = result.Network.Options,
            parameters = result.Network.ParameterCount,
            optimizer = options.Optimizer.ToString(),
            learningRate = options.EffectiveLearningRate,
            batchSize = options.BatchSize,
            seed = options.Seed,
            temperature = objective == AudioObjective.Contrastive ? options.Temperature : (double?)null,
        });
        var metricsJson = JsonSerializer.Serialize(new
        {
            epochs = result.History.Count,
            bestEpoch = result.BestEpoch,
            trainLoss = best?.TrainLoss,
            validationLoss = best?.ValidationLoss,
            validationMetric = best?.ValidationMetric,
            trainTracks = result.TrainTracks,
            validationTracks = result.ValidationTracks,
            stopReason = result.StopReason,
            seconds = result.History.Sum(h => h.Seconds),
            initialValidationLoss = result.Initial?.Loss,
            initialValidationMetric = result.Initial?.Metric,
        }, HistoryJson);
        var record = catalog.SaveModel("audio", "audio-cnn", identity.Model, paramsJson, identity.Data, weights, metricsJson);
        var checkpoint = Path.Combine(folder, "checkpoint");
        if (Directory.Exists(checkpoint)) Directory.Delete(checkpoint, recursive: true);
        return record;
    }

    /// <summary>The catalog's record of <paramref name="version"/> when its weights, info and history are all there
    /// and no interrupted run left a checkpoint.</summary>
    private static ModelRecord? Existing(ICatalog catalog, string version, string folder)
    {
        var record = catalog.ListModels().FirstOrDefault(m => m.Space == LibraryEmbedder.Space && m.Version == version);
        if (record is null || Directory.Exists(Path.Combine(folder, "checkpoint"))) return null;
        foreach (var f in new[] { AudioModelInfo.WeightsFile, AudioModelInfo.InfoFile, "history.json" })
            if (!File.Exists(Path.Combine(folder, f))) return null;
        return record;
    }

    /// <summary>The saved network and the story of the training that made it, from its folder and its record.</summary>
    private static AudioTrainingResult EarlierResult(string folder, ModelRecord record)
    {
        var (network, _) = AudioEmbedder.LoadNetwork(folder);
        var history = JsonSerializer.Deserialize<List<EpochRecord>>(File.ReadAllText(Path.Combine(folder, "history.json")), HistoryJson) ?? [];
        using var metrics = JsonDocument.Parse(record.MetricsJson ?? "{}");
        var m = metrics.RootElement;
        int Int(string name) => m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
        double? Real(string name) => m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        var stop = m.TryGetProperty("stopReason", out var s) ? s.GetString() ?? "" : "";
        (double, double?)? initial = Real("initialValidationLoss") is { } loss ? (loss, Real("initialValidationMetric")) : null;
        return new AudioTrainingResult(network, history, Int("bestEpoch"), stop, Int("trainTracks"), Int("validationTracks"), Resumed: false, initial);
    }

    // a loss can be non-finite on a handful of tracks: written as "NaN" or "Infinity" rather than failing the run
    private static readonly JsonSerializerOptions HistoryJson = new()
    {
        WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
