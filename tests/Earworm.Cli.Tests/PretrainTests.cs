using System.Globalization;
using System.Text.Json;
using Earworm.Audio.Synthesis;
using Earworm.Content.Pretraining;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>earworm pretrain</c> end to end on a tiny synthesised corpus of four "packages" (two folds: each trains on two packages, at least the four tracks contrastive training needs).</summary>
public sealed class PretrainTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [FfmpegFact]
    public async Task Pretrains_from_a_corpus_folder_to_weights_report_and_a_card_with_the_measured_figures()
    {
        var corpus = Directory.CreateDirectory(_dir.File("corpus")).FullName;
        var lines = new List<string> { "path,soundtrack,package,composer,title,duration_s,licence" };
        var styles = new[] { SynthStyle.AmbientPad, SynthStyle.DrumAndBass, SynthStyle.Chiptune, SynthStyle.PianoBallad };
        for (int p = 0; p < styles.Length; p++)
        {
            Directory.CreateDirectory(Path.Combine(corpus, $"game{p}"));
            for (int k = 0; k < 2; k++)
            {
                await SynthLibrary.WriteTrackAsync(Path.Combine(corpus, $"game{p}", $"t{k}.flac"), SynthLibrary.Spec(styles[p], k));
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"game{p}/t{k}.flac,game{p},game{p}-music,Composer {p},,6.00,GPL-2+"));
            }
        }
        File.WriteAllLines(Path.Combine(corpus, CorpusManifest.FileName), lines);
        var recipe = _dir.File("tiny.recipe.json");
        var written = await CliRunner.RunAsync("pretrain", "--write-recipe", recipe, "--seed", "3");
        Assert.True(written.ExitCode == 0, written.Err);
        var tiny = JsonSerializer.Deserialize<PretrainingRecipe>(File.ReadAllText(recipe), PretrainingRecipe.Json)!;
        Assert.Equal(3, tiny.Training.Seed);
        tiny = tiny with
        {
            Training = tiny.Training with
            {
                Network = tiny.Training.Network with { Frames = 48, Channels = [8, 8, 8], Pools = [2, 2], Dense = [16], OutputDims = 8 },
                MaxEpochs = 2, BatchSize = 4, CropsPerTrack = 1,
            },
        };
        File.WriteAllText(recipe, JsonSerializer.Serialize(tiny, PretrainingRecipe.Json));

        var output = _dir.File("encoder");
        var r = await CliRunner.RunAsync("pretrain", "--corpus", corpus, "--out", output, "--recipe", recipe, "--folds", "2", "--threads", "1", "--workers", "1");
        Assert.True(r.ExitCode == 0, r.Err);
        foreach (var f in new[] { "model.dat", "model.json", "report.json", ModelCard.FileName }) Assert.True(File.Exists(Path.Combine(output, f)), f);
        Assert.True(File.Exists(Path.Combine(corpus, ".earworm", "catalog.db"))); // its own catalog, hidden from the scan
        var report = JsonSerializer.Deserialize<PretrainingReport>(File.ReadAllText(Path.Combine(output, "report.json")), PretrainingRecipe.Json)!;
        Assert.Equal(8, report.Tracks);
        Assert.Equal(2, report.Folds.Count);
        Assert.Equal(8, report.Final!.Tracks);
        var card = File.ReadAllText(Path.Combine(output, ModelCard.FileName));
        Assert.Equal(ModelCard.Render(report), card);
        Assert.Contains(report.Folds[0].AudioSoundtrack.ToString("0.000", CultureInfo.InvariantCulture), card);
        Assert.Contains("| game1-music | 2 | 0.00 | game1 | 1 | GPL-2+ |", card);
        Assert.Contains("fold 1 (", r.Out);

        var bad = await CliRunner.RunAsync("pretrain", "--corpus", _dir.File("nowhere"), "--out", output);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("no corpus folder", bad.Err);
    }
}
