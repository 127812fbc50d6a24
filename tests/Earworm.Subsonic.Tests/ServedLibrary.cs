using System.Diagnostics;
using Earworm.App;
using Earworm.App.Accounts;
using Earworm.App.Library;
using Earworm.Audio.Media;
using Earworm.Catalog.Scanning;
using Earworm.Testing;
using Earworm.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Earworm.Subsonic.Tests;

/// <summary>
/// `earworm serve` on loopback (a free port) over the demo library (synthesised: 7 styles × 3 tracks in mp3, ogg, flac
/// and wav) scanned into a catalog of its own, with a cover.jpg in one album's folder, and two accounts: alice
/// (password, and an API key) and bob (password). ASCII passwords: the npm client hashes its token over UTF-16 code
/// units, not UTF-8 as the API says (Earworm accepts that form for Latin-1 passwords: SubsonicAuth.TokenMatches).
/// Shared by the tests of a collection.
/// </summary>
public sealed class ServedLibrary : IAsyncLifetime
{
    public const string Alice = "alice", AlicePassword = "open sesame 42", Bob = "bob", BobPassword = "hunter2";

    private readonly TempDirectory _dir = new("earworm-subsonic-test-");
    private WebApplication? _app;

    public string LibraryFolder => Path.Combine(_dir.Path, "library");
    public string CatalogPath => Path.Combine(_dir.Path, "catalog.db");
    public string AliceKey { get; private set; } = "";
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");
    public HttpClient Http { get; } = new();

    /// <summary>Why the server could not start here (no ffmpeg); null when it runs.</summary>
    public string? Unavailable { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            FfmpegTools.Locate();
        }
        catch (PrerequisiteMissingException e) when (Environment.GetEnvironmentVariable("CI") is null)
        {
            Unavailable = e.Message;
            return;
        }
        await LibraryFiles.WriteDemoLibraryAsync(LibraryFolder, CancellationToken.None);
        await MakeCoverAsync(Path.Combine(LibraryFolder, "ambient", "cover.jpg"));
        var location = new CatalogLocation(CatalogPath);
        await new App.Scans.ScanService(location).RunAsync([LibraryFolder], new ScanOptions { Workers = 2 }, null, CancellationToken.None);
        var accounts = new AccountService(new LibraryCache(location));
        accounts.Add(Alice, AlicePassword);
        accounts.Add(Bob, BobPassword);
        AliceKey = accounts.NewKey(Alice, "tests").Key;
        _app = EarwormServer.Build([], new WebOptions { CatalogPath = CatalogPath, Host = "127.0.0.1", Port = 0, EmbedWithAudioModel = false },
            logging => logging.ClearProviders());
        await _app.StartAsync();
        BaseUrl = new Uri(_app.Urls.First().TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Http.Dispose();
        _dir.Dispose();
    }

    /// <summary>A URL of the API with alice's API key (unless <paramref name="auth"/> says otherwise).</summary>
    public Uri Rest(string methodAndQuery, string? auth = null)
    {
        var sep = methodAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return new Uri(BaseUrl, $"rest/{methodAndQuery}{sep}{auth ?? "apiKey=" + Uri.EscapeDataString(AliceKey)}&c=tests&v=1.16.1");
    }

    private static async Task MakeCoverAsync(string path)
    {
        var psi = new ProcessStartInfo(FfmpegTools.Locate().FfmpegPath) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=orange:s=400x300", "-frames:v", "1", path })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make {path}: {await p.StandardError.ReadToEndAsync()}");
    }
}

[CollectionDefinition(Name)]
public sealed class ServedCollection : ICollectionFixture<ServedLibrary>
{
    public const string Name = "served demo library";
}
