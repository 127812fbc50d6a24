using Earworm.Learning.Factorization;

namespace Earworm.Learning.Tests.Factorization;

public class BprTests
{
    private static readonly InteractionMatrix Topics = TestMatrices.Topics(users: 300, items: 120, topics: 6, seed: 5);

    [Fact]
    public void SampledAccuracyImprovesOverEpochs()
    {
        var log = new ProgressLog();
        new BprTrainer(new BprOptions { Factors = 16, Epochs = 40, LearningRate = 0.05f, Threads = 2 }).Fit(Topics, log);
        var reports = log.Reports;
        Assert.Equal(40, reports.Count);
        double first = reports[0].SampledAccuracy!.Value, last = reports[^1].SampledAccuracy!.Value;
        Assert.InRange(first, 0.3, 0.7); // random factors rank about half the pairs right
        Assert.True(last > 0.85, $"accuracy {first:F3} → {last:F3}");
        Assert.True(reports[^1].Loss < reports[0].Loss, $"loss {reports[0].Loss} → {reports[^1].Loss}");
    }

    [Fact]
    public void HeldOutItemsOutrankUnplayedOnes()
    {
        var (train, withheld) = TestMatrices.LeaveOneOut(Topics, seed: 2);
        var model = new BprTrainer(new BprOptions { Factors = 16, Epochs = 60, LearningRate = 0.05f, Threads = 2 }).Fit(train);
        // AUC of the held-out item against every item the user never played
        double auc = 0;
        int users = 0;
        for (int u = 0; u < train.Rows; u++)
        {
            if (withheld[u] < 0) continue;
            float positive = model.Score(u, withheld[u]);
            int below = 0, negatives = 0;
            for (int i = 0; i < train.Columns; i++)
            {
                if (Topics.Contains(u, i)) continue;
                negatives++;
                if (model.Score(u, i) < positive) below++;
            }
            auc += (double)below / negatives;
            users++;
        }
        Assert.True(auc / users > 0.8, $"held-out AUC {auc / users:F3}");
    }

    [Fact]
    public void OneThreadRepeatsExactly()
    {
        var options = new BprOptions { Factors = 8, Epochs = 5, Threads = 1, Seed = 4 };
        var a = new BprTrainer(options).Fit(Topics);
        var b = new BprTrainer(options).Fit(Topics);
        Assert.Equal(a.UserFactorArray(), b.UserFactorArray());
        Assert.Equal(a.ItemFactorArray(), b.ItemFactorArray());
        Assert.True(a.HasItemBiases);
        Assert.Equal(a.ItemBias(3), b.ItemBias(3));
    }

    [Fact]
    public void PopularityNegativesAlsoLearnTheTopics()
    {
        var model = new BprTrainer(new BprOptions
        {
            Factors = 16, Epochs = 40, LearningRate = 0.05f, NegativeSampling = NegativeSampling.Popularity,
        }).Fit(Topics);
        int onTopic = 0;
        for (int u = 0; u < 60; u++) onTopic += model.Recommend(u, Topics, 5).Ids.Count(i => i % 6 == u % 6);
        Assert.True(onTopic > 0.8 * 300, $"{onTopic} of 300 recommendations on the user's topic");
    }

    [Fact]
    public void ScoresIncludeTheItemBias()
    {
        var model = new BprTrainer(new BprOptions { Factors = 4, Epochs = 3 }).Fit(Topics);
        float dot = 0;
        for (int c = 0; c < 4; c++) dot += model.UserFactors(2)[c] * model.ItemFactors(9)[c];
        Assert.Equal(dot + model.ItemBias(9), model.Score(2, 9), 1e-5f);
        var r = model.Recommend(2, Topics, 1, excludeSeen: false);
        Assert.Equal(model.Score(2, r.Ids[0]), r.Scores[0], 1e-5f);
    }

    [Fact]
    public void StoredFactorsRebuildTheSameModel()
    {
        var model = new BprTrainer(new BprOptions { Factors = 8, Epochs = 3 }).Fit(Topics);
        var biases = Enumerable.Range(0, model.ItemCount).Select(model.ItemBias).ToArray();
        var copy = BprModel.FromFactors(model.Options, model.UserFactorArray(), model.ItemFactorArray(), biases);
        Assert.Equal(model.Recommend(4, Topics, 10), copy.Recommend(4, Topics, 10), new ScoredItemsComparer());
        Assert.Equal(model.Score(4, 17), copy.Score(4, 17));
        Assert.Throws<ArgumentException>(() => BprModel.FromFactors(model.Options, new float[8], new float[16], new float[1]));
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<OptionOutOfRangeException>(() => new BprTrainer(new BprOptions { LearningRate = 0 }));
        Assert.Throws<OptionOutOfRangeException>(() => new BprTrainer(new BprOptions { Epochs = 0 }));
        Assert.Throws<OptionOutOfRangeException>(() => new BprTrainer(new BprOptions { Regularization = -0.1f }));
        Assert.Throws<ArgumentException>(() => new BprTrainer(new BprOptions { NegativeSampling = (NegativeSampling)7 }));
    }
}
