using Earworm.Cli;

// Ctrl-C cancels the running verb (a scan commits what it finished and says how to resume);
// a second Ctrl-C ends the process at once.
using var cts = new CancellationTokenSource();
int presses = 0;
Console.CancelKeyPress += (_, e) =>
{
    if (Interlocked.Increment(ref presses) == 1)
    {
        e.Cancel = true;
        cts.Cancel();
    }
};
// SIGTERM (kill, systemd stop) stops as gently as Ctrl-C: finished tracks are committed, the scan says it was interrupted.
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
{
    ctx.Cancel = true;
    cts.Cancel();
});
var interactive = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
return await CliApp.RunAsync(args, Console.Out, Console.Error, interactive, cts.Token, stdoutIsTerminal: !Console.IsOutputRedirected);
