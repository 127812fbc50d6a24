using System.Text.Json;
using Earworm.Audio.Excerpts;
using Earworm.Content.Embedding;
using Earworm.Content.Network;
using Earworm.Content.Training;
using Earworm.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Tests.Embedding;

/// <summary>The layer an audio model is read at: each gives the vectors of that layer, unit-normalised per crop.</summary>
public sealed class AudioEmbedderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public AudioEmbedderTests() => Torch.Load();

    public void Dispose() => _dir.Dispose();

    private string SavedModel(AudioNetworkOptions options, EmbeddingLayer layer, AudioObjective objective = AudioObjective.Contrastive)
    {
        var folder = Directory.CreateDirectory(_dir.File($"model-{layer}")).FullName;
        torch.manual_seed(11);
        using var net = new AudioNetwork(options);
        net.save(Path.Combine(folder, AudioModelInfo.WeightsFile));
        new AudioModelInfo { Network = options, Objective = objective, Layer = layer }.Save(folder);
        return folder;
    }

    private static ExcerptSet OneCrop(AudioNetworkOptions o, int seed)
    {
        var rng = new Random(seed);
        var values = new float[o.MelBands * o.Frames];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 60 - 80);
        return new ExcerptSet(22050, 512, o.MelBands, [new Excerpt(0, o.Frames, values)]);
    }

    [Fact]
    public void Each_layer_gives_that_layers_unit_vector()
    {
        var o = Torch.Tiny(outputDims: 8);
        var excerpts = OneCrop(o, 5);
        using var scope = NewDisposeScope();
        using var reference = new AudioNetwork(o);
        reference.load(Path.Combine(SavedModel(o, EmbeddingLayer.Output), AudioModelInfo.WeightsFile));
        reference.eval();
        var x = tensor(excerpts.Excerpts[0].LogMelDb, [1, o.MelBands, o.Frames]);
        var expected = new Dictionary<EmbeddingLayer, float[]>
        {
            [EmbeddingLayer.Output] = reference.forward(x).data<float>().ToArray(),
            [EmbeddingLayer.Hidden] = nn.functional.normalize(reference.Activations(x).LastDense, p: 2, dim: 1).data<float>().ToArray(),
            [EmbeddingLayer.Pooled] = nn.functional.normalize(AudioNetwork.Pool(reference.Features(x)), p: 2, dim: 1).data<float>().ToArray(),
        };
        foreach (var (layer, want) in expected)
        {
            using var embedder = AudioEmbedder.Load(SavedModel(o, layer), threads: 1);
            Assert.Equal(layer switch { EmbeddingLayer.Output => 8, EmbeddingLayer.Hidden => 32, _ => 3 * 16 }, embedder.Dims);
            var got = embedder.Embed(excerpts);
            Assert.Equal(want.Length, got.Length);
            for (int d = 0; d < want.Length; d++) Assert.Equal(want[d], got[d], 1e-3f); // float32: batch and tiling change the summation order
            Assert.Equal(1.0, Math.Sqrt(got.Sum(v => (double)v * v)), 1e-5);
        }
    }

    [Fact]
    public void Contrastive_models_are_read_before_the_projection_and_regression_models_at_their_output()
    {
        var o = Torch.Tiny();
        Assert.Equal(EmbeddingLayer.Pooled, AudioModelInfo.DefaultLayer(AudioObjective.Contrastive, o));
        Assert.Equal(EmbeddingLayer.Output, AudioModelInfo.DefaultLayer(AudioObjective.Cf, o));
        Assert.Equal(EmbeddingLayer.Output, AudioModelInfo.DefaultLayer(AudioObjective.Track2Vec, o));
        Assert.Equal(3 * 16, new AudioModelInfo { Network = o, Objective = AudioObjective.Contrastive, Layer = EmbeddingLayer.Pooled }.Dims);
    }

    [Fact]
    public void A_model_saved_before_layers_existed_is_read_at_its_output()
    {
        var folder = SavedModel(Torch.Tiny(), EmbeddingLayer.Hidden);
        var path = Path.Combine(folder, AudioModelInfo.InfoFile);
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(path))!;
        Assert.True(json.Remove("Layer"));
        File.WriteAllText(path, JsonSerializer.Serialize(json));
        Assert.Equal(EmbeddingLayer.Output, AudioModelInfo.Load(folder).Layer);
    }
}
