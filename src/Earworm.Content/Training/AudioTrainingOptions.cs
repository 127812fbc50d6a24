using System.Text.Json.Serialization;
using Earworm.Content.Data;
using Earworm.Content.Network;

namespace Earworm.Content.Training;

/// <summary>The optimiser: Adam (Kingma &amp; Ba 2015), or SGD with Nesterov momentum (Dieleman 2014).</summary>
public enum OptimizerKind { Adam, SgdNesterov }

/// <summary>How the learning rate moves: reduced on a plateau of the validation loss, or a cosine from the initial rate
/// to zero over <see cref="AudioTrainingOptions.MaxEpochs"/> (Loshchilov &amp; Hutter 2017, without restarts; SimCLR's
/// schedule), which a noisy contrastive validation loss cannot cut short.</summary>
public enum LearningRateSchedule { Plateau, Cosine }

/// <summary>How the content network is trained. Every stochastic choice (split, crops, augmentation, initialisation,
/// dropout) follows <see cref="Seed"/>.</summary>
public sealed record AudioTrainingOptions
{
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public AudioObjective Objective { get; init; } = AudioObjective.Contrastive;

    /// <summary>The network; its <see cref="AudioNetworkOptions.OutputDims"/> is replaced by the target space's
    /// dimensions for <c>cf</c> and <c>track2vec</c>.</summary>
    public AudioNetworkOptions Network { get; init; } = new();

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Initial learning rate; null: 0.001 for Adam, 0.01 for SGD.</summary>
    public double? LearningRate { get; init; }

    /// <summary>Nesterov momentum of SGD. Default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay. Default 1e-5.</summary>
    public double WeightDecay { get; init; } = 1e-5;

    /// <summary>Tracks per batch (contrastive: 2 views each). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Most epochs. Default 100 (early stopping usually ends training well before).</summary>
    public int MaxEpochs { get; init; } = 100;

    /// <summary>Crops of every training track per epoch (one random window and position each); 0: the mean number of
    /// cached windows per track, at most 8.</summary>
    public int CropsPerTrack { get; init; }

    /// <summary>Stop after this many epochs without a better validation loss. Default 10.</summary>
    public int EarlyStoppingPatience { get; init; } = 10;

    /// <summary>Learning-rate schedule: multiply by <see cref="LearningRateFactor"/> after this many epochs without a
    /// better validation loss (reduce on plateau). Default 2.</summary>
    public int LearningRatePatience { get; init; } = 2;

    /// <summary>Default 0.5.</summary>
    public double LearningRateFactor { get; init; } = 0.5;

    /// <summary>Plateau (default: <see cref="LearningRatePatience"/>, <see cref="LearningRateFactor"/>) or cosine.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Plateau;

    /// <summary>Fraction of tracks held out for validation (at least one when there are four tracks or more). Default 0.15.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    public int Seed { get; init; } = 1;

    /// <summary>Contrastive only: the loss over the pairs of crops (default NT-Xent; VICReg was measured against it on
    /// the pretraining corpus's package folds, bench/README.md).</summary>
    /// <remarks>Left out of the JSON when NT-Xent, so the options of every model trained before it existed keep their
    /// identity.</remarks>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public PairLoss PairLoss { get; init; } = PairLoss.NtXent;

    /// <summary>NT-Xent temperature τ. Default 0.1.</summary>
    public double Temperature { get; init; } = 0.1;

    /// <summary>Contrastive only, with groups given to the trainer (a soundtrack, an album per track): the weight α of
    /// the supervised contrastive loss over the groups (<see cref="Objectives.SupervisedContrastive"/>) in
    /// (1 − α)·NT-Xent + α·SupCon. Default 0: self-supervised only.</summary>
    public double GroupWeight { get; init; }

    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>A saved model's folder whose weights the network starts from (fine-tuning): every tensor whose name and
    /// shape agree, and its input normalisation; null: random initialisation. Not part of the options' identity: the
    /// model's version (<see cref="InitialModelVersion"/>) is.</summary>
    [JsonIgnore]
    public string? InitialModel { get; init; }

    /// <summary>The version of <see cref="InitialModel"/> (what identifies the start in checkpoints and model versions).</summary>
    public string? InitialModelVersion { get; init; }

    /// <summary>Stops before an epoch that would end past this budget (the best model so far is kept).</summary>
    [JsonIgnore]
    public TimeSpan? TimeBudget { get; init; }

    public double EffectiveLearningRate => LearningRate ?? (Optimizer == OptimizerKind.Adam ? 1e-3 : 1e-2);

    public void Validate()
    {
        Network.Validate();
        if (BatchSize < 2) throw new ArgumentException($"BatchSize must be at least 2, got {BatchSize}.");
        if (MaxEpochs < 1) throw new ArgumentException($"MaxEpochs must be positive, got {MaxEpochs}.");
        if (EffectiveLearningRate is not (> 0 and < 10)) throw new ArgumentException($"LearningRate must be positive, got {LearningRate}.");
        if (ValidationFraction is < 0 or >= 0.9) throw new ArgumentException($"ValidationFraction must lie in [0, 0.9), got {ValidationFraction}.");
        if (Temperature <= 0) throw new ArgumentException($"Temperature must be positive, got {Temperature}.");
        if (GroupWeight is < 0 or > 1) throw new ArgumentException($"GroupWeight must lie in [0, 1], got {GroupWeight}.");
        if (LearningRateFactor is <= 0 or > 1) throw new ArgumentException($"LearningRateFactor must lie in (0, 1], got {LearningRateFactor}.");
        if (LearningRatePatience < 1) throw new ArgumentException($"LearningRatePatience must be at least 1, got {LearningRatePatience}.");
        if (EarlyStoppingPatience < 1) throw new ArgumentException($"EarlyStoppingPatience must be at least 1, got {EarlyStoppingPatience}.");
        if (CropsPerTrack < 0) throw new ArgumentException($"CropsPerTrack must not be negative, got {CropsPerTrack}.");
        ArgumentNullException.ThrowIfNull(Augmentation);
        Augmentation.Validate();
    }
}

/// <summary>One finished epoch.</summary>
/// <param name="ValidationMetric">cf/track2vec: mean cosine between a validation track's prediction and its target;
/// contrastive: the fraction of validation tracks whose nearest other view is their own (pair accuracy).</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double? ValidationLoss, double? ValidationMetric,
    double LearningRate, double Seconds);

/// <summary>Progress within training, reported after every batch.</summary>
public sealed record AudioTrainingProgress(int Epoch, int MaxEpochs, int Step, int StepsPerEpoch, double RunningLoss,
    EpochRecord? LastEpoch, TimeSpan Elapsed, TimeSpan? Remaining);
