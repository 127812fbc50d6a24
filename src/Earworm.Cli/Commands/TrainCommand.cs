using System.CommandLine;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm train</c>: a container of one subcommand per thing Earworm learns (each in its own file, added
/// to <see cref="Subcommands"/>).</summary>
internal static class TrainCommand
{
    private static IEnumerable<Command> Subcommands(Func<ParseResult, CliContext> context) =>
    [
        TrainAudioCommand.Create(context),
    ];

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("train", "Learn from the catalog: `train audio` (the content model from the audio itself); " +
                                       "`earworm train SUBCOMMAND --help` explains each");
        foreach (var sub in Subcommands(context)) cmd.Add(sub);
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            ctx.Out.WriteLine("earworm train SUBCOMMAND: what to learn.");
            foreach (var sub in cmd.Subcommands) ctx.Out.WriteLine($"  {sub.Name,-8} {sub.Description}");
            ctx.Out.WriteLine("`earworm train SUBCOMMAND --help` for its options.");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
