using Earworm.Audio.Excerpts;
using Earworm.Content.Training;

namespace Earworm.Content.Tests.Training;

public sealed class AudioFactorPredictorTests
{
    public AudioFactorPredictorTests() => Torch.Load();

    /// <summary>Items of two kinds: low bands loud (even items) or high bands loud (odd items), two windows of 60 frames.</summary>
    private static ExcerptSet Excerpts(int item)
    {
        var rng = new Random(100 + item);
        var windows = Enumerable.Range(0, 2).Select(w =>
        {
            var data = new float[16 * 60];
            for (int m = 0; m < 16; m++)
            {
                bool loud = item % 2 == 0 ? m < 8 : m >= 8;
                for (int f = 0; f < 60; f++) data[m * 60 + f] = (loud ? -20 : -60) + (float)(rng.NextDouble() * 10);
            }
            return new Excerpt(w * 100_000L, 60, data);
        }).ToList();
        return new ExcerptSet(22050, 512, 16, windows);
    }

    [Fact]
    public void Predicts_unit_factors_of_held_out_items_from_their_audio_alone()
    {
        float[] even = [1, 0, 0, 0], odd = [0, 1, 0, 0];
        var train = Enumerable.Range(0, 16).ToArray();
        var targets = train.Select(i => i % 2 == 0 ? even : odd).ToList();
        int[] query = [16, 17, 18, 19];
        var options = new AudioTrainingOptions
        {
            Network = Torch.Tiny(outputDims: 3), BatchSize = 8, MaxEpochs = 25, CropsPerTrack = 2, ValidationFraction = 0,
            EarlyStoppingPatience = 1000, LearningRate = 3e-3,
        };
        var predictor = new AudioFactorPredictor(Excerpts, options);

        var predicted = predictor.Predict(train, targets, query, seed: 3, CancellationToken.None);

        Assert.Equal(4, predicted.Count);
        Assert.NotNull(predictor.LastTraining);
        Assert.Equal(16, predictor.LastTraining!.TrainTracks);  // only the training items, none of the query ones
        for (int q = 0; q < query.Length; q++)
        {
            Assert.Equal(4, predicted[q].Length);                 // the targets' dimension, not the options'
            Assert.Equal(1.0, Math.Sqrt(predicted[q].Sum(v => (double)v * v)), 4);
            var own = query[q] % 2 == 0 ? even : odd;
            var other = query[q] % 2 == 0 ? odd : even;
            double Dot(float[] t) => t.Zip(predicted[q]).Sum(p => (double)p.First * p.Second);
            Assert.True(Dot(own) > Dot(other) + 0.5, $"item {query[q]}: {Dot(own):0.00} to its kind, {Dot(other):0.00} to the other");
        }
    }
}
