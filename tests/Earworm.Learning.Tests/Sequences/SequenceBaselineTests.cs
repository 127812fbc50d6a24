using Earworm.Learning.Sequences;

namespace Earworm.Learning.Tests.Sequences;

public sealed class SequenceBaselineTests
{
    private static int[] Top(ISequenceModel model, int[] history, bool[]? skipped = null, int depth = 5, int[]? popularity = null)
    {
        var scores = new float[model.ItemCount];
        model.Score(history, skipped, scores);
        return NextItems.Rank(scores, popularity ?? new int[model.ItemCount], [], depth);
    }

    [Fact]
    public void Track2VecOnTooFewSequencesForAnyVectorPlacesNothingRatherThanFailing()
    {
        // every item seen once or twice, below the minimum count of 5: no vector to learn
        var model = new Track2VecNextTrainer(new Earworm.Learning.Embeddings.Track2VecOptions { MinCount = 5 })
            .Fit([new Sequence([0, 1, 2]), new Sequence([2, 3])], 4, null, default);
        var scores = new float[4];
        model.Score([2], [], scores);
        Assert.All(scores, s => Assert.Equal(float.NegativeInfinity, s));
    }

    [Fact]
    public void SessionsAreCutAtTheGapWithSkipsFlaggedAndAllSkipSessionsLeftOut()
    {
        var listens = new[]
        {
            new Interaction(0, 1, 1, 100), new Interaction(0, 2, 0, 200), new Interaction(0, 3, 1, 300),
            new Interaction(0, 4, 0, 300 + 1801), // alone after a gap, and a skip: nothing to predict
            new Interaction(1, 5, 1, 50), new Interaction(1, 6, 2, 60), new Interaction(1, 7, 1, null),
        };
        var sessions = SequenceSessions.Cut(listens, TimeSpan.FromMinutes(30));
        Assert.Equal(2, sessions.Count);
        Assert.Equal([1, 2, 3], sessions[0].Items);
        Assert.Equal([false, true, false], sessions[0].Skipped!);
        Assert.Equal([1, 3], sessions[0].Played());
        Assert.Equal([5, 6], sessions[1].Items);
        Assert.Equal(((bool[]?)null, (int?)1), (sessions[1].Skipped, sessions[1].User));
    }

    [Fact]
    public void RankingBreaksTiesByPopularityThenIdAndLeavesOutExcludedAndUnscorable()
    {
        float[] scores = [1, 2, 2, float.NegativeInfinity, 0, 2];
        int[] popularity = [9, 1, 5, 9, 0, 5];
        Assert.Equal([2, 5, 1, 0, 4], NextItems.Rank(scores, popularity, [], 10));
        Assert.Equal([5, 1], NextItems.Rank(scores, popularity, [0, 2], 2));
    }

    [Fact]
    public void RankingOverManyItemsMatchesAFullSort()
    {
        // scores from a few values so ties are many: the shortcut past scores below the kept worst must not lose one
        var rng = new Random(5);
        var scores = Enumerable.Range(0, 5000).Select(_ => rng.Next(40) == 0 ? float.NaN : rng.Next(30) / 3f).ToArray();
        var popularity = Enumerable.Range(0, 5000).Select(_ => rng.Next(4)).ToArray();
        int[] excluded = [.. Enumerable.Range(0, 5000).Where(_ => rng.Next(10) == 0)];
        var expected = Enumerable.Range(0, 5000).Where(j => float.IsFinite(scores[j]) && Array.BinarySearch(excluded, j) < 0)
            .OrderByDescending(j => scores[j]).ThenByDescending(j => popularity[j]).ThenBy(j => j).Take(50).ToArray();
        Assert.Equal(expected, NextItems.Rank(scores, popularity, excluded, 50));
    }

    [Fact]
    public void SequentialRulesFollowTheLastPlayNotTheSkip()
    {
        // a → b always, c → d always; c is skipped in the question, so the rule of a answers
        var train = new[] { new Sequence([0, 1, 4]), new Sequence([0, 1]), new Sequence([2, 3]), new Sequence([2, 3]) };
        var model = new SequentialRulesTrainer().Fit(train, 5, null, default);
        Assert.Equal(1, Top(model, [0])[0]);
        Assert.Equal(3, Top(model, [2])[0]);
        Assert.Equal(1, Top(model, [0, 2], [false, true])[0]);
        // b → 4 at distance 1 in one sequence; a → 4 at distance 2 weighs 1/2
        var scores = new float[5];
        model.Score([0], [], scores);
        Assert.Equal([0, 2, 0, 0, 0.5f], scores);
    }

    [Fact]
    public void SessionKnnVotesWithTheCosineOfNeighbourSessions()
    {
        var train = new[] { new Sequence([0, 1]), new Sequence([0, 2, 3, 4]), new Sequence([5, 6]) };
        var model = new SessionKnnTrainer(new SessionKnnOptions { Neighbours = 2 }).Fit(train, 7, null, default);
        var scores = new float[7];
        model.Score([0], [], scores);
        // cos({0}, {0,1}) = 1/√2, cos({0}, {0,2,3,4}) = 1/2; {5,6} shares nothing
        Assert.Equal(1 / Math.Sqrt(2), scores[1], 5);
        Assert.Equal(0.5, scores[2], 5);
        Assert.Equal(1 / Math.Sqrt(2) + 0.5, scores[0], 5);
        Assert.Equal(0, scores[5]);
    }

    [Fact]
    public void MarkovSequencesFollowTheirSuccessorsAndAnOrderModelFindsThem()
    {
        var data = MarkovSequences.Generate(new MarkovSequenceOptions { Sequences = 400, Seed = 3 }, out int items);
        Assert.Equal(200, items);
        var model = new SequentialRulesTrainer(new SequentialRulesOptions { Steps = 1 }).Fit(data, items, null, default);
        var pop = new PopularityNextTrainer().Fit(data, items, null, default);
        var probe = MarkovSequences.Generate(new MarkovSequenceOptions { Sequences = 200, Seed = 4 }, out _);
        int srHits = 0, popHits = 0, n = 0;
        foreach (var s in probe)
            for (int p = 1; p < s.Length; p++, n++)
            {
                if (Top(model, s.Items[..p], depth: 1)[0] == s.Items[p]) srHits++;
                if (Top(pop, s.Items[..p], depth: 1)[0] == s.Items[p]) popHits++;
            }
        // the successor is taken 80% of the time, and a random topic item (1 in 20) sometimes is it too
        Assert.InRange((double)srHits / n, 0.7, 0.9);
        Assert.True(popHits < n * 0.05, $"popularity hit {popHits} of {n}");
    }
}
