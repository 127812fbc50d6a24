using System.CommandLine;
using Earworm.App.Training;

namespace Earworm.Cli.Commands;

/// <summary>
/// The command-line options of the hyper-parameters `train cf` and `evaluate` share, defined once so both verbs take
/// them with the same names, defaults and help. Each verb makes its own set (an option belongs to one command).
/// </summary>
internal sealed class CfOptionSet
{
    public Option<int> Factors { get; } = new("--factors") { Description = "Latent factors of ALS and BPR (track2vec: dimensions)", DefaultValueFactory = _ => 64 };
    public Option<int> Iterations { get; } = new("--iterations") { Description = "ALS iterations (BPR default epochs: 10 × this)", DefaultValueFactory = _ => 15 };
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "BPR epochs (default 10 × iterations), track2vec epochs (default 50) or hybrid epochs (default 100)" };
    public Option<float?> Alpha { get; } = new("--alpha")
    {
        Description = "ALS confidence weight α in c = 1 + α·log(1 + r) (or 1 + α·r with --scaling linear); default 1 on play counts, 5 on binary data (every count 1)",
    };
    public Option<float?> Regularization { get; } = new("--regularization") { Description = "L2 penalty λ (ALS default 10 on play counts, 30 on binary data; BPR 0.01)" };
    public Option<string?> Scaling { get; } = new("--scaling") { Description = "ALS confidence scaling: log or linear (default log on play counts, linear on binary data)" };
    public Option<int> Window { get; } = new("--window") { Description = "track2vec context window", DefaultValueFactory = _ => 5 };
    public Option<int> MinCount { get; } = new("--min-count") { Description = "track2vec: items seen fewer times get no vector", DefaultValueFactory = _ => 5 };
    public Option<double> SessionGap { get; } = new("--session-gap") { Description = "track2vec: minutes of silence that end a listening session", DefaultValueFactory = _ => 30 };

    public Option<float?> LearningRate { get; } = new("--learning-rate")
    {
        Description = "BPR's, the hybrid's (Adagrad) or track2vec's step (default 0.05, 0.025, 0.025)",
    };
    public Option<string?> Loss { get; } = new("--loss") { Description = "hybrid: the ranking loss, warp or bpr (default warp)" };
    public Option<float?> IdentityDropout { get; } = new("--identity-dropout")
    {
        Description = "hybrid: the chance a training step leaves a tagged item's own vector out, so its tags learn to place it alone (default 0)",
    };

    public IEnumerable<Option> All => [Factors, Iterations, Alpha, Regularization, Scaling, Epochs, LearningRate, Window, MinCount, SessionGap, Loss, IdentityDropout];

    /// <summary>The options whose values <c>--tune</c> chooses.</summary>
    public Option[] ChosenBySearch => [Factors, Iterations, Alpha, Regularization, Scaling];

    /// <summary><paramref name="settings"/> with the values these options were given.</summary>
    public CfSettings Read(ParseResult parse, CfSettings settings) => settings with
    {
        Factors = parse.GetValue(Factors),
        Iterations = parse.GetValue(Iterations),
        Alpha = parse.GetValue(Alpha),
        Regularization = parse.GetValue(Regularization),
        Scaling = parse.GetValue(Scaling)?.Trim().ToLowerInvariant(),
        Epochs = parse.GetValue(Epochs),
        LearningRate = parse.GetValue(LearningRate),
        Window = parse.GetValue(Window),
        MinCount = parse.GetValue(MinCount),
        SessionGapMinutes = parse.GetValue(SessionGap),
        Loss = parse.GetValue(Loss)?.Trim().ToLowerInvariant(),
        IdentityDropout = parse.GetValue(IdentityDropout),
    };
}
