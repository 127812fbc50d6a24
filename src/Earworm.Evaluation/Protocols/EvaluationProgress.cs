using Earworm.Learning;

namespace Earworm.Evaluation.Protocols;

/// <summary>What a protocol run is doing.</summary>
public enum EvaluationStage
{
    /// <summary>Splitting the data for a seed.</summary>
    Split,

    /// <summary>Fitting a model (<see cref="EvaluationProgress.Training"/> has the trainer's own progress when it reports).</summary>
    Fit,

    /// <summary>Recommending for test users and measuring (Done of Total users).</summary>
    Recommend,
}

/// <summary>Where a protocol run stands: run (seed) RunIndex of RunCount, the model (empty while splitting),
/// the stage, and Done of Total units of that stage.</summary>
public sealed record EvaluationProgress(
    int Seed,
    int RunIndex,
    int RunCount,
    string Model,
    EvaluationStage Stage,
    int Done,
    int Total,
    TrainingProgress? Training = null);
