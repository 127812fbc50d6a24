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
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "BPR epochs (default 10 × iterations) or track2vec epochs (default 50)" };
    public Option<int> Window { get; } = new("--window") { Description = "track2vec context window", DefaultValueFactory = _ => 5 };
    public Option<int> MinCount { get; } = new("--min-count") { Description = "track2vec: items seen fewer times get no vector", DefaultValueFactory = _ => 5 };
    public Option<double> SessionGap { get; } = new("--session-gap") { Description = "track2vec: minutes of silence that end a listening session", DefaultValueFactory = _ => 30 };

    public IEnumerable<Option> All => [Factors, Iterations, Epochs, Window, MinCount, SessionGap];

    /// <summary><paramref name="settings"/> with the values these options were given.</summary>
    public CfSettings Read(ParseResult parse, CfSettings settings) => settings with
    {
        Factors = parse.GetValue(Factors),
        Iterations = parse.GetValue(Iterations),
        Epochs = parse.GetValue(Epochs),
        Window = parse.GetValue(Window),
        MinCount = parse.GetValue(MinCount),
        SessionGapMinutes = parse.GetValue(SessionGap),
    };
}
