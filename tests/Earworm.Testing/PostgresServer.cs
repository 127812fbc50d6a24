using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Earworm.Catalog;
using Npgsql;
using Xunit;

namespace Earworm.Testing;

/// <summary>
/// Debian's PostgreSQL, started for the tests of one process: <c>initdb</c> and <c>pg_ctl</c> in a temporary folder,
/// listening on a free loopback port only (trust authentication, no durability: a test server), stopped and deleted
/// when the process ends. As root it runs as the <c>postgres</c> user (PostgreSQL refuses root). Each test asks for a
/// database of its own (<see cref="NewDatabase"/>).
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private const string User = "earworm";

    private readonly string _folder;
    private readonly string _bin;
    private int _databases;

    private PostgresServer(string folder, string bin, int port)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
        _template = new Lazy<bool>(MakeTemplate, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public int Port { get; }

    /// <summary>The server of this test process, started on first use.</summary>
    public static PostgresServer Instance => Shared.Value;

    /// <summary>Null when PostgreSQL's binaries are installed, or under CI (test.sh installs them there, so a missing
    /// one fails); else why the tests skip.</summary>
    public static string? SkipReason() =>
        Environment.GetEnvironmentVariable("CI") is null && FindBin() is null
            ? "PostgreSQL is missing (no pg_ctl on PATH or under /usr/lib/postgresql): install it with `sudo apt-get install -y postgresql` (./test.sh does as root)"
            : null;

    /// <summary>A new, empty catalog database on the server (its schema up to date: a copy of a template migrated
    /// once); its address.</summary>
    public PostgresAddress NewDatabase()
    {
        _ = _template.Value;
        var name = string.Create(CultureInfo.InvariantCulture, $"t{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}");
        Admin($"CREATE DATABASE {name} TEMPLATE {Template}");
        return Address(name);
    }

    private const string Template = "earworm_template";

    private readonly Lazy<bool> _template;

    /// <summary>The template: an empty catalog, migrated, with no connection left open (a template must have none).</summary>
    private bool MakeTemplate()
    {
        Admin($"CREATE DATABASE {Template}");
        var address = Address(Template);
        PostgresCatalog.Open(address).Dispose();
        PostgresCatalog.Release(address);
        return true;
    }

    /// <summary>A new database with nothing in it (no schema); see <see cref="NewDatabase"/> for a catalog's.</summary>
    public PostgresAddress Create(string database)
    {
        Admin($"CREATE DATABASE {database}");
        return Address(database);
    }

    private void Admin(string sql)
    {
        using var admin = new NpgsqlConnection(Address("postgres").ConnectionString + ";Pooling=false");
        admin.Open();
        using var cmd = new NpgsqlCommand(sql, admin);
        cmd.ExecuteNonQuery();
    }

    public PostgresAddress Address(string database) => new("127.0.0.1", Port, User, database, null);

    private static PostgresServer Start()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(SkipReason() ?? "PostgreSQL is missing: `apt-get install -y postgresql`");
        SweepLeftovers();
        var folder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        var server = new PostgresServer(folder, bin, FreePort());
        bool root = Environment.UserName == "root";
        if (root) Run("chown", "-R", "postgres:postgres", folder);
        var data = Path.Combine(folder, "data");
        server.AsServerUser("initdb", "-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        server.AsServerUser("pg_ctl", "-D", data, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", "-o",
            string.Create(CultureInfo.InvariantCulture,
                $"-c listen_addresses=127.0.0.1 -p {server.Port} -k {folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
            "start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(afterProcess: null);
        // a test host that is killed (a crash, a hang timeout, a cancelled run) runs no exit handler, and its server was
        // left running (found after full runs of the suite): a watchdog stops it once this process is gone; when the
        // exit handler has stopped it already, the watchdog's stop finds nothing to do
        server.Stop(afterProcess: Environment.ProcessId);
        return server;
    }

    /// <summary>Stops the server and deletes its folder from a shell in a session of its own (<c>setsid -f</c> forks
    /// and returns) — at once, or once process <paramref name="afterProcess"/> is gone: the test host may be killed
    /// with its process tree right after its exit handlers start, which interrupted an immediate stop run here and
    /// left the folder behind; the orphaned shell belongs to no tree.</summary>
    private void Stop(int? afterProcess)
    {
        try
        {
            using var shell = Process.Start(new ProcessStartInfo("setsid",
                ["-f", "sh", "-c", "exec </dev/null >/dev/null 2>&1; while [ -n \"$1\" ] && kill -0 \"$1\"; do sleep 2; done; shift; \"$@\"; rm -rf \"$0\"",
                 _folder, afterProcess?.ToString(CultureInfo.InvariantCulture) ?? "",
                 .. AsServerUserCommand("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop")])
                { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true });
        }
        catch (System.ComponentModel.Win32Exception) { }
    }

    private const string FolderPrefix = "earworm-pg-";

    /// <summary>Deletes the folders of earlier test processes whose server is not running (no postmaster.pid) and that
    /// are older than a few minutes (a folder that young may belong to a server still starting).</summary>
    private static void SweepLeftovers()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                if (File.Exists(Path.Combine(dir, "data", "postmaster.pid"))) continue;
                if (DateTime.UtcNow - Directory.GetCreationTimeUtc(dir) < TimeSpan.FromMinutes(10)) continue;
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private void AsServerUser(string tool, params string[] args)
    {
        var command = AsServerUserCommand(tool, args);
        Run(command[0], command[1..]);
    }

    /// <summary>The command line that runs a server tool as the server's user (postgres when the tests run as root).</summary>
    private string[] AsServerUserCommand(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        return Environment.UserName == "root" ? ["runuser", "-u", "postgres", "--", path, .. args] : [path, .. args];
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}{stdout.Result}");
    }

    /// <summary>The folder of pg_ctl: on PATH, else Debian's /usr/lib/postgresql/VERSION/bin (newest first).</summary>
    private static string? FindBin()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb")))
                return Path.GetDirectoryName(new FileInfo(Path.Combine(dir, "pg_ctl")).ResolveLinkTarget(true)?.FullName ?? Path.Combine(dir, "pg_ctl"));
        const string debian = "/usr/lib/postgresql";
        if (!Directory.Exists(debian)) return null;
        return Directory.GetDirectories(debian)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out int v) ? v : 0)
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>A fact that needs PostgreSQL's binaries (<see cref="PostgresServer.SkipReason"/>).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresServer.SkipReason();
}
