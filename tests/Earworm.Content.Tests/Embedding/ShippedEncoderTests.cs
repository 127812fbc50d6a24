using Earworm.Audio.Excerpts;
using Earworm.Audio.Spectral;
using Earworm.Audio.Synthesis;
using System.Text.Json;
using Earworm.Content.Embedding;
using Earworm.Content.Pretraining;
using Earworm.Content.Training;
using Earworm.Learning.Numerics;
using Earworm.Testing;

namespace Earworm.Content.Tests.Embedding;

/// <summary>The encoder Earworm ships (models/encoder, copied beside every program that references Earworm.Content).</summary>
public sealed class ShippedEncoderTests
{
    private static ExcerptSet Synthesised(SynthStyle style, int seed)
    {
        var spec = TrackSpec.Typical(style, tonic: 3, seed: seed, durationSeconds: 12);
        return ExcerptExtractor.Extract(Synthesizer.Render(spec, 22050).ToMono(), new LogMelComputer(LogMelOptions.Default), ExcerptOptions.Default);
    }

    [Fact]
    public void The_shipped_encoder_loads_and_embeds_a_synthesised_track_deterministically()
    {
        Torch.Load();
        Assert.True(ShippedEncoder.Available(), $"the shipped encoder is missing from {ShippedEncoder.Folder}");
        var info = AudioModelInfo.Load(ShippedEncoder.Folder);
        Assert.Equal(AudioObjective.Contrastive, info.Objective);
        Assert.StartsWith("pretrained-", ShippedEncoder.Version(), StringComparison.Ordinal);

        var drums = Synthesised(SynthStyle.DrumAndBass, 5);
        var pads = Synthesised(SynthStyle.AmbientPad, 5);
        float[] first, again, other;
        using (var encoder = AudioEmbedder.Load(ShippedEncoder.Folder, threads: 1))
        {
            Assert.Equal(info.Dims, encoder.Dims);
            first = encoder.Embed(drums);
            other = encoder.Embed(pads);
        }
        using (var reloaded = AudioEmbedder.Load(ShippedEncoder.Folder, threads: 1))
            again = reloaded.Embed(drums);

        Assert.Equal(info.Dims, first.Length);
        Assert.All(first, x => Assert.True(float.IsFinite(x)));
        Assert.Equal(1.0, VectorNorm.Norm(first), 4);
        for (int d = 0; d < first.Length; d++) Assert.Equal(first[d], again[d], 5);
        // the encoder tells two styles apart: not one vector for everything
        double cosine = first.Zip(other, (a, b) => (double)a * b).Sum();
        Assert.True(cosine < 0.95, $"drum and bass vs ambient pads: cosine {cosine:0.000}");
    }

    [Fact]
    public void The_built_in_recipe_is_the_one_the_shipped_encoder_was_trained_with()
    {
        // `earworm pretrain` with no --recipe reproduces the shipped model: its recipe.json and the built-in recipe agree
        var file = Path.Combine(TestData.RepoRoot, "models", "encoder", "recipe.json");
        Assert.True(File.Exists(file), $"no recipe beside the shipped encoder: {file}");
        var shipped = JsonSerializer.Deserialize<PretrainingRecipe>(File.ReadAllText(file), PretrainingRecipe.Json)!;
        Assert.Equal(JsonSerializer.Serialize(shipped, PretrainingRecipe.Json), JsonSerializer.Serialize(new PretrainingRecipe(), PretrainingRecipe.Json));
    }
}
