using Earworm.Audio.Excerpts;
using Earworm.Content.Data;
using Earworm.Content.Inspection;
using Earworm.Content.Network;
using static TorchSharp.torch;

namespace Earworm.Content.Tests.Inspection;

public sealed class ModelInspectorTests
{
    public ModelInspectorTests() => Torch.Load();

    /// <summary>Two bands, filter length 1, no pooling: conv1's filters read band 0, band 1 and −band 0; dense unit 0
    /// reads the pooled mean of filter 0, unit 1 the pooled max of filter 1.</summary>
    private static AudioNetwork KnownNetwork()
    {
        var net = new AudioNetwork(new AudioNetworkOptions
        {
            MelBands = 2, Frames = 4, KernelSize = 1, Channels = [3], Pools = [], Dense = [2], Dropout = 0, OutputDims = 2,
        });
        using var noGrad = no_grad();
        var p = net.named_parameters().ToDictionary(e => e.name, e => e.parameter);
        p.Single(e => e.Key.EndsWith("conv1.weight", StringComparison.Ordinal)).Value.copy_(tensor(new float[] { 1, 0, 0, 1, -1, 0 }, [3, 2, 1]));
        p.Single(e => e.Key.EndsWith("conv1.bias", StringComparison.Ordinal)).Value.zero_();
        var dense = new float[2 * 9];
        dense[0 * 9 + 0] = 1; // mean of filter 0
        dense[1 * 9 + 4] = 1; // max of filter 1
        p.Single(e => e.Key.EndsWith("dense1.weight", StringComparison.Ordinal)).Value.copy_(tensor(dense, [2, 9]));
        p.Single(e => e.Key.EndsWith("dense1.bias", StringComparison.Ordinal)).Value.zero_();
        net.eval();
        return net;
    }

    private static Excerpt Window(float[] band0, float[] band1) => new(0, band0.Length, [.. band0, .. band1]);

    private static WindowBank Library()
    {
        var bank = new WindowBank(2);
        bank.Add(10, new ExcerptSet(22050, 512, 2, [Window([1, 1, 1, 1], [0, 0, 0, 8])]));
        bank.Add(20, new ExcerptSet(22050, 512, 2, [Window([4, 0, 0, 0], [3, 3, 3, 3])]));
        bank.Add(30, new ExcerptSet(22050, 512, 2, [Window([-2, -2, -2, -2], [1, 1, 1, 1])]));
        // two windows: silence, then band 0 at 6
        bank.Add(40, new ExcerptSet(22050, 512, 2, [Window([0, 0, 0, 0], [0, 0, 0, 0]), Window([6, 6, 6, 6], [0, 0, 0, 0])]));
        return bank;
    }

    [Fact]
    public void Activations_of_a_network_with_known_weights_rank_the_tracks_as_worked_out_by_hand()
    {
        using var net = KnownNetwork();
        var (conv, dense) = ModelInspector.Run(net, Library(), batchSize: 1);
        Assert.Equal("conv1", conv.Layer);
        Assert.Equal(3, conv.Units);
        Assert.Equal("dense1", dense.Layer);
        Assert.Equal(2, dense.Units);

        // filter 0 (band 0, rectified): max 1, 4, 0, 6; mean over time 1, 1, 0, 3 (track 40: 8 steps, 4 of them 6)
        Assert.Equal([(40L, 6f), (20L, 4f), (10L, 1f), (30L, 0f)], conv.Top(0, ActivationStatistic.Max, 4));
        Assert.Equal([(40L, 3f), (10L, 1f), (20L, 1f)], conv.Top(0, ActivationStatistic.Mean, 3)); // tie: lower id first
        // filter 1 (band 1): max 8, 3, 1, 0; mean 2, 3, 1, 0
        Assert.Equal([10L, 20L, 30L, 40L], conv.Top(1, ActivationStatistic.Max, 4).Select(e => e.TrackId));
        Assert.Equal([20L, 10L, 30L, 40L], conv.Top(1, ActivationStatistic.Mean, 4).Select(e => e.TrackId));
        // filter 2 (−band 0): only track 30 is negative in band 0
        Assert.Equal((30L, 2f), conv.Top(2, ActivationStatistic.Max, 1)[0]);

        // dense unit 0 = mean of filter 0 per crop: track 40's crops give 0 and 6 (max 6, mean 3)
        Assert.Equal([(40L, 6f), (10L, 1f), (20L, 1f), (30L, 0f)], dense.Top(0, ActivationStatistic.Max, 4));
        Assert.Equal(3f, dense.Value(3, 0, ActivationStatistic.Mean), 5);
        // dense unit 1 = max of filter 1 per crop
        Assert.Equal([(10L, 8f), (20L, 3f)], dense.Top(1, ActivationStatistic.Max, 2));
    }

    [Fact]
    public void Activations_are_the_forward_pass_s_intermediate_values()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var net = new AudioNetwork(Torch.Tiny());
        net.eval();
        var x = randn(3, 16, 48);
        var (first, last) = net.Activations(x);
        Assert.Equal(new long[] { 3, 16, 45 }, first.shape);
        Assert.Equal(new long[] { 3, 32 }, last.shape);
        Assert.True(first.min().item<float>() >= 0 && last.min().item<float>() >= 0); // after ReLU
        // the output layer applied to the last dense units gives forward's output
        var head = net.named_children().Single(c => c.name == "_head").module;
        var output = head.named_children().Single(c => c.name == "output").module as TorchSharp.Modules.Linear;
        var expected = nn.functional.normalize(output!.forward(last), p: 2, dim: 1);
        Assert.True(allclose(expected, net.forward(x), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void The_most_selective_units_are_those_whose_mean_varies_most_across_tracks()
    {
        // 3 tracks × 3 units: unit 1 varies most, then unit 2, unit 0 not at all
        var layer = new LayerActivations("conv1", 3, [1, 2, 3], new float[9], [5, 0, 1, 5, 10, 2, 5, 20, 0]);
        Assert.Equal([1, 2], layer.MostSelective(2));
        Assert.Equal([0, 1, 2], layer.MostSelective(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.Top(3, ActivationStatistic.Max, 1));
    }

    [Fact]
    public void The_index_links_every_playlist_and_escapes_names()
    {
        var tracks = new[] { new FilterTrack(7, "/m/a.ogg", "A <b>", "Song | One", "OST", 1.5f) };
        var playlists = new[]
        {
            new FilterPlaylist("conv1", 7, ActivationStatistic.Max, FilterPlaylist.FileName("conv1", 7, ActivationStatistic.Max), tracks),
            new FilterPlaylist("dense2", 12, ActivationStatistic.Mean, FilterPlaylist.FileName("dense2", 12, ActivationStatistic.Mean), tracks),
        };
        Assert.Equal("conv1-filter-007-max.m3u8", playlists[0].PlaylistFile);
        Assert.Equal("dense2-unit-012-mean.m3u8", playlists[1].PlaylistFile);
        var md = InspectionIndex.Markdown("Inside", "map.png", "map.json", playlists);
        Assert.Contains("[conv1-filter-007-max.m3u8](conv1-filter-007-max.m3u8)", md);
        Assert.Contains("## dense2", md);
        Assert.Contains("Song \\| One", md);
        Assert.Contains("![t-SNE map](map.png)", md);
        var html = InspectionIndex.Html("Inside", "map.png", "map.json", playlists);
        Assert.Contains("<a href=\"dense2-unit-012-mean.m3u8\">", html);
        Assert.Contains("A &lt;b&gt;", html);
        Assert.DoesNotContain("<b>", html);
    }
}
