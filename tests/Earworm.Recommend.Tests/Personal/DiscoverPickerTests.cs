using Earworm.Learning.Bandits;
using Earworm.Recommend.Personal;

namespace Earworm.Recommend.Tests.Personal;

public sealed class DiscoverPickerTests
{
    private static DiscoverCandidate D(long key, float score, string? artist, float x = 1, float y = 0) =>
        new(new Candidate(key, [x, y], 0, FactorSource.Listening), score, artist);

    // a uniform bandit: softmax over arms that all score 0
    private static readonly IBanditPolicy Uniform = new SoftmaxPolicy(1);

    private static readonly DiscoverCandidate[] Exploit = [D(1, 3, "a"), D(2, 2, "b"), D(3, 1, "c")];
    private static readonly DiscoverArm[] Arms = [new("one", [D(4, 0.5f, "d"), D(5, 0.4f, "e")]), new("two", [D(5, 0.4f, "e"), D(6, 0.3f, "f"), D(7, 0.2f, "g")])];

    /// <summary>Over 6000 seeds, one pick each: its stated propensity is <paramref name="expected"/>'s, its arm the one that
    /// holds it (either for key 5, which both hold), and the picks' frequencies agree with the propensities.</summary>
    private static void AssertDrawsAgree(DiscoverArm[] arms, DiscoverOptions options, IBanditPolicy? bandit, Dictionary<long, double> expected)
    {
        var seen = new Dictionary<long, int>();
        const int draws = 6000;
        for (int seed = 0; seed < draws; seed++)
        {
            var pick = Assert.Single(DiscoverPicker.Pick(Exploit, arms, options, bandit, new Random(seed)));
            long key = pick.Candidate.Candidate.Key;
            Assert.Equal(expected[key], pick.Propensity, 12);
            Assert.Equal(key == 1 ? null : key == 4 ? "one" : key is 6 or 7 ? "two" : pick.Arm, pick.Arm);
            seen[key] = seen.GetValueOrDefault(key) + 1;
        }
        foreach (var (key, p) in expected)
            Assert.InRange(seen.GetValueOrDefault(key) / (double)draws, p - 0.02, p + 0.02);
    }

    [Fact]
    public void EachPickStatesTheProbabilityItWasDrawnWithAndTheDrawsAgree()
    {
        var options = new DiscoverOptions(Count: 1, Explore: 0.4, Diversity: 0);
        // position 0: the taste ranking's best with 1 − ε; an explored one with ε · Σ over the arms holding it of π(arm) / |arm|
        var expected = new Dictionary<long, double> { [1] = 0.6, [4] = 0.4 * 0.5 / 2, [5] = 0.4 * (0.5 / 2 + 0.5 / 3), [6] = 0.4 * 0.5 / 3, [7] = 0.4 * 0.5 / 3 };
        Assert.Equal(1.0, expected.Values.Sum(), 12);
        AssertDrawsAgree(Arms, options, Uniform, expected);
    }

    [Fact]
    public void WithBoundsAnExploredPickIsDrawnWithItsArmByTheirBoltzmannWeightsAndSaysSo()
    {
        DiscoverArm[] arms = [new("one", [D(4, 0.5f, "d"), D(5, 0.4f, "e")], [0.5, 0.1]), new("two", [D(5, 0.4f, "e"), D(6, 0.3f, "f"), D(7, 0.2f, "g")], [0.2, 0.3, 0.0])];
        var options = new DiscoverOptions(Count: 1, Explore: 0.4, Diversity: 0, Temperature: 0.1);
        // π over the pairs ∝ exp(bound / τ): (one,4) e⁵, (one,5) e¹, (two,5) e², (two,6) e³, (two,7) e⁰; a pick sums its pairs
        double z = Math.Exp(5) + Math.Exp(1) + Math.Exp(2) + Math.Exp(3) + 1;
        var expected = new Dictionary<long, double>
        {
            [1] = 0.6, [4] = 0.4 * Math.Exp(5) / z, [5] = 0.4 * (Math.Exp(1) + Math.Exp(2)) / z, [6] = 0.4 * Math.Exp(3) / z, [7] = 0.4 / z,
        };
        AssertDrawsAgree(arms, options, null, expected);
        Assert.Throws<ArgumentException>(() => DiscoverPicker.Pick(Exploit, [arms[0], Arms[1]], options, Uniform, new Random(0)));
    }

    [Fact]
    public void WithoutExplorationTheListIsTheTasteRankingWithPropensityOne()
    {
        var picks = DiscoverPicker.Pick(Exploit, Arms, new DiscoverOptions(Count: 3, Explore: 0, Diversity: 0), Uniform, new Random(1));
        Assert.Equal([1L, 2, 3], picks.Select(p => p.Candidate.Candidate.Key));
        Assert.All(picks, p => Assert.Equal((null, 1.0), (p.Arm, p.Propensity)));
        // when the ranking runs out, the arms fill the list, each pick with its probability among them alone
        var more = DiscoverPicker.Pick(Exploit, Arms, new DiscoverOptions(Count: 4, Explore: 0, Diversity: 0), Uniform, new Random(1));
        Assert.NotNull(more[3].Arm);
        Assert.InRange(more[3].Propensity, 0.1, 0.5);
    }

    [Fact]
    public void APickEveryArmHoldsHasAPropensityOfAtMostOne()
    {
        // nine arms of one candidate each, the same one: Σ π(a)/1 is 1, which summing nine ninths passes by an ulp
        var arms = Enumerable.Range(0, 9).Select(a => new DiscoverArm($"arm{a}", [D(4, 0.5f, "d")])).ToArray();
        var pick = Assert.Single(DiscoverPicker.Pick([], arms, new DiscoverOptions(Count: 1, Explore: 0.2), Uniform, new Random(0)));
        Assert.True(pick.Propensity <= 1, $"propensity {pick.Propensity:R}");
        Assert.Equal(1, pick.Propensity, 12);
    }

    [Fact]
    public void AnArtistWaitsItsGapAndByDefaultComesOnce()
    {
        DiscoverCandidate[] pool = [D(1, 9, "x"), D(2, 8, "x"), D(3, 7, "x"), D(4, 6, "y"), D(5, 5, "z"), D(6, 4, null), D(7, 3, null)];
        var spaced = DiscoverPicker.Pick(pool, [], new DiscoverOptions(Count: 7, Explore: 0, Diversity: 0, ArtistGap: 2), Uniform, new Random(0));
        Assert.Equal([1L, 4, 5, 2, 6, 7, 3], spaced.Select(p => p.Candidate.Candidate.Key)); // x, y, z, then x again after two others
        var once = DiscoverPicker.Pick(pool, [], new DiscoverOptions(Count: 7, Explore: 0, Diversity: 0), Uniform, new Random(0));
        Assert.Equal([1L, 4, 5, 6, 7], once.Select(p => p.Candidate.Candidate.Key)); // unknown artists are never held back
    }

    [Fact]
    public void DiversityTakesADifferentDirectionAfterTheBest()
    {
        DiscoverCandidate[] pool = [D(1, 1, "a", 1, 0), D(2, 0.98f, "b", 0.98f, 0.02f), D(3, 0.9f, "c", 0.1f, 1)];
        var plain = DiscoverPicker.Pick(pool, [], new DiscoverOptions(Count: 2, Explore: 0, Diversity: 0), Uniform, new Random(0));
        var varied = DiscoverPicker.Pick(pool, [], new DiscoverOptions(Count: 2, Explore: 0, Diversity: 0.6), Uniform, new Random(0));
        Assert.Equal([1L, 2], plain.Select(p => p.Candidate.Candidate.Key));
        Assert.Equal([1L, 3], varied.Select(p => p.Candidate.Candidate.Key));
    }

    [Fact]
    public void AnArmSharingACandidateWithTheTasteRankingIsRefused() =>
        Assert.Throws<ArgumentException>(() => DiscoverPicker.Pick(Exploit, [new("bad", [Exploit[0]])], new DiscoverOptions(), Uniform, new Random(0)));
}
