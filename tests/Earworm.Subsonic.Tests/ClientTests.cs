using System.Diagnostics;
using Earworm.Testing;

namespace Earworm.Subsonic.Tests;

/// <summary>A fact that needs Debian's node (and ffmpeg): skipped with one line when node is missing.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute() => Skip = ClientTests.Node is null ? "node is missing, so the OpenSubsonic client test skips: apt-get install -y nodejs npm" : new FfmpegFactAttribute().Skip;
}

/// <summary>The served library of the client test alone, so its snapshots never see what other tests did.</summary>
[CollectionDefinition(Name)]
public sealed class ClientCollection : ICollectionFixture<ServedLibrary>
{
    public const string Name = "served demo library for the npm client";
}

/// <summary>
/// The real client: the npm package <c>subsonic-api</c> 3.3.1 (installed by test.sh into .earworm/node) under node drives
/// every endpoint with token and API-key authentication, and its JSON and XML answers are compared with the snapshots
/// in <c>snapshots/</c> (client/client-test.mjs; EARWORM_UPDATE_SNAPSHOTS=1 rewrites them).
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class ClientTests(ServedLibrary served)
{
    public const string ClientVersion = "3.3.1";

    internal static string? Node { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(d => Path.Combine(d, "node")).FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Earworm.slnx"))) return dir.FullName;
        throw new InvalidOperationException("the repository root (Earworm.slnx) is not above the test's folder");
    }

    [NodeFact]
    public async Task TheNpmClientDrivesEveryEndpointAndMatchesTheSnapshots()
    {
        var root = RepositoryRoot();
        var module = Path.Combine(root, ".earworm", "node", "node_modules", "subsonic-api", "lib", "index.js");
        Assert.True(File.Exists(module), $"subsonic-api {ClientVersion} is not installed at {module}: ./test.sh installs it from the npm registry");
        var here = Path.Combine(root, "tests", "Earworm.Subsonic.Tests");
        var psi = new ProcessStartInfo(Node!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(here, "client", "client-test.mjs"));
        psi.Environment["EARWORM_URL"] = served.BaseUrl.ToString();
        psi.Environment["EARWORM_USER"] = ServedLibrary.Alice;
        psi.Environment["EARWORM_PASSWORD"] = ServedLibrary.AlicePassword;
        psi.Environment["EARWORM_API_KEY"] = served.AliceKey;
        psi.Environment["EARWORM_SNAPSHOTS"] = Path.Combine(here, "snapshots");
        psi.Environment["EARWORM_CLIENT_MODULE"] = module;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, $"the client test failed:\n{await stdout}\n{await stderr}");
        Assert.Contains("snapshots match", await stdout, StringComparison.Ordinal);
    }
}
