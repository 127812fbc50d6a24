using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Earworm.Cli.Commands;

/// <summary>How <c>serve</c> and <c>silo</c> run their web app: start it (a port already taken is a usage error saying
/// which), say where it serves, wait for Ctrl-C, stop it and let it go.</summary>
internal static class WebAppRun
{
    /// <summary>The server's log as the commands show it: on the console, warnings and worse a line each
    /// (<see cref="OneLineLogFormatter"/>); with <c>--verbose</c> everything, exceptions with their stacks. The host's own
    /// report of a failed start is left out: the one-line error says it.</summary>
    public static Action<ILoggingBuilder> Logging(bool verbose) => logging =>
    {
        logging.ClearProviders();
        if (verbose) logging.AddSimpleConsole();
        else logging.AddConsole(o => o.FormatterName = OneLineLogFormatter.Name).AddConsoleFormatter<OneLineLogFormatter, ConsoleFormatterOptions>();
        logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    };

    /// <param name="cannotListen">the usage error's text when it cannot listen, before the system's reason.</param>
    /// <param name="tryInstead">what the error suggests, after the system's reason.</param>
    /// <param name="serving">the line said on standard error once it serves, given the port it listens on (the one the
    /// system chose, for <c>--port 0</c>).</param>
    public static async Task UntilCancelledAsync(WebApplication app, CliContext ctx, string cannotListen, string tryInstead, Func<int, string> serving,
        CancellationToken ct)
    {
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync(ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new UsageException($"{cannotListen}: {e.Message} ({tryInstead})");
            }
            int port = app.Urls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.Port : 0).FirstOrDefault(p => p > 0);
            await ctx.Err.WriteLineAsync(serving(port)).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
