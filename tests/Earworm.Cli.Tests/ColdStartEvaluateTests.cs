using System.Globalization;
using System.Text;
using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Evaluation.ColdStart;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>evaluate --protocol cold-start</c> with the content models, on a small synthesised library whose plays
/// come from the simulated listeners.</summary>
public sealed class ColdStartEvaluateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [FfmpegFact]
    public async Task Ranks_held_out_tracks_with_audio_descriptors_random_and_the_true_factors()
    {
        var sim = SimulatedListeners.Generate(new SimulatedListenerOptions { TracksPerStyle = 3, Users = 60, TrackSeconds = 4, Seed = 2 });
        var library = Directory.CreateDirectory(_dir.File("lib")).FullName;
        var encoder = new FfmpegEncoder(FfmpegTools.Locate());
        var paths = new string[sim.Tracks.Count];
        for (int i = 0; i < sim.Tracks.Count; i++)
        {
            var track = Synthesizer.Render(sim.Tracks[i], 22050);
            paths[i] = Path.Combine(library, string.Create(CultureInfo.InvariantCulture, $"t{i:00}.flac"));
            await encoder.EncodeAsync(track.Samples, track.SampleRate, track.Channels, paths[i], new Dictionary<string, string>(), CancellationToken.None);
        }
        var csv = new StringBuilder("user,item,count\n");
        foreach (var x in sim.Dataset.Interactions) csv.Append(CultureInfo.InvariantCulture, $"u{x.User},{paths[x.Item]},{x.Count}\n");
        File.WriteAllText(_dir.File("plays.csv"), csv.ToString());
        var db = _dir.File("c.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--db", db, library)).ExitCode);
        var import = await CliRunner.RunAsync("--db", db, "import", "csv", _dir.File("plays.csv"));
        Assert.True(import.ExitCode == 0, import.Err);

        var r = await CliRunner.RunAsync("--db", db, "evaluate", "--protocol", "cold-start", "--models", "audio,descriptors,audio+descriptors,random,true-factors",
            "--seeds", "1", "--factors", "8", "--iterations", "8", "--audio-minutes", "0.05", "--report", _dir.File("report"));

        Assert.True(r.ExitCode == 0, r.Err);
        foreach (var model in new[] { "| audio |", "| descriptors |", "| audio+descriptors |", "| random |", "| true-factors |" }) Assert.Contains(model, r.Out, StringComparison.Ordinal);
        Assert.Contains("21 of 21 listened items are library tracks", r.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(_dir.File("report/report.md")));

        var warm = await CliRunner.RunAsync("--db", db, "evaluate", "--protocol", "warm", "--models", "descriptors");
        Assert.Equal(2, warm.ExitCode);
        Assert.Contains("cold-start models", warm.Err, StringComparison.Ordinal);
    }
}
