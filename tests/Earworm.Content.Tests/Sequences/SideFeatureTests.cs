using Earworm.Content.Sequences;
using Earworm.Learning.Sequences;
using Earworm.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Tests.Sequences;

public sealed class SideFeatureTests
{
    private const int Albums = 24, TracksPerAlbum = 6, Items = Albums * TracksPerAlbum;

    /// <summary>Album a's successor album: a fixed permutation.</summary>
    private static int Next(int album) => (album * 7 + 3) % Albums;

    /// <summary>Each track's album and artist (two albums an artist).</summary>
    private static ItemFeatures Features() => ItemFeatures.FromKeys(
        [.. Enumerable.Range(0, Items).Select(i => (IReadOnlyList<string?>)[$"artist:{i / TracksPerAlbum / 2}", $"album:{i / TracksPerAlbum}"])]);

    /// <summary>Playlists of three of an album's first five tracks, then three of its successor album's first five: the
    /// sixth track of every album is never heard.</summary>
    private static List<Sequence> Playlists(int count, int seed)
    {
        var random = new Random(seed);
        var lists = new List<Sequence>();
        for (int n = 0; n < count; n++)
        {
            int a = random.Next(Albums);
            int[] Three(int album) => [.. Enumerable.Range(0, 5).OrderBy(_ => random.Next()).Take(3).Select(k => album * TracksPerAlbum + k)];
            lists.Add(new Sequence([.. Three(a), .. Three(Next(a))]));
        }
        return lists;
    }

    private static readonly SequenceModelOptions Small = new()
    {
        EmbeddingSize = 32, Layers = 1, MaxLength = 8, Dropout = 0.1, Threads = 1, LearningRate = 0.005, Epochs = 20, BatchSize = 16, MinCount = 1,
    };

    [Fact]
    public void Keys_are_numbered_once_and_blank_ones_left_out()
    {
        var f = ItemFeatures.FromKeys([["artist:ann", "album:one"], ["artist:ann", "album:two"], [null, " "], []]);
        Assert.Equal(3, f.Count);
        Assert.Equal([[0, 1], [0, 2], [], []], f.Of);
        Assert.Equal(2, f.Width);
        Assert.Throws<ArgumentException>(() => f.Validate(5));
        Assert.Throws<ArgumentException>(() => new ItemFeatures([[3]], 3).Validate(1));
    }

    [Theory]
    [InlineData(SequenceArchitecture.SasRec)]
    [InlineData(SequenceArchitecture.Gru4Rec)]
    public void At_the_start_a_network_with_side_features_scores_as_one_without(SequenceArchitecture architecture)
    {
        Torch.Load();
        var options = Small with { Architecture = architecture };
        torch.manual_seed(5);
        using var plain = SequenceNetwork.Create(options, Items);
        torch.manual_seed(5);
        using var featured = SequenceNetwork.Create(options, Items, Features());
        Assert.NotNull(featured.Features);
        plain.eval();
        featured.eval();
        using var scope = NewDisposeScope();
        var tokens = torch.tensor(new long[] { 0, 0, 3, 9, 17, 40, 41, 100 }, [1, 8]);
        var skipped = torch.zeros([1, 8], ScalarType.Int64);
        Assert.True(plain.forward(tokens, skipped).allclose(featured.forward(tokens, skipped)));
        Assert.True(plain.OutputWeights.allclose(featured.OutputWeights));
    }

    [Fact]
    public void A_track_never_heard_is_followed_by_what_follows_the_rest_of_its_album()
    {
        Torch.Load();
        var train = Playlists(600, seed: 1);
        double With(ItemFeatures? features)
        {
            using var model = (NeuralSequenceModel)new SequenceModelTrainer(Small with { SideFeatures = features is not null }, features: features)
                .Fit(train, Items, null, default);
            var scores = new float[Items];
            double share = 0;
            for (int a = 0; a < Albums; a++)
            {
                // the album's sixth track, never in any playlist: only its album and artist say where it belongs
                model.Score([a * TracksPerAlbum + TracksPerAlbum - 1], [], scores);
                var top = NextItems.Rank(scores, new int[Items], [a * TracksPerAlbum + TracksPerAlbum - 1], 10);
                share += top.Count(i => i / TracksPerAlbum == a || i / TracksPerAlbum == Next(a)) / 10.0;
            }
            return share / Albums;
        }
        double plain = With(null), featured = With(Features());
        // ten tracks follow a track of album a in training (the rest of a, the first five of its successor); without its
        // features the unheard track's embedding is noise. Measured: 0.89 with the features (the default: every input
        // trained on its features alone; 0.68 with a quarter of them, 0.53 with none), 0.10 without
        Assert.True(featured >= 0.7 && featured > plain + 0.5, $"top 10 of the album and its successor: {featured:F2} with features, {plain:F2} without");
    }

    [Fact]
    public void The_features_are_saved_and_loaded_with_the_weights()
    {
        Torch.Load();
        using var dir = new TempDirectory();
        var options = Small with { SideFeatures = true, Epochs = 2 };
        using var model = (NeuralSequenceModel)new SequenceModelTrainer(options, features: Features()).Fit(Playlists(100, seed: 2), Items, null, default);
        var file = dir.File("model.dat");
        model.Network.save(file);
        using var again = SequenceNetwork.Create(options, Items, Features());
        again.load(file);
        again.eval();
        using var loaded = new NeuralSequenceModel("sasrec", again, options.MaxLength, Items);
        float[] a = new float[Items], b = new float[Items];
        model.Score([5, 11, 30], [], a);
        loaded.Score([5, 11, 30], [], b);
        Assert.Equal(a, b);
        // the table of features is part of what is saved: a network built with other features does not take the weights
        using var other = SequenceNetwork.Create(options, Items, ItemFeatures.FromKeys([.. Enumerable.Range(0, Items).Select(i => (IReadOnlyList<string?>)[$"x{i % 3}"])]));
        Assert.ThrowsAny<Exception>(() => other.load(file));
    }
}
