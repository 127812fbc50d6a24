using System.Text.Json.Serialization;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Network;
using Earworm.Content.Training;

namespace Earworm.Content.Pretraining;

/// <summary>
/// How the shipped audio encoder is pretrained: the contrastive training options (network, augmentations, batch,
/// schedule) and how its space is read. The defaults are the recipe the package-held-out figures chose (every trial
/// is in <c>models/encoder/MODEL_CARD.md</c>); a JSON file of this record (<c>earworm pretrain --recipe FILE</c>)
/// replaces them for a trial.
/// </summary>
public sealed record PretrainingRecipe
{
    /// <summary>The training options (objective contrastive; the network's batch norm on).</summary>
    public AudioTrainingOptions Training { get; init; } = DefaultTraining;

    /// <summary>The read-out fitted on the training corpus's crops (<see cref="Whitening"/>). Default whitened.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public Readout Readout { get; init; } = Readout.Whitened;

    /// <summary>Principal components kept by the whitened read-out. Default 512.</summary>
    public int ReadoutDims { get; init; } = 512;

    /// <summary>The layer the encoder's space is read at (<see cref="EmbeddingLayer"/>).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public EmbeddingLayer Layer { get; init; } = EmbeddingLayer.Blocks;

    /// <summary>Crops read per 10 s window when a track is embedded (<see cref="AudioModelInfo.CropsPerWindow"/>): null
    /// tiles every window (five crops). How the model is read, so trials of it share one training.</summary>
    public int? CropsPerWindow { get; init; }

    /// <summary>Seconds of log-mel the corpus scan caches per track (10 s windows spread over the track): training sees
    /// this much of every track. Default 600: whole tracks, most of them.</summary>
    public double CacheSeconds { get; init; } = 600;

    /// <summary>Windows per held-out track when it is embedded for the figures: those of a library scanned with the
    /// default cache (60 s: 6 windows), spread over the track as that cache spreads them, so the figures are what a
    /// library gets. Default 6.</summary>
    public int EvaluationWindows { get; init; } = 6;

    /// <summary>Neighbours per track in the held-out figures. Default 10.</summary>
    public int NeighboursK { get; init; } = 10;

    public static AudioTrainingOptions DefaultTraining { get; } = new()
    {
        Objective = AudioObjective.Contrastive,
        Network = new AudioNetworkOptions { BatchNorm = true },
        BatchSize = 32,
        MaxEpochs = 80,
        CropsPerTrack = 3,
        Schedule = LearningRateSchedule.Cosine,
        // the cosine schedule runs its whole length: no early stop, no plateau steps
        EarlyStoppingPatience = 200,
        LearningRatePatience = 3,
        Augmentation = new AugmentationOptions(),
    };

    /// <summary>The same recipe with another seed.</summary>
    public PretrainingRecipe WithSeed(int seed) => this with { Training = Training with { Seed = seed } };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training);
        Training.Validate();
        if (Training.Objective != AudioObjective.Contrastive)
            throw new ArgumentException($"the encoder is pretrained with the contrastive objective, not {Training.Objective}");
        if (NeighboursK < 1) throw new ArgumentException($"NeighboursK must be positive, got {NeighboursK}");
        if (ReadoutDims < 1) throw new ArgumentException($"ReadoutDims must be positive, got {ReadoutDims}");
        if (CropsPerWindow is < 1) throw new ArgumentException($"CropsPerWindow must be positive, got {CropsPerWindow}");
        if (EvaluationWindows < 1) throw new ArgumentException($"EvaluationWindows must be positive, got {EvaluationWindows}");
        if (CacheSeconds is < 10 or > 3600) throw new ArgumentException($"CacheSeconds must lie in [10, 3600], got {CacheSeconds}");
    }

    /// <summary>Serialisation of recipes (recipe files, reports, the model card). A loss can be non-finite (a validation
    /// split of a handful of tracks): written as "NaN" or "Infinity" rather than failing the run.</summary>
    [JsonIgnore]
    public static System.Text.Json.JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
