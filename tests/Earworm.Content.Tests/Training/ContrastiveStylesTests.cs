using Xunit.Abstractions;
using Earworm.Audio.Excerpts;
using Earworm.Audio.Spectral;
using Earworm.Audio.Synthesis;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Network;
using Earworm.Content.Training;
using Earworm.Learning.Numerics;
using Earworm.Testing;

namespace Earworm.Content.Tests.Training;

public sealed class ContrastiveStylesTests(ITestOutputHelper output)
{

    [Theory]
    [InlineData(PairLoss.NtXent)]
    [InlineData(PairLoss.VicReg)]
    public void Contrastive_training_on_synthesised_tracks_places_tracks_of_a_style_together(PairLoss loss)
    {
        Torch.Load();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SynthStyle[] styles = [SynthStyle.AmbientPad, SynthStyle.DrumAndBass, SynthStyle.Chiptune];
        var computer = new LogMelComputer(LogMelOptions.Default);
        var bank = new WindowBank(128);
        var sets = new List<(SynthStyle Style, ExcerptSet Set)>();
        int id = 1;
        foreach (var style in styles)
            for (int k = 0; k < 4; k++)
            {
                var spec = TrackSpec.Typical(style, tonic: (k * 5) % 12, seed: 10 + k, durationSeconds: 8);
                var mono = Synthesizer.Render(spec, 22050).ToMono();
                var set = ExcerptExtractor.Extract(mono, computer, ExcerptOptions.Default);
                bank.Add(id++, set);
                sets.Add((style, set));
            }
        output.WriteLine($"synthesis {clock.Elapsed.TotalSeconds:0.0} s");
        var network = new AudioNetworkOptions
        {
            Frames = 86, Channels = [32, 32, 32], Pools = [4, 2], Dense = [64], Dropout = 0.1, OutputDims = 16,
        };
        var options = new AudioTrainingOptions
        {
            Network = network, BatchSize = 12, MaxEpochs = 10, CropsPerTrack = 3, ValidationFraction = 0, EarlyStoppingPatience = 100,
            LearningRatePatience = 100, Seed = 3, PairLoss = loss,
        };
        var result = new AudioTrainer(options).Train(bank, null, null);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss,
            $"{loss} {result.History[0].TrainLoss:0.000} → {result.History[^1].TrainLoss:0.000}");

        output.WriteLine($"training {clock.Elapsed.TotalSeconds:0.0} s");
        using var dir = new TempDirectory();
        result.Network.save(dir.File(AudioModelInfo.WeightsFile));
        new AudioModelInfo { Network = result.Network.Options, Objective = AudioObjective.Contrastive }.Save(dir.Path);
        using var embedder = AudioEmbedder.Load(dir.Path);
        var vectors = sets.Select(s => embedder.Embed(s.Set)).ToList();
        Assert.All(vectors, v => Assert.Equal(1f, Simd.Norm(v), 1e-4f));

        // leave-one-out nearest neighbour: same style? chance is 3/11 ≈ 0.27
        int hits = 0;
        for (int i = 0; i < vectors.Count; i++)
        {
            int best = Enumerable.Range(0, vectors.Count).Where(j => j != i).MaxBy(j => Simd.Dot(vectors[i], vectors[j]));
            if (sets[best].Style == sets[i].Style) hits++;
        }
        output.WriteLine($"{hits}/12 in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(hits >= 9, $"{hits} of 12 nearest neighbours share the style");
    }
}
