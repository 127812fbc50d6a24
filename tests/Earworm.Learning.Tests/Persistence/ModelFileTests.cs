using Earworm.Learning.Embeddings;
using Earworm.Learning.Factorization;
using Earworm.Learning.Hybrid;
using Earworm.Learning.Neighbours;
using Earworm.Learning.Persistence;
using Earworm.Testing;

namespace Earworm.Learning.Tests.Persistence;

public sealed class ModelFileTests
{
    private static readonly InteractionMatrix Data = TestMatrices.Topics(60, 40, 4, seed: 3);

    private static SavedModel RoundTrip(IRecommenderModel model, long[]? users = null, long[]? items = null)
    {
        var saved = new SavedModel(model, users ?? [], items ?? [], new Dictionary<string, string> { ["data"] = "i10-x" });
        using var stream = new MemoryStream();
        ModelFile.Save(stream, saved);
        stream.Position = 0;
        return ModelFile.Load(stream);
    }

    private static void SameRecommendations(IRecommenderModel a, IRecommenderModel b)
    {
        Assert.Equal(a.Name, b.Name);
        Assert.Equal(a.ItemCount, b.ItemCount);
        for (int u = 0; u < Data.Rows; u += 7)
        {
            var x = a.Recommend(u, Data, 10);
            var y = b.Recommend(u, Data, 10);
            Assert.Equal(x.Ids, y.Ids);
            Assert.Equal(x.Scores, y.Scores);
        }
        for (int i = 0; i < Data.Columns; i += 5)
            Assert.Equal(a.SimilarItems(i, 5).Ids, b.SimilarItems(i, 5).Ids);
    }

    [Fact]
    public void Als_round_trips_factors_options_and_id_maps()
    {
        var options = new AlsOptions { Factors = 8, Iterations = 3, Alpha = 5, Scaling = ConfidenceScaling.Log, Regularization = 0.2f, Threads = 1, Seed = 9 };
        var model = new AlsTrainer(options).Fit(Data);
        long[] users = [.. Enumerable.Range(0, Data.Rows).Select(u => 1000L + u)];
        long[] items = [.. Enumerable.Range(0, Data.Columns).Select(i => 5000L + 2 * i)];
        var back = RoundTrip(model, users, items);
        var als = Assert.IsType<AlsModel>(back.Model);
        Assert.Equal(model.UserFactorArray(), als.UserFactorArray());
        Assert.Equal(model.ItemFactorArray(), als.ItemFactorArray());
        Assert.Equal(options with { Threads = Environment.ProcessorCount }, als.Options);
        Assert.Equal(users, back.UserIds);
        Assert.Equal(items, back.ItemIds);
        Assert.Equal("i10-x", back.Metadata["data"]);
        SameRecommendations(model, als);
        // fold-in uses the stored α, scaling and λ
        Assert.Equal(model.FoldIn([1, 5, 9], [2, 1, 4]), als.FoldIn([1, 5, 9], [2, 1, 4]));
    }

    [Fact]
    public void Bpr_round_trips_with_its_item_biases()
    {
        var model = new BprTrainer(new BprOptions { Factors = 8, Epochs = 5, Threads = 1 }).Fit(Data);
        var bpr = Assert.IsType<BprModel>(RoundTrip(model).Model);
        Assert.Equal(Enumerable.Range(0, Data.Columns).Select(model.ItemBias), Enumerable.Range(0, Data.Columns).Select(bpr.ItemBias));
        Assert.Contains(Enumerable.Range(0, Data.Columns), i => bpr.ItemBias(i) != 0);
        SameRecommendations(model, bpr);
    }

    [Fact]
    public void Hybrid_round_trips_with_its_biases_and_feature_vectors()
    {
        var features = ItemFeatures.Create(Data.Columns, Enumerable.Range(0, Data.Columns).Select(i => (i, $"tag{i % 5}", 1.0)));
        var model = new HybridTrainer(features, new HybridOptions { Factors = 8, Epochs = 3, Threads = 1 }).Fit(Data);
        var back = Assert.IsType<HybridModel>(RoundTrip(model).Model);
        Assert.Equal(model.FeatureNames, back.FeatureNames);
        Assert.Equal(model.FeatureVectorArray(), back.FeatureVectorArray());
        Assert.Equal(model.FeatureBiasArray(), back.FeatureBiasArray());
        Assert.Equal(Enumerable.Range(0, Data.Columns).Select(model.ItemBias), Enumerable.Range(0, Data.Columns).Select(back.ItemBias));
        SameRecommendations(model, back);
    }

    [Fact]
    public void Track2vec_round_trips_vectors_and_vocabulary()
    {
        var model = new Track2VecTrainer(new Track2VecOptions { Dimensions = 12, Epochs = 2, MinCount = 3, Threads = 1 }).Fit(Data);
        var t2v = Assert.IsType<Track2VecModel>(RoundTrip(model).Model);
        Assert.Equal(model.VectorArray(), t2v.VectorArray());
        Assert.Equal(model.VocabularySize, t2v.VocabularySize);
        for (int i = 0; i < Data.Columns; i++) Assert.Equal(model.HasVector(i), t2v.HasVector(i));
        SameRecommendations(model, t2v);
    }

    [Theory]
    [InlineData(ItemSimilarity.Cosine)]
    [InlineData(ItemSimilarity.Bm25)]
    public void Item_knn_round_trips_its_neighbour_lists(ItemSimilarity similarity)
    {
        var model = new ItemKnnTrainer(new ItemKnnOptions { Neighbours = 6, Similarity = similarity, Threads = 1 }).Fit(Data);
        var knn = Assert.IsType<ItemKnnModel>(RoundTrip(model).Model);
        Assert.Equal(model.Options.Similarity, knn.Options.Similarity);
        SameRecommendations(model, knn);
    }

    [Fact]
    public void Saves_to_a_file_atomically_and_loads_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("sub/als.ewm");
        var model = new AlsTrainer(new AlsOptions { Factors = 4, Iterations = 2, Threads = 1 }).Fit(Data);
        ModelFile.Save(path, new SavedModel(model, [], []));
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal(model.ItemFactorArray(), Assert.IsType<AlsModel>(ModelFile.Load(path).Model).ItemFactorArray());
    }

    private static byte[] Bytes()
    {
        var model = new AlsTrainer(new AlsOptions { Factors = 4, Iterations = 2, Threads = 1 }).Fit(Data);
        using var stream = new MemoryStream();
        ModelFile.Save(stream, new SavedModel(model, [], []));
        return stream.ToArray();
    }

    private static string LoadError(byte[] bytes) =>
        Assert.Throws<ModelFileException>(() => ModelFile.Load(new MemoryStream(bytes), "m.ewm")).Message;

    [Fact]
    public void A_flipped_byte_in_the_payload_is_refused_as_corrupt()
    {
        var bytes = Bytes();
        bytes[^10] ^= 0x40;
        var message = LoadError(bytes);
        Assert.Contains("m.ewm", message, StringComparison.Ordinal);
        Assert.Contains("checksum", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        var bytes = Bytes();
        Assert.Contains("truncated", LoadError(bytes[..(bytes.Length - 100)]), StringComparison.Ordinal);
        Assert.Contains("truncated", LoadError(bytes[..30]), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_format_version_says_to_retrain()
    {
        var bytes = Bytes();
        BitConverter.TryWriteBytes(bytes.AsSpan(8), ModelFile.FormatVersion + 1);
        var message = LoadError(bytes);
        Assert.Contains($"format {ModelFile.FormatVersion + 1}", message, StringComparison.Ordinal);
        Assert.Contains("train the model again", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Something_else_is_not_a_model_file()
    {
        Assert.Contains("not an Earworm model file", LoadError("hello, world"u8.ToArray()), StringComparison.Ordinal);
        Assert.Contains("not an Earworm model file", LoadError([]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_names_itself()
    {
        var e = Assert.Throws<ModelFileException>(() => ModelFile.Load("/nonexistent/earworm.ewm"));
        Assert.Contains("/nonexistent/earworm.ewm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Id_maps_must_match_the_model()
    {
        var model = new AlsTrainer(new AlsOptions { Factors = 4, Iterations = 1, Threads = 1 }).Fit(Data);
        Assert.Throws<ArgumentException>(() => ModelFile.Save(new MemoryStream(), new SavedModel(model, [1, 2, 3], [])));
    }
}
