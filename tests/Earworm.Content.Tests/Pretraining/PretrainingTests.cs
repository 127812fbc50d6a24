using System.Globalization;
using System.Text.Json;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Excerpts;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Pretraining;
using Earworm.Content.Training;
using Earworm.Learning.Projection;
using Earworm.Testing;

namespace Earworm.Content.Tests.Pretraining;

public sealed class PretrainingTests
{
    public PretrainingTests() => Torch.Load();

    [Fact]
    public void Folds_hold_every_package_once_and_balance_the_tracks()
    {
        var tracks = new[] { ("a", 10), ("b", 7), ("c", 6), ("d", 3), ("e", 2), ("f", 1) }
            .SelectMany(p => Enumerable.Range(0, p.Item2).Select(i => new CorpusTrack($"/{p.Item1}/{i}", p.Item1, p.Item1, "", 60, ""))).ToList();
        var folds = PackageFolds.Assign(tracks, 3);
        Assert.Equal(6, folds.Count);
        // largest first, each to the lightest fold: a→0 (10), b→1 (7), c→2 (6), d→2 (9), e→1 (9), f→2? no: loads 10, 9, 9 → f→1
        Assert.Equal(new Dictionary<string, int> { ["a"] = 0, ["b"] = 1, ["c"] = 2, ["d"] = 2, ["e"] = 1, ["f"] = 1 }, folds);
        Assert.Equal(folds, PackageFolds.Assign(Enumerable.Reverse(tracks), 3));
        Assert.Throws<UsageException>(() => PackageFolds.Assign(tracks.Take(10), 2));
    }

    [Fact]
    public void The_manifest_reads_quoted_fields_and_resolves_paths_against_its_folder()
    {
        var rows = CorpusManifest.Parse(
        [
            "path,soundtrack,package,composer,title,duration_s,licence",
            "0ad/a.ogg,0ad,0ad-data,\"Lahav, Omri\",\"Say \"\"hi\"\"\",61.5,CC-BY-SA-3.0",
            "",
            "x/b.ogg,x,x-music,,,,",
        ], "/corpus");
        Assert.Equal(2, rows.Count);
        Assert.Equal(new CorpusTrack("/corpus/0ad/a.ogg", "0ad", "0ad-data", "Lahav, Omri", 61.5, "CC-BY-SA-3.0"), rows[0]);
        Assert.Equal(0, rows[1].DurationSeconds);
        var e = Assert.Throws<UsageException>(() => CorpusManifest.Parse(["path,soundtrack,composer", "a,b,c"], "/c"));
        Assert.Contains("package", e.Message);
        Assert.Throws<UsageException>(() => CorpusManifest.Parse(["path,soundtrack,package", "a,b"], "/c"));
    }

    /// <summary>A corpus of "soundtracks" (16-band log-mel): each package has its own spectral shape, each track a
    /// variation of it, so a network can learn what a soundtrack sounds like.</summary>
    internal static PretrainingCorpus SyntheticCorpus(int packages = 4, int tracksPerPackage = 6, int seed = 11)
    {
        var rng = new Random(seed);
        var bank = new WindowBank(16);
        var rows = new List<CorpusTrack>();
        var descriptors = new List<TrackDescriptors?>();
        for (int p = 0; p < packages; p++)
        {
            var shape = Enumerable.Range(0, 16).Select(_ => rng.NextDouble() * 30 - 60).ToArray();
            double beat = 4 + p * 3;
            for (int t = 0; t < tracksPerPackage; t++)
            {
                var windows = Enumerable.Range(0, 2).Select(w =>
                {
                    var data = new float[16 * 60];
                    for (int m = 0; m < 16; m++)
                        for (int f = 0; f < 60; f++)
                            data[m * 60 + f] = (float)(shape[m] + 8 * Math.Sin(2 * Math.PI * f / beat + m) + 6 * rng.NextDouble());
                    return new Excerpt(w * 100_000L, 60, data);
                }).ToList();
                bank.Add(rows.Count + 1, new ExcerptSet(22050, 512, 16, windows));
                rows.Add(new CorpusTrack($"/c/p{p}/t{t}.ogg", $"soundtrack-{p}", $"package-{p}", t % 2 == 0 ? $"composer-{p}" : "", 90, "GPL-2+"));
                descriptors.Add(new TrackDescriptors
                {
                    DurationSeconds = 90, SampleRateHz = 22050, IsSilent = false, TempoBpm = 90 + 10 * rng.NextDouble(),
                    Energy = rng.NextDouble(), SpectralCentroidHz = 1000 + 500 * rng.NextDouble(), IntegratedLoudnessLufs = -20 + rng.NextDouble(),
                    MfccMeans = Enumerable.Range(0, 20).Select(_ => rng.NextDouble()).ToArray(),
                    MfccStandardDeviations = Enumerable.Repeat(1.0, 20).ToArray(),
                });
            }
        }
        return new PretrainingCorpus(bank, rows, descriptors);
    }

    internal static PretrainingRecipe TinyRecipe(int epochs = 3) => new()
    {
        Training = PretrainingRecipe.DefaultTraining with
        {
            Network = Torch.Tiny() with { BatchNorm = true }, MaxEpochs = epochs, BatchSize = 8, CropsPerTrack = 1,
            Augmentation = new AugmentationOptions { PitchShiftBands = 1, TimeStretch = 0.1, MixProbability = 0.5, FrequencyMasks = 1, FrequencyMaskBands = 2 },
        },
    };

    [Fact]
    public void The_model_card_shows_the_figures_the_folds_measured()
    {
        using var dir = new TempDirectory();
        var corpus = SyntheticCorpus();
        var recipe = TinyRecipe();
        var report = EncoderPretraining.Run(corpus, recipe, new PretrainingPlan(Folds: 2), dir.Path);

        Assert.Equal(2, report.Folds.Count);
        Assert.NotNull(report.Final);
        Assert.Equal(24, report.Tracks);
        Assert.Equal(24 * 90 / 3600.0, report.Hours, 9);
        var folds = PackageFolds.Assign(corpus.Tracks, 2);
        foreach (var f in report.Folds)
        {
            // the figures are those of the fold's own encoder on its held-out packages, measured again here
            Assert.Equal(folds.Where(kv => kv.Value == f.Fold - 1).Select(kv => kv.Key).Order(), f.HeldOutPackages);
            var heldOut = Enumerable.Range(0, corpus.Bank.Count).Where(i => folds[corpus.Tracks[i].Package] == f.Fold - 1).ToArray();
            using var embedder = AudioEmbedder.Load(Path.Combine(report.WorkFolder, $"fold-{f.Fold}-of-2", "model"));
            Assert.Equal(Readout.Whitened, embedder.Info.Readout);
            var vectors = EncoderTraining.Embed(embedder, corpus.Bank.Subset(heldOut).EvenWindows(recipe.EvaluationWindows));
            var again = EncoderPretraining.Measure(heldOut.Select(i => corpus.Tracks[i]).ToList(), vectors,
                heldOut.Select(i => corpus.Descriptors[i]).ToList(), 10);
            Assert.Equal(again.AudioSoundtrack, f.AudioSoundtrack, 6);
            Assert.Equal(again.DescriptorsComposer, f.DescriptorsComposer, 6);
            Assert.Equal(NeighbourLabels.Expected(heldOut.Select(i => (string?)corpus.Tracks[i].Soundtrack).ToList()), f.RandomSoundtrack, 9);
            Assert.Equal(12 * 2, f.TrainTracks + f.Tracks);
        }

        var card = ModelCard.Render(report);
        foreach (var f in report.Folds)
        {
            var row = card.Split('\n').Single(l => l.StartsWith($"| {f.Fold} | ", StringComparison.Ordinal));
            var cells = row.Split('|', StringSplitOptions.TrimEntries).Select(c => c.Trim('*')).ToArray();
            Assert.Equal(f.AudioSoundtrack.ToString("0.000", CultureInfo.InvariantCulture), cells[4]);
            Assert.Equal(f.DescriptorsSoundtrack.ToString("0.000", CultureInfo.InvariantCulture), cells[5]);
            Assert.Equal(f.AudioComposer.ToString("0.000", CultureInfo.InvariantCulture), cells[7]);
        }
        Assert.Contains(report.Mean(f => f.AudioSoundtrack).ToString("0.000", CultureInfo.InvariantCulture), card);
        Assert.Contains("| package-0 | 6 | 0.15 |", card);
        Assert.Contains(JsonSerializer.Serialize(recipe, PretrainingRecipe.Json), card);

        // a second run reads the finished folds and the final encoder back instead of training again
        var again2 = EncoderPretraining.Run(corpus, recipe, new PretrainingPlan(Folds: 2), dir.Path);
        Assert.Equal(report.Folds.Select(f => f.AudioSoundtrack), again2.Folds.Select(f => f.AudioSoundtrack));
        Assert.Equal(report.Final!.Seconds, again2.Final!.Seconds);
    }
}
