using System.Text.Json;
using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

public class DescribeTests
{
    private static async Task<string> WriteHouseAsync(string dir)
    {
        var track = Synthesizer.Render(TrackSpec.Typical(SynthStyle.House, tonic: 9, durationSeconds: 12));
        var path = Path.Combine(dir, "House Ü.ogg");
        await new FfmpegEncoder(FfmpegTools.Locate()).EncodeAsync(track.Samples, track.SampleRate, 2, path,
            new Dictionary<string, string> { ["title"] = "House Ü", ["artist"] = "Nightbus" }, CancellationToken.None);
        return path;
    }

    [FfmpegFact]
    public async Task AnyFileIsAnalysedOnTheSpot()
    {
        using var dir = new TempDirectory();
        var path = await WriteHouseAsync(dir.Path);
        var r = await CliRunner.RunAsync("describe", "--json", "--db", dir.File("none.db"), path);
        Assert.True(r.ExitCode == 0, r.Err);
        using var j = JsonDocument.Parse(r.Out);
        Assert.Equal("analysed now", j.RootElement.GetProperty("source").GetString());
        var d = j.RootElement.GetProperty("descriptors");
        Assert.Equal(124, d.GetProperty("tempoBpm").GetDouble(), 2.5);
        Assert.Equal("A minor", d.GetProperty("keyName").GetString());
        Assert.Equal("8A", d.GetProperty("camelotCode").GetString());
    }

    [FfmpegFact]
    public async Task ACatalogTrackIsDescribedFromTheCatalogByIdOrWords()
    {
        using var dir = new TempDirectory();
        var lib = Directory.CreateDirectory(dir.File("lib")).FullName;
        await WriteHouseAsync(lib);
        var db = dir.File("c.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--db", db, lib)).ExitCode);

        foreach (var query in new[] { "1", "nightbus house", "HOUSE u" })
        {
            var r = await CliRunner.RunAsync("describe", "--json", "--db", db, query);
            Assert.True(r.ExitCode == 0, r.Err);
            using var j = JsonDocument.Parse(r.Out);
            Assert.Equal("catalog", j.RootElement.GetProperty("source").GetString());
            Assert.Equal(1, j.RootElement.GetProperty("trackId").GetInt64());
        }
        var human = await CliRunner.RunAsync("describe", "--db", db, "1");
        Assert.Contains("A minor", human.Out, StringComparison.Ordinal);
        Assert.Contains("LUFS", human.Out, StringComparison.Ordinal);
        // energy is the composite the analyser computes, not a level
        Assert.Contains("loudness, brightness, noisiness, onset rate and spectral flux", human.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("RMS", human.Out, StringComparison.Ordinal);

        var none = await CliRunner.RunAsync("describe", "--db", db, "no such song");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("no track or file matches", none.Err, StringComparison.Ordinal);
    }
}
