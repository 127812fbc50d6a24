using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary>kill -9 in the middle of a scan loses nothing already committed; the next scan finishes the job.</summary>
public class ResumeAfterKillTests
{
    [FfmpegFact]
    public async Task AScanKilledWithSigkillResumes()
    {
        using var dir = new TempDirectory();
        var lib = Directory.CreateDirectory(dir.File("lib")).FullName;
        var encoder = new FfmpegEncoder(FfmpegTools.Locate());
        const int tracks = 8;
        for (int i = 0; i < tracks; i++)
        {
            var x = new float[44100 * 20];
            for (int t = 0; t < x.Length; t++) x[t] = 0.3f * (float)Math.Sin(2 * Math.PI * (200 + 40 * i) * t / 44100);
            await encoder.EncodeAsync(x, 44100, 1, Path.Combine(lib, $"track {i:00}.flac"), new Dictionary<string, string>(), CancellationToken.None);
        }
        var db = dir.File("c.db");

        using (var p = CliRunner.Start(dir.Path, "scan", "--workers", "1", "--db", db, lib))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            int analysed = 0;
            while (DateTime.UtcNow < deadline && !p.HasExited)
            {
                await Task.Delay(50);
                if (!File.Exists(db)) continue;
                try
                {
                    using var c = CatalogStore.Open(db);
                    analysed = c.Counts().Analysed;
                }
                catch (CatalogException)
                {
                    continue; // the scan is creating it
                }
                if (analysed >= 1) break;
            }
            Assert.False(p.HasExited, "the scan finished before it could be killed: make the tracks longer");
            p.Kill(entireProcessTree: false); // SIGKILL: no chance to clean up
            await p.WaitForExitAsync();
        }

        int before;
        using (var c = CatalogStore.Open(db))
        {
            var counts = c.Counts();
            before = counts.Analysed;
            Assert.InRange(before, 1, tracks - 1);
            Assert.Equal(tracks, counts.Analysed + counts.Pending);
            Assert.Null(c.LastScan()!.Outcome); // the killed scan never finished
        }

        var again = await CliRunner.RunAsync("scan", "--db", db, lib);
        Assert.Equal(0, again.ExitCode);
        using (var c = CatalogStore.Open(db))
            Assert.Equal(new CatalogCounts(tracks, 0, 0, 0, c.Counts().AnalysedAudioSeconds), c.Counts());
        Assert.Contains($"{tracks - before} analysed", again.Out, StringComparison.Ordinal);
    }
}
