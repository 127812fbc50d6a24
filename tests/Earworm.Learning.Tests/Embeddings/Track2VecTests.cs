using Earworm.Learning.Embeddings;
using Earworm.Learning.Tests.Factorization;

namespace Earworm.Learning.Tests.Embeddings;

public class Track2VecTests
{
    private const int Tracks = 400, TopicCount = 10;

    /// <summary>
    /// A small version of gen_playlists.py: track t has topic t mod 10 and a Zipf popularity
    /// 1/(rank + 10); each playlist has a main topic and, half the time, a second one (weights
    /// 0.75/0.25); each position is a global draw with probability 0.1, else a draw from the
    /// slot's topic, both by popularity.
    /// </summary>
    private static List<int[]> Playlists(int count, int seed)
    {
        var rng = new Random(seed);
        var rank = Enumerable.Range(0, Tracks).OrderBy(_ => rng.Next()).ToArray();
        var weight = rank.Select(r => 1.0 / (r + 10)).ToArray();
        var byTopic = Enumerable.Range(0, TopicCount).Select(k => Enumerable.Range(0, Tracks).Where(t => t % TopicCount == k).ToArray()).ToArray();
        int Draw(int[] pool)
        {
            double total = pool.Sum(t => weight[t]), x = rng.NextDouble() * total;
            foreach (var t in pool)
                if ((x -= weight[t]) <= 0) return t;
            return pool[^1];
        }
        var all = Enumerable.Range(0, Tracks).ToArray();
        var playlists = new List<int[]>();
        for (int p = 0; p < count; p++)
        {
            int main = rng.Next(TopicCount), second = rng.NextDouble() < 0.5 ? rng.Next(TopicCount) : main;
            var list = new int[rng.Next(10, 31)];
            for (int i = 0; i < list.Length; i++)
                list[i] = rng.NextDouble() < 0.1 ? Draw(all) : Draw(byTopic[rng.NextDouble() < 0.75 ? main : second]);
            playlists.Add(list);
        }
        return playlists;
    }

    private static readonly List<int[]> Corpus = Playlists(3000, seed: 8);

    [Fact]
    public void NeighboursShareTheirTopic()
    {
        var model = new Track2VecTrainer(new Track2VecOptions { Dimensions = 32, Epochs = 5, MinCount = 1, Threads = 2 })
            .FitSequences(Corpus, Tracks);
        int same = 0, total = 0;
        for (int t = 0; t < Tracks; t++)
        {
            if (model.Occurrences(t) < 20) continue;
            var r = model.SimilarItems(t, 10);
            same += r.Ids.Count(n => n % TopicCount == t % TopicCount);
            total += r.Count;
        }
        Assert.True(total > 2000, $"only {total} neighbours");
        Assert.True(same > 0.9 * total, $"purity@10 {(double)same / total:F3}");
    }

    [Fact]
    public void OneThreadRepeatsExactly()
    {
        var options = new Track2VecOptions { Dimensions = 20, Epochs = 1, MinCount = 1, Threads = 1, Seed = 3 };
        var a = new Track2VecTrainer(options).FitSequences(Corpus, Tracks);
        var b = new Track2VecTrainer(options).FitSequences(Corpus, Tracks);
        for (int t = 0; t < Tracks; t += 17) Assert.Equal(a.Vector(t).ToArray(), b.Vector(t).ToArray());
        var c = new Track2VecTrainer(options with { Seed = 4 }).FitSequences(Corpus, Tracks);
        Assert.NotEqual(a.Vector(0).ToArray(), c.Vector(0).ToArray());
    }

    [Vector512Fact]
    public void TheRegisterKernelFor100DimensionsAgreesWithTheGenericUpdate()
    {
        var options = new Track2VecOptions { Dimensions = 100, Epochs = 1, MinCount = 1, Threads = 1 };
        var corpus = Corpus.Take(300).ToList();
        var tokens = corpus.SelectMany(p => p).ToArray();
        var starts = new int[corpus.Count + 1];
        for (int s = 0; s < corpus.Count; s++) starts[s + 1] = starts[s] + corpus[s].Length;
        var vocabulary = new SkipGramVocabulary(tokens, Tracks, options);
        var special = new SkipGramNegativeSampling(options, vocabulary, Tracks);
        var generic = new SkipGramNegativeSampling(options, vocabulary, Tracks, allowSpecialisedKernel: false);
        special.Train(tokens, starts, _ => { }, CancellationToken.None);
        generic.Train(tokens, starts, _ => { }, CancellationToken.None);
        Assert.Equal(generic.EffectiveWords, special.EffectiveWords);
        double diff = 0, norm = 0;
        for (int t = 0; t < Tracks; t++)
            for (int d = 0; d < 100; d++)
            {
                diff += Math.Pow(special.Input.Row(t)[d] - generic.Input.Row(t)[d], 2);
                norm += Math.Pow(generic.Input.Row(t)[d], 2);
            }
        Assert.True(Math.Sqrt(diff / norm) < 1e-3, $"relative difference {Math.Sqrt(diff / norm):E2}");
        Assert.Equal(0f, special.Input.PaddedRow(5)[100]); // the padding stays zero
        Assert.Equal(0f, special.Output.PaddedRow(5)[111]);
    }

    [Fact]
    public void TheSigmoidTableCoversItsWholeRange()
    {
        Assert.Equal(1f, SkipGramNegativeSampling.Sigmoid(6f));
        Assert.Equal(0f, SkipGramNegativeSampling.Sigmoid(-6f));
        // f + 6 rounds to 12 here: the index must not run past the table
        Assert.InRange(SkipGramNegativeSampling.Sigmoid(MathF.BitDecrement(6f)), 0.99f, 1f);
        Assert.InRange(SkipGramNegativeSampling.Sigmoid(MathF.BitIncrement(-6f)), 0f, 0.01f);
        Assert.Equal(1 / (1 + Math.Exp(-1.3)), SkipGramNegativeSampling.Sigmoid(1.3f), 0.01);
        Assert.Equal(0.5, SkipGramNegativeSampling.Sigmoid(0f), 0.01);
    }

    [Fact]
    public void RareItemsHaveNoVectorAndAreNeverReturned()
    {
        int[][] sequences = [[0, 1, 2, 0, 1, 2, 3], [0, 1, 2, 0, 1, 2], [2, 1, 0, 4]];
        var model = new Track2VecTrainer(new Track2VecOptions { Dimensions = 8, MinCount = 2, Epochs = 3, Threads = 1 }).FitSequences(sequences, 6);
        Assert.Equal(3, model.VocabularySize);
        Assert.Equal(0, model.UserCount);
        Assert.False(model.HasVector(3));
        Assert.False(model.HasVector(5));
        Assert.Equal(new float[8], model.Vector(3).ToArray());
        Assert.Empty(model.SimilarItems(3, 5).Ids);
        Assert.Equal([1, 2], model.SimilarItems(0, 5).Ids.Order());
        var users = InteractionMatrix.FromInteractions([new Interaction(0, 3, 1), new Interaction(1, 0, 1)], 2, 6);
        Assert.Empty(model.Recommend(0, users, 5).Ids); // user 0 knows only an item without a vector
        Assert.Equal([1, 2], model.Recommend(1, users, 5).Ids.Order());
        Assert.Equal(3L * (7 + 6 + 4), model.RawWords);
        Assert.InRange(model.EffectiveWords, 1, 3L * 15);
    }

    [Fact]
    public void RecommendScoresByTheMeanOfTheUsersUnitVectors()
    {
        var model = new Track2VecTrainer(new Track2VecOptions { Dimensions = 16, Epochs = 2, MinCount = 1, Threads = 1 }).FitSequences(Corpus, Tracks);
        var users = InteractionMatrix.FromInteractions([new Interaction(0, 3, 5), new Interaction(0, 13, 1)], 1, Tracks);
        var mean = new float[16];
        foreach (var t in new[] { 3, 13 })
        {
            var v = model.Vector(t);
            double norm = Math.Sqrt(v.ToArray().Sum(x => (double)x * x));
            for (int d = 0; d < 16; d++) mean[d] += (float)(v[d] / norm);
        }
        var expected = model.SimilarToVector(mean, 10, [3, 13]);
        var actual = model.Recommend(0, users, 10);
        Assert.Equal(expected.Ids, actual.Ids);
        for (int i = 0; i < 10; i++) Assert.Equal(expected.Scores[i], actual.Scores[i], 1e-5f);
    }

    [Fact]
    public void SubsamplingKeepsFrequentItemsWithGensimsProbability()
    {
        // gensim: threshold_count = sample · retained words; P(keep) = (√(v/threshold_count) + 1)·threshold_count/v
        int[] tokens = [.. Enumerable.Repeat(0, 9000), .. Enumerable.Repeat(1, 980), .. Enumerable.Repeat(2, 20)];
        var vocabulary = new SkipGramVocabulary(tokens, 4, new Track2VecOptions { MinCount = 1, Sample = 1e-3 });
        double threshold = 1e-3 * 10_000;
        double keep0 = (Math.Sqrt(9000 / threshold) + 1) * threshold / 9000;
        Assert.Equal(keep0, vocabulary.KeepThreshold[0] / (double)uint.MaxValue, 1e-6);
        Assert.Equal((Math.Sqrt(980 / threshold) + 1) * threshold / 980, vocabulary.KeepThreshold[1] / (double)uint.MaxValue, 1e-6);
        Assert.Equal(uint.MaxValue, vocabulary.KeepThreshold[2]); // (√2 + 1)/2 > 1 is capped
        Assert.Equal(0u, vocabulary.KeepThreshold[3]);            // never seen: no vector
        Assert.Equal(10_000, vocabulary.RetainedWords);
    }

    [Fact]
    public void FitOnAMatrixUsesEachUsersItems()
    {
        var m = TestMatrices.Blocks(3, 6);
        var model = new Track2VecTrainer(new Track2VecOptions { Dimensions = 8, Window = 6, Epochs = 100, MinCount = 1, Sample = 0, Threads = 1 }).Fit(m);
        Assert.Equal(m.Rows, model.UserCount);
        Assert.Equal(m.Rows * 5L * 100, model.RawWords);
        Assert.Equal(model.RawWords, model.EffectiveWords); // no subsampling
    }

    [Fact]
    public void StoredVectorsRebuildTheSameModel()
    {
        var options = new Track2VecOptions { Dimensions = 12, Epochs = 1, MinCount = 30, Threads = 1 };
        var model = new Track2VecTrainer(options).FitSequences(Corpus, Tracks);
        var occurrences = Enumerable.Range(0, Tracks).Select(model.Occurrences).ToArray();
        var copy = Track2VecModel.FromVectors(options, model.VectorArray(), occurrences);
        Assert.Equal(model.VocabularySize, copy.VocabularySize);
        Assert.True(model.VocabularySize < Tracks); // some items fall below MinCount 30
        for (int t = 0; t < Tracks; t += 13)
        {
            Assert.Equal(model.HasVector(t), copy.HasVector(t));
            Assert.Equal(model.SimilarItems(t, 5), copy.SimilarItems(t, 5), new ScoredItemsComparer());
        }
        Assert.Throws<ArgumentException>(() => Track2VecModel.FromVectors(options, new float[11], [1]));
    }

    [Fact]
    public void BadInputIsRejected()
    {
        var trainer = new Track2VecTrainer(new Track2VecOptions { MinCount = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.FitSequences([[0, 5]], 5));
        Assert.Throws<ArgumentException>(() => trainer.FitSequences([[0, 1], null!], 5));
        Assert.Throws<ArgumentException>(() => new Track2VecTrainer(new Track2VecOptions { MinCount = 3 }).FitSequences([[0, 1]], 5));
        Assert.Throws<OptionOutOfRangeException>(() => new Track2VecTrainer(new Track2VecOptions { Window = 0 }));
        Assert.Throws<OptionOutOfRangeException>(() => new Track2VecTrainer(new Track2VecOptions { Sample = 1 }));
        Assert.Throws<OptionOutOfRangeException>(() => new Track2VecTrainer(new Track2VecOptions { MinLearningRate = 0.5f }));
        var model = trainer.FitSequences([[0, 1, 2]], 3);
        Assert.Throws<ArgumentException>(() => model.SimilarToVector(new float[3], 5));
    }
}
