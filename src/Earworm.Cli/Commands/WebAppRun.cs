using Microsoft.AspNetCore.Builder;

namespace Earworm.Cli.Commands;

/// <summary>How <c>serve</c> and <c>silo</c> run their web app: start it (a port already taken is a usage error saying
/// which), say where it serves, wait for Ctrl-C, stop it and let it go.</summary>
internal static class WebAppRun
{
    /// <param name="cannotListen">the usage error's text when it cannot listen, before the system's reason.</param>
    /// <param name="tryInstead">what the error suggests, after the system's reason.</param>
    /// <param name="serving">the line said on standard error once it serves.</param>
    public static async Task UntilCancelledAsync(WebApplication app, CliContext ctx, string cannotListen, string tryInstead, Func<string> serving,
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
            await ctx.Err.WriteLineAsync(serving()).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
