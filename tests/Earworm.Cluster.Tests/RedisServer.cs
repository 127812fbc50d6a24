using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Earworm.Cluster.Tests;

/// <summary>
/// Debian's redis-server, started for the tests of one process on a free loopback port in a temporary folder (no
/// persistence: a test server), killed and deleted when the process ends.
/// </summary>
public sealed class RedisServer
{
    private static readonly Lazy<RedisServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private RedisServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    private readonly Process _process;
    private readonly string _folder;

    public int Port { get; }

    /// <summary>host:port, as <c>earworm silo --redis</c> takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static RedisServer Instance => Shared.Value;

    /// <summary>Null when redis-server is installed, or under CI (test.sh installs it there, so a missing one fails);
    /// else why the tests skip.</summary>
    public static string? SkipReason() =>
        Environment.GetEnvironmentVariable("CI") is null && Find() is null
            ? "redis-server is missing: install it with `sudo apt-get install -y redis-server` (./test.sh does as root)"
            : null;

    private static RedisServer Start()
    {
        var exe = Find() ?? throw new InvalidOperationException(SkipReason() ?? "redis-server is missing: `apt-get install -y redis-server`");
        var folder = Directory.CreateTempSubdirectory("earworm-redis-").FullName;
        int port = FreePort();
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var a in new[] { "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", folder,
                                  "--save", "", "--appendonly", "no", "--protected-mode", "yes" })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, folder, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        var waited = Stopwatch.StartNew();
        while (!Listening(port))
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(20))
                throw new InvalidOperationException($"redis-server did not listen on 127.0.0.1:{port}");
            Thread.Sleep(50);
        }
        return server;
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
            Directory.Delete(_folder, recursive: true);
        }
        catch (InvalidOperationException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin").Append("/usr/sbin")
            .Where(d => d.Length > 0).Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>A fact that needs redis-server (<see cref="RedisServer.SkipReason"/>).</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute() => Skip = RedisServer.SkipReason();
}
