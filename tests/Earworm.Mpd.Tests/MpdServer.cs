using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Earworm.Mpd.Protocol;

namespace Earworm.Mpd.Tests;

/// <summary>
/// Debian's mpd, started for a test: its own config, database and state in a temporary folder, a null audio output
/// (which keeps real time, so songs play and end as they would), listening on a free loopback port and on a local
/// socket. Stopped (SIGTERM, so it saves its state as on a real shutdown) on dispose.
/// </summary>
internal sealed class MpdServer : IAsyncDisposable
{
    private Process? _process;

    private MpdServer(string folder, string musicDirectory, int port)
    {
        Folder = folder;
        MusicDirectory = musicDirectory;
        Port = port;
    }

    public string Folder { get; }
    public string MusicDirectory { get; }
    public int Port { get; }
    public MpdAddress Address => new("127.0.0.1", Port, null);
    public MpdAddress Socket => new(null, 0, Path.Combine(Folder, "socket"));
    private string ConfigPath => Path.Combine(Folder, "mpd.conf");

    /// <summary>Null when mpd and mpc are installed, or under CI (test.sh installs them there, so a missing one fails).</summary>
    public static string? SkipReason() =>
        Environment.GetEnvironmentVariable("CI") is null && !(OnPath("mpd") && OnPath("mpc"))
            ? "mpd or mpc is missing: install them with `sudo apt-get install -y mpd mpc` (./test.sh does as root)" : null;

    /// <summary>Runs mpc, MPD's own command-line client, against this server (as a listener pressing its buttons).</summary>
    public async Task MpcAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("mpc") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-q", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture) }.Concat(args)) psi.ArgumentList.Add(a);
        using var mpc = Process.Start(psi)!;
        string err = await mpc.StandardError.ReadToEndAsync();
        await mpc.WaitForExitAsync();
        if (mpc.ExitCode != 0) throw new InvalidOperationException($"mpc {string.Join(' ', args)}: {err}");
    }

    /// <summary>Starts mpd over <paramref name="musicDirectory"/> and waits until its database holds every song.</summary>
    public static async Task<MpdServer> StartAsync(string folder, string musicDirectory)
    {
        Directory.CreateDirectory(folder);
        var server = new MpdServer(folder, musicDirectory, FreePort());
        await File.WriteAllTextAsync(server.ConfigPath, string.Create(CultureInfo.InvariantCulture, $$"""
            music_directory "{{musicDirectory}}"
            db_file "{{folder}}/database"
            state_file "{{folder}}/state"
            log_file "{{folder}}/log"
            bind_to_address "127.0.0.1"
            bind_to_address "{{folder}}/socket"
            port "{{server.Port}}"
            auto_update "no"
            zeroconf_enabled "no"
            audio_output {
                type "null"
                name "null"
                mixer_type "none"
            }
            """));
        await server.StartProcessAsync();
        await using var client = await server.ConnectAsync();
        await client.Connection.SendAsync("update");
        while ((await client.Connection.SendAsync("status")).Any(p => p.Key == "updating_db")) await Task.Delay(50);
        return server;
    }

    public async Task<MpdClient> ConnectAsync() => new(await MpdConnection.ConnectAsync(Address, TimeSpan.FromSeconds(5)));

    /// <summary>Stops mpd as a shutdown would (it saves its queue and state) and starts it again on the same port.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        await StopAsync();
        await Task.Delay(down);
        await StartProcessAsync();
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
        _process = null;
    }

    private async Task StartProcessAsync()
    {
        var psi = new ProcessStartInfo("mpd") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--no-daemon", ConfigPath }) psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                await using var probe = await MpdConnection.ConnectAsync(Address, TimeSpan.FromSeconds(1));
                return;
            }
            catch (MpdConnectionException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (MpdConnectionException e)
            {
                string log = File.Exists(Path.Combine(Folder, "log")) ? await File.ReadAllTextAsync(Path.Combine(Folder, "log")) : "";
                throw new InvalidOperationException($"mpd did not start: {e.Message}\n{log}", e);
            }
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, name)));

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>A fact that needs Debian's mpd (<see cref="MpdServer.SkipReason"/>) and ffmpeg.</summary>
public sealed class MpdFactAttribute : FactAttribute
{
    public MpdFactAttribute() => Skip = MpdServer.SkipReason() ?? new Earworm.Testing.FfmpegFactAttribute().Skip;
}
