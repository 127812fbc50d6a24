using System.CommandLine;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Cli.Commands;

namespace Earworm.Cli;

/// <summary>Exit codes: 0 ok, 1 failure, 2 bad usage or a missing prerequisite, 130 interrupted.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;
}

/// <summary>Builds the command tree and runs it, mapping errors to exit codes and one readable line.</summary>
internal static class CliApp
{
    public static RootCommand Build(Func<ParseResult, CliContext> context)
    {
        var root = new RootCommand("Earworm listens to your music and recommends what to play next.\n" +
                                   "Start with `earworm demo`, or `earworm scan ~/Music`.");
        root.Add(GlobalOptions.Db);
        root.Add(GlobalOptions.Json);
        root.Add(GlobalOptions.Verbose);
        root.Add(ScanCommand.Create(context));
        root.Add(TracksCommand.Create(context));
        root.Add(StatusCommand.Create(context));
        root.Add(DescribeCommand.Create(context));
        root.Add(TagsCommand.Create(context));
        root.Add(SimilarCommand.Create(context));
        root.Add(ImportCommand.Create(context));
        root.Add(UsersCommand.Create(context));
        root.Add(UserCommand.Create(context));
        root.Add(EvaluateCommand.Create(context));
        root.Add(TrainCommand.Create(context));
        root.Add(RecommendCommand.Create(context));
        root.Add(DiscoverCommand.Create(context));
        root.Add(DemoCommand.Create(context));
        root.Add(EmbedCommand.Create(context));
        root.Add(PlaylistCommand.Create(context));
        root.Add(DjCommand.Create(context));
        root.Add(ExportCommand.Create(context));
        root.Add(EventsCommand.Create(context));
        root.Add(ServeCommand.Create(context));
        root.Add(SiloCommand.Create(context));
        root.Add(InspectCommand.Create(context));
        root.Add(PretrainCommand.Create(context));
        ValueRules.Apply(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, CancellationToken cancellationToken,
        bool stdoutIsTerminal = false)
    {
        var root = Build(parse => new CliContext(parse, stdout, stderr, interactive).Sized(stdoutIsTerminal));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) await stderr.WriteLineAsync($"earworm: {e.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync("Try `earworm --help`.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // we handle Ctrl-C ourselves, so a scan can commit and say where it stopped
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("earworm: interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is UsageException or PrerequisiteMissingException)
        {
            await stderr.WriteLineAsync($"earworm: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is EarwormException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"earworm: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // anything else is a bug (bad input is refused above, by ValueRules and the services' UsageExceptions): one
            // line that says so rather than the runtime's crash, the stack with --verbose
            await stderr.WriteLineAsync(parse.GetValue(GlobalOptions.Verbose)
                ? $"earworm: unexpected error (a bug, please report it): {e}"
                : $"earworm: unexpected error (a bug, please report it; --verbose shows where): {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
