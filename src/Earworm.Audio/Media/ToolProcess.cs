using System.Diagnostics;
using System.Text;

namespace Earworm.Audio.Media;

/// <summary>One run of ffmpeg or ffprobe: arguments as a list (never a joined string), stderr
/// drained in the background keeping its tail, cancellation and a timeout that kill the process.
/// The tool runs in a session of its own (<c>setsid</c>, where there is one), out of the terminal's process group: a
/// Ctrl-C reaches Earworm only, which decides what to stop. ffmpeg stops at once on SIGINT with exit code 255, and
/// when it heard the Ctrl-C first a scan took the interrupted decode for a broken file and recorded it as failed.</summary>
internal sealed partial class ToolProcess : IAsyncDisposable
{
    private const int StderrTailChars = 2000;
    private readonly Process _process;
    private readonly Task _stderrPump;
    private readonly StringBuilder _stderr = new();
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenRegistration _killOnCancel;

    private readonly Action<string?>? _onStderrLine;

    /// <summary>util-linux's setsid, through which tools start in their own session; null where there is none.</summary>
    private static readonly string? Setsid = OperatingSystem.IsWindows() ? null
        : new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    private ToolProcess(Process process, TimeSpan timeout, Action<string?>? onStderrLine, CancellationToken cancellationToken)
    {
        _process = process;
        _onStderrLine = onStderrLine;
        _timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _timeout.CancelAfter(timeout);
        _killOnCancel = _timeout.Token.Register(Kill);
        _stderrPump = PumpStderrAsync();
    }

    public Stream StandardOutput => _process.StandardOutput.BaseStream;
    public Stream StandardInput => _process.StandardInput.BaseStream;
    public CancellationToken Token => _timeout.Token;

    /// <param name="onStderrLine">told each line of stderr as it arrives (on the pump's thread, in order), then null at its end.</param>
    public static ToolProcess Start(string exe, IEnumerable<string> args, bool redirectInput, TimeSpan timeout, CancellationToken cancellationToken,
        Action<string?>? onStderrLine = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var psi = new ProcessStartInfo(Setsid ?? exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardErrorEncoding = Encoding.UTF8,
            StandardOutputEncoding = Encoding.UTF8,
        };
        if (Setsid is not null)
        {
            // setsid(1) in a process that leads no group (a child just forked) calls setsid(2) and execs the tool in
            // place: the same pid, so killing it and its exit code are the tool's own
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(exe);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new EarwormException($"could not start {exe}");
        return new ToolProcess(p, timeout, onStderrLine, cancellationToken);
    }

    /// <summary>Waits for exit; returns the exit code. Throws OperationCanceledException when the caller
    /// cancelled (also when the tool failed after the caller began to cancel: its failure says nothing about its
    /// input) and TimeoutException when the time limit ran out.</summary>
    public async Task<int> WaitAsync(CancellationToken callerToken)
    {
        try
        {
            await _process.WaitForExitAsync(_timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            throw new TimeoutException("timed out");
        }
        await _stderrPump.ConfigureAwait(false);
        if (_process.ExitCode != 0) callerToken.ThrowIfCancellationRequested();
        return _process.ExitCode;
    }

    public bool TimedOut(CancellationToken callerToken) => _timeout.IsCancellationRequested && !callerToken.IsCancellationRequested;

    /// <summary>The last lines ffmpeg wrote to stderr, trimmed.</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderr) return _stderr.ToString().Trim();
        }
    }

    private async Task PumpStderrAsync()
    {
        var reader = _process.StandardError;
        try
        {
            string? line;
            while ((line = await reader.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                lock (_stderr)
                {
                    _stderr.Append(line).Append('\n');
                    if (_stderr.Length > 2 * StderrTailChars) _stderr.Remove(0, _stderr.Length - StderrTailChars);
                }
                _onStderrLine?.Invoke(line);
            }
        }
        finally
        {
            _onStderrLine?.Invoke(null);
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _killOnCancel.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _stderrPump.ConfigureAwait(false);
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        _timeout.Dispose();
        _process.Dispose();
    }

    /// <summary>The last few lines of a stderr text, for failure reasons stored in the catalog.</summary>
    internal static string Tail(string text, int maxLines = 4, int maxChars = 600)
    {
        // "[ogg @ 0x55c9011d9180] Header…": the pointer differs on every run and says nothing to a person
        text = PointerPattern().Replace(text, "");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tail = string.Join(" | ", lines.TakeLast(maxLines));
        return tail.Length <= maxChars ? tail : tail[^maxChars..];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" @ 0x[0-9a-fA-F]+")]
    private static partial System.Text.RegularExpressions.Regex PointerPattern();
}
