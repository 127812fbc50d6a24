using System.Diagnostics;

namespace Earworm.Cli.Tests;

/// <summary>Runs the CLI in-process (fast) or as a real process (signals, kill -9).</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static async Task<Result> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, stdout, stderr, interactive: false, CancellationToken.None);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The built CLI (earworm.dll sits beside the test assembly) started as its own process.</summary>
    public static Process Start(string home, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "earworm.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["EARWORM_HOME"] = home;
        return Process.Start(psi)!;
    }
}
