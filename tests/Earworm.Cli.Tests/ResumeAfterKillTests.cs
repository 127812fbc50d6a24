using System.Diagnostics;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary>A scan stopped mid-way, by kill -9 or by SIGTERM, loses nothing already committed; the next scan finishes the job.</summary>
public sealed class ResumeAfterKillTests : IDisposable
{
    private const int Tracks = 12;
    private readonly TempDirectory _dir = new();
    private readonly string _library;
    private readonly string _db;

    public ResumeAfterKillTests()
    {
        _library = Directory.CreateDirectory(_dir.File("lib")).FullName;
        _db = _dir.File("c.db");
    }

    public void Dispose() => _dir.Dispose();

    private async Task WriteLibraryAsync()
    {
        var encoder = new FfmpegEncoder(FfmpegTools.Locate());
        for (int i = 0; i < Tracks; i++)
        {
            var x = new float[44100 * 20];
            for (int t = 0; t < x.Length; t++) x[t] = 0.3f * (float)Math.Sin(2 * Math.PI * (200 + 40 * i) * t / 44100);
            await encoder.EncodeAsync(x, 44100, 1, Path.Combine(_library, $"track {i:00}.flac"), new Dictionary<string, string>(), CancellationToken.None);
        }
    }

    // Starts a one-worker scan in its own process and returns it once at least one track is committed.
    private async Task<Process> StartScanAndWaitForFirstTrackAsync()
    {
        var p = CliRunner.Start(_dir.Path, "scan", "--workers", "1", "--db", _db, _library);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !p.HasExited)
        {
            await Task.Delay(50);
            if (!File.Exists(_db)) continue;
            try
            {
                using var c = CatalogStore.Open(_db);
                if (c.Counts().Analysed >= 1) break;
            }
            catch (CatalogException)
            {
                // the scan is creating it
            }
        }
        Assert.False(p.HasExited, "the scan finished before it could be stopped: make the tracks longer");
        return p;
    }

    private async Task<int> AssertPartlyDoneThenResumeAsync(string? expectedOutcome)
    {
        int before;
        using (var c = CatalogStore.Open(_db))
        {
            var counts = c.Counts();
            before = counts.Analysed;
            Assert.InRange(before, 1, Tracks - 1);
            Assert.Equal(Tracks, counts.Analysed + counts.Pending);
            Assert.Equal(expectedOutcome, c.LastScan()!.Outcome);
        }
        var again = await CliRunner.RunAsync("scan", "--db", _db, _library);
        Assert.Equal(0, again.ExitCode);
        using (var c = CatalogStore.Open(_db))
        {
            var counts = c.Counts();
            Assert.Equal((Tracks, 0, 0, 0), (counts.Analysed, counts.Failed, counts.Missing, counts.Pending));
        }
        Assert.Contains($"{Tracks - before} analysed", again.Out, StringComparison.Ordinal);
        return before;
    }

    [FfmpegFact]
    public async Task AScanKilledWithSigkillResumes()
    {
        await WriteLibraryAsync();
        using (var p = await StartScanAndWaitForFirstTrackAsync())
        {
            p.Kill(entireProcessTree: false); // SIGKILL: no chance to clean up
            await p.WaitForExitAsync();
        }
        await AssertPartlyDoneThenResumeAsync(expectedOutcome: null); // the killed scan never finished
    }

    [FfmpegFact]
    public async Task SigtermStopsGentlyWithExitCode130()
    {
        await WriteLibraryAsync();
        using (var p = await StartScanAndWaitForFirstTrackAsync())
        {
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            var stdout = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.Equal(130, p.ExitCode);
            Assert.Contains("interrupted", stdout, StringComparison.Ordinal);
            Assert.Contains("Run the same command again to resume", stdout, StringComparison.Ordinal);
        }
        await AssertPartlyDoneThenResumeAsync(expectedOutcome: "interrupted");
    }
}
