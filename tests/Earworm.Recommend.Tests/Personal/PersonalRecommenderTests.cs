using Earworm.Recommend.Personal;

namespace Earworm.Recommend.Tests.Personal;

public sealed class PersonalRecommenderTests
{
    private static Candidate C(long key, float x, float y, float bias = 0, FactorSource source = FactorSource.Listening) =>
        new(key, [x, y], bias, source);

    private static readonly float[] User = [1f, 0.5f];

    [Fact]
    public void Scores_are_the_dot_product_plus_bias_best_first_and_excluded_keys_left_out()
    {
        var candidates = new[] { C(1, 1, 0), C(2, 0, 1), C(3, 2, 0), C(4, 0, 0, bias: 0.75f), C(5, 3, 3) };
        var recs = PersonalRecommender.Recommend(User, candidates, new HashSet<long> { 5 }, [], new PersonalOptions(Count: 10));
        Assert.Equal([3L, 1, 4, 2], recs.Select(r => r.Candidate.Key));
        Assert.Equal([2f, 1f, 0.75f, 0.5f], recs.Select(r => r.Score));
    }

    [Fact]
    public void Count_cuts_the_list_and_ties_go_to_the_earlier_candidate()
    {
        var candidates = new[] { C(7, 1, 0), C(8, 1, 0), C(9, 1, 0) };
        var recs = PersonalRecommender.Recommend(User, candidates, new HashSet<long>(), [], new PersonalOptions(Count: 2));
        Assert.Equal([7L, 8], recs.Select(r => r.Candidate.Key));
    }

    [Fact]
    public void Diversity_trades_a_near_duplicate_for_a_different_direction()
    {
        // two items pointing the same way score highest; a third, elsewhere, a little lower
        var candidates = new[] { C(1, 1, 0), C(2, 0.98f, 0.02f), C(3, 0.2f, 1.4f) };
        var none = PersonalRecommender.Recommend(User, candidates, new HashSet<long>(), [], new PersonalOptions(Count: 2, Diversity: 0));
        var some = PersonalRecommender.Recommend(User, candidates, new HashSet<long>(), [], new PersonalOptions(Count: 2, Diversity: 0.6));
        Assert.Equal([1L, 2], none.Select(r => r.Candidate.Key));
        Assert.Equal([1L, 3], some.Select(r => r.Candidate.Key));
        // full diversity still starts from the best score
        var all = PersonalRecommender.Recommend(User, candidates, new HashSet<long>(), [], new PersonalOptions(Count: 3, Diversity: 1));
        Assert.Equal(1L, all[0].Candidate.Key);
    }

    [Fact]
    public void Mmr_with_lambda_one_is_the_ranking_by_score()
    {
        var candidates = Enumerable.Range(0, 30).Select(i => C(i, MathF.Cos(i), MathF.Sin(i))).ToList();
        var pool = candidates.Select((c, i) => (i, c.Factors[0] + 0.5f * c.Factors[1])).OrderByDescending(p => p.Item2).ToList();
        var picked = PersonalRecommender.MaximalMarginalRelevance(pool, candidates, 10, lambda: 1);
        Assert.Equal(pool.Take(10), picked);
    }

    [Fact]
    public void Explanations_name_the_listeners_nearest_items_first()
    {
        var history = new[] { C(100, 0, 1), C(101, 1, 0.1f), C(102, -1, 0) };
        var recs = PersonalRecommender.Recommend(User, [C(1, 2, 0), C(2, 0, 3)], new HashSet<long>(), history,
            new PersonalOptions(Count: 2, Explanations: 2));
        // 100 stands at a right angle to candidate 1 and 102 points away from it: neither pulled it in
        Assert.Equal([101L], recs.Single(r => r.Candidate.Key == 1).Because.Select(b => b.Key));
        Assert.Equal([100L, 101], recs.Single(r => r.Candidate.Key == 2).Because.Select(b => b.Key));
        Assert.Equal(1f, recs.Single(r => r.Candidate.Key == 2).Because[0].Similarity, 5);
        var quiet = PersonalRecommender.Recommend(User, [C(1, 2, 0)], new HashSet<long>(), history, new PersonalOptions(Count: 1, Explanations: 0));
        Assert.Empty(quiet[0].Because);
    }

    [Fact]
    public void Scores_of_about_0_everywhere_say_the_listener_was_placed_nowhere()
    {
        var candidates = new[] { C(1, 1, 0), C(2, 0, 1), C(3, 0.5f, 0.5f) };
        var nowhere = PersonalRecommender.Recommend([3e-13f, -1e-13f], candidates, new HashSet<long>(), [], new PersonalOptions(Count: 3));
        Assert.True(PersonalRecommender.SaysLittle(nowhere));
        Assert.False(PersonalRecommender.SaysLittle(PersonalRecommender.Recommend(User, candidates, new HashSet<long>(), [], new PersonalOptions(Count: 3))));
        Assert.False(PersonalRecommender.SaysLittle([]));   // nothing to say little about
        // a bias (BPR) places every item even for a listener the factors do not
        var biased = PersonalRecommender.Recommend([0f, 0f], [C(1, 1, 0, bias: 0.3f)], new HashSet<long>(), [], new PersonalOptions(Count: 1));
        Assert.False(PersonalRecommender.SaysLittle(biased));
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(5, -0.1)]
    [InlineData(5, 1.5)]
    public void Bad_options_are_refused(int count, double diversity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            PersonalRecommender.Recommend(User, [C(1, 1, 0)], new HashSet<long>(), [], new PersonalOptions(count, diversity)));

    [Fact]
    public void Factors_of_another_length_are_refused() =>
        Assert.Throws<ArgumentException>(() =>
            PersonalRecommender.Recommend(User, [new Candidate(1, [1f, 2f, 3f], 0, FactorSource.Listening)], new HashSet<long>(), [], new PersonalOptions()));
}

public sealed class ColdStartBridgeTests
{
    [Fact]
    public void Median_norm_of_the_items_with_plays()
    {
        Assert.Equal(2f, ColdStartBridge.MedianNorm([[1f, 0f], [0f, 2f], [3f, 4f]]));      // norms 1, 2, 5
        Assert.Equal(1.5f, ColdStartBridge.MedianNorm([[1f, 0f], [0f, 2f], [0f, 0f]]));    // zero rows have no direction
        Assert.Equal(0f, ColdStartBridge.MedianNorm([]));
    }

    [Fact]
    public void A_prediction_keeps_its_direction_and_takes_the_given_norm()
    {
        var c = ColdStartBridge.FromPrediction(-7, [0.6f, 0.8f], norm: 5, bias: 0.25f)!;
        Assert.Equal(-7, c.Key);
        Assert.Equal(FactorSource.Audio, c.Source);
        Assert.Equal(3f, c.Factors[0], 5);
        Assert.Equal(4f, c.Factors[1], 5);
        Assert.Equal(0.25f, c.Bias);
        Assert.Null(ColdStartBridge.FromPrediction(-8, [0f, 0f], norm: 5));
    }

    [Fact]
    public void A_bridged_track_competes_with_the_items_that_have_plays()
    {
        // warm items of norms 1, 2 and 4; a cold track predicted to point where the user does
        var warm = new[] { new Candidate(1, [1f, 0f], 0, FactorSource.Listening), new Candidate(2, [0f, 2f], 0, FactorSource.Listening),
                           new Candidate(3, [4f, 0f], 0, FactorSource.Listening) };
        float norm = ColdStartBridge.MedianNorm(warm.Select(w => w.Factors));
        var cold = ColdStartBridge.FromPrediction(-9, [1f, 0f], norm)!;
        var recs = PersonalRecommender.Recommend([1f, 0f], [.. warm, cold], new HashSet<long>(), [], new PersonalOptions(Count: 4));
        Assert.Equal([3L, -9, 1, 2], recs.Select(r => r.Candidate.Key)); // above the weak warm item, below the strong one
    }

    [Fact]
    public void The_bridge_regresses_from_an_embedding_and_reads_a_cf_model_only_on_the_current_factors()
    {
        var none = ColdStartBridge.Check(null, null, "als-1");
        Assert.Equal(BridgeMode.Off, none.Mode);
        Assert.Contains("no audio space", none.Note, StringComparison.Ordinal);

        var embedding = ColdStartBridge.Check("""{"objective":"contrastive","pretrained":true}""", "pretrained-a", "als-1");
        Assert.Equal(BridgeMode.Regression, embedding.Mode);
        Assert.Contains("regressed", embedding.Note, StringComparison.Ordinal);

        var stale = ColdStartBridge.Check("""{"objective":"cf","target":"als-0"}""", "audio-b", "als-1");
        Assert.Equal(BridgeMode.Off, stale.Mode);
        Assert.Contains("als-0", stale.Note, StringComparison.Ordinal);
        Assert.Contains("als-1", stale.Note, StringComparison.Ordinal);

        Assert.Equal(BridgeMode.Off, ColdStartBridge.Check("not json", "audio-c", "als-1").Mode);
        Assert.Equal(BridgeMode.Direct, ColdStartBridge.Check("""{"objective":"cf","target":"als-1","epochs":3}""", "audio-d", "als-1").Mode);
    }

    [Fact]
    public void The_regression_maps_audio_vectors_to_the_factors_of_tracks_with_plays()
    {
        // factors a linear function of the audio (plus a little noise): the prediction for a new track points the right way
        var rng = new Random(3);
        var audio = new List<float[]>();
        var factors = new List<float[]>();
        for (int i = 0; i < 40; i++)
        {
            var a = new[] { (float)rng.NextDouble(), (float)rng.NextDouble(), (float)rng.NextDouble() };
            audio.Add(a);
            factors.Add([a[0] - a[1] + 0.01f * (float)rng.NextDouble(), 2 * a[2] - 1]);
        }
        Assert.Null(ColdStartBridge.FitRegression(audio.Take(ColdStartBridge.MinimumRegressionTracks - 1).ToList(), factors.Take(ColdStartBridge.MinimumRegressionTracks - 1).ToList()));
        var ridge = ColdStartBridge.FitRegression(audio, factors)!;
        var p = ridge.Predict([0.9, 0.1, 0.5]);
        Assert.True(p[0] > 0.3 && Math.Abs(p[1]) < 0.2, string.Join(", ", p));
    }
}
