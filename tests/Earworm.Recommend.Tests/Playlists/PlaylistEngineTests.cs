using Earworm.Audio.Descriptors;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;

namespace Earworm.Recommend.Tests.Playlists;

public class PlaylistEngineTests
{
    /// <summary>40 tracks on a circle in 2-D (track i at angle 2πi/40), tempo 80 + 2i, energy i/40, 4 artists in turn,
    /// 3 minutes each; track 39 duplicates track 1 (same artist and title).</summary>
    private static (PlaylistEngine Engine, Dictionary<long, TrackFacts> Facts, VectorSpace Space) Library(Metric metric = Metric.Cosine)
    {
        int n = 40;
        var ids = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        var data = new float[n * 2];
        var facts = new Dictionary<long, TrackFacts>();
        for (int i = 0; i < n; i++)
        {
            double a = 2 * Math.PI * i / n;
            data[2 * i] = (float)Math.Cos(a);
            data[2 * i + 1] = (float)Math.Sin(a);
            var d = new TrackDescriptors
            {
                DurationSeconds = 180, SampleRateHz = 22050, IsSilent = false, TempoBpm = 80 + 2 * i, Energy = i / 40.0,
                KeyTonic = i % 12, KeyMode = Audio.Synthesis.Mode.Major,
            };
            string title = i == 39 ? "Song 1" : $"Song {i}";
            facts[i] = new TrackFacts(i, $"/music/{i}.mp3", $"Artist {(i == 39 ? 1 : i % 4)}", title, 180, $"hash{i}", d);
        }
        var space = new VectorSpace("test", 2, ids, data, metric, "a circle");
        return (new PlaylistEngine(space, new ExactIndex(space), facts), facts, space);
    }

    private static PlaylistSeed Seed(Dictionary<long, TrackFacts> facts, VectorSpace space, long id) => new(facts[id], space.VectorOf(id).ToArray(), $"{id}");

    [Fact]
    public void KeepPlayingStartsWithTheSeedAndWalksToItsNeighboursWithoutRepeats()
    {
        var (engine, facts, space) = Library();
        var r = engine.KeepPlaying([Seed(facts, space, 10)], new KeepPlayingOptions(Length: 20, KeepOn: 1), new PlaylistConstraints());
        Assert.Equal(20, r.Entries.Count);
        Assert.Equal(10, r.Entries[0].TrackId);
        Assert.Equal("seed", r.Entries[0].Role);
        Assert.Equal(r.Entries.Count, r.Entries.Select(e => e.TrackId).Distinct().Count());
        Assert.Contains(r.Entries[1].TrackId, new long[] { 9, 11 });
        // with keep-on 1 it walks the circle: every step to an adjacent track
        Assert.All(r.Entries.Skip(1), e => Assert.True(e.SimilarityToPrevious > 0.98));
        Assert.Empty(r.GaveWay);
    }

    [Theory]
    [InlineData(Metric.Cosine)]
    [InlineData(Metric.Euclidean)]
    public void TracksToAvoidPushTheWalkTheOtherWay(Metric metric)
    {
        var (engine, facts, space) = Library(metric);
        // from 10 with keep-on 1, 9 and 11 are equally near; 11 was skipped, so the walk turns towards 9 and goes on that way
        var r = engine.KeepPlaying([Seed(facts, space, 10)], new KeepPlayingOptions(Length: 6, KeepOn: 1),
            new PlaylistConstraints { ExcludeTracks = [11] }, away: [space.VectorOf(11).ToArray()]);
        var ids = r.Entries.Select(e => e.TrackId).ToList();
        Assert.Equal([10, 9], ids.Take(2));
        Assert.True(ids.Zip(ids.Skip(1)).All(p => p.Second < p.First), $"the walk should go on away from 11: {string.Join(", ", ids)}");
        Assert.Contains(r.Entries[1].Reasons, x => x.StartsWith("away from the track skipped", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyTheTracksAllowedArePicked()
    {
        var (engine, facts, space) = Library();
        var even = Enumerable.Range(0, 20).Select(i => (long)(2 * i)).ToList();
        var r = engine.KeepPlaying([Seed(facts, space, 11)], new KeepPlayingOptions(Length: 8), new PlaylistConstraints { OnlyTracks = even });
        Assert.Equal(8, r.Entries.Count);
        Assert.All(r.Entries.Skip(1), e => Assert.Equal(0, e.TrackId % 2));
    }

    [Fact]
    public void DuplicatesCountAsPlayed()
    {
        var (engine, facts, space) = Library();
        var r = engine.KeepPlaying([Seed(facts, space, 1)], new KeepPlayingOptions(Length: 40), new PlaylistConstraints());
        Assert.Equal(39, r.Entries.Count); // 40 tracks, but 39 is "Song 1" by "Artist 1" again
        Assert.DoesNotContain(r.Entries, e => e.TrackId == 39);
        Assert.Contains("39 of the 40", r.Notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public void DrunkIsReproducibleForASeedAndWandersMoreThanSober()
    {
        var (engine, facts, space) = Library();
        var seeds = new[] { Seed(facts, space, 0) };
        var sober = engine.KeepPlaying(seeds, new KeepPlayingOptions(Length: 15), new PlaylistConstraints());
        var drunkA = engine.KeepPlaying(seeds, new KeepPlayingOptions(Length: 15, Drunk: KeepPlayingOptions.MaxDrunk, RandomSeed: 7), new PlaylistConstraints());
        var drunkB = engine.KeepPlaying(seeds, new KeepPlayingOptions(Length: 15, Drunk: KeepPlayingOptions.MaxDrunk, RandomSeed: 7), new PlaylistConstraints());
        var drunkC = engine.KeepPlaying(seeds, new KeepPlayingOptions(Length: 15, Drunk: KeepPlayingOptions.MaxDrunk, RandomSeed: 8), new PlaylistConstraints());
        Assert.Equal(drunkA.Entries.Select(e => e.TrackId), drunkB.Entries.Select(e => e.TrackId));
        Assert.NotEqual(drunkA.Entries.Select(e => e.TrackId), drunkC.Entries.Select(e => e.TrackId));
        Assert.True(drunkA.Entries.Skip(1).Average(e => e.SimilarityToPrevious!.Value) < sober.Entries.Skip(1).Average(e => e.SimilarityToPrevious!.Value));
        Assert.Equal(15, drunkA.Entries.Select(e => e.TrackId).Distinct().Count());
        // each pick's score is its closeness to the mean of the last tracks the reason names, not to the noisy query
        int keepOn = new KeepPlayingOptions().KeepOn;
        for (int i = 1; i < drunkA.Entries.Count; i++)
        {
            var mean = new float[space.Dimension];
            foreach (var e in drunkA.Entries.Skip(Math.Max(0, i - keepOn)).Take(Math.Min(i, keepOn)))
            {
                var v = space.VectorOf(e.TrackId).ToArray();
                float norm = MathF.Sqrt(v.Sum(x => x * x));
                for (int d = 0; d < v.Length; d++) mean[d] += v[d] / norm;
            }
            Assert.Equal(space.Similarity(mean, space.VectorOf(drunkA.Entries[i].TrackId)), drunkA.Entries[i].Score!.Value, 1e-3); // scores are kept to 4 decimals
        }
    }

    [Fact]
    public void AFileSeedSteersButIsNotPlayed()
    {
        var (engine, _, _) = Library();
        var r = engine.KeepPlaying([new PlaylistSeed(null, [0, 1], "file.mp3")], new KeepPlayingOptions(Length: 3), new PlaylistConstraints());
        Assert.Equal(10, r.Entries[0].TrackId); // (0, 1) is track 10's angle
        Assert.Equal("next", r.Entries[0].Role);
    }

    [Fact]
    public void JoinTheDotsEndsExactlyAtTheLastAnchorThroughTheWaypointWithoutRepeats()
    {
        var (engine, facts, _) = Library(Metric.Euclidean);
        var r = engine.JoinTheDots([facts[0], facts[8], facts[16]], 9, new PlaylistConstraints());
        Assert.Equal(9, r.Entries.Count);
        Assert.Equal(0, r.Entries[0].TrackId);
        Assert.Equal(16, r.Entries[^1].TrackId);
        Assert.Equal(8, r.Entries[4].TrackId); // equal legs: 3 steps each
        Assert.Equal([0L, 2, 4, 6, 8, 10, 12, 14, 16], r.Entries.Select(e => e.TrackId));
        Assert.Equal(["anchor", "step", "step", "step", "anchor", "step", "step", "step", "anchor"], r.Entries.Select(e => e.Role));
        Assert.Throws<UsageException>(() => engine.JoinTheDots([facts[0], facts[5]], 1, new PlaylistConstraints()));
        Assert.Throws<UsageException>(() => engine.JoinTheDots([facts[0], facts[0]], 5, new PlaylistConstraints()));
    }

    [Fact]
    public void StepsAreSharedInProportionToTheLegs()
    {
        Assert.Equal([3, 1], PlaylistEngine.ShareSteps([[0f], [3f], [4f]], 4));
        Assert.Equal([2, 2], PlaylistEngine.ShareSteps([[0f], [0f], [0f]], 4));
        Assert.Equal([0], PlaylistEngine.ShareSteps([[0f], [1f]], 0));
    }

    [Fact]
    public void ConstraintsSteerAndSayWhichGaveWay()
    {
        var (engine, facts, space) = Library();
        var seeds = new[] { Seed(facts, space, 20) };
        // tempo 110–130 BPM: tracks 15..25; 11 of them, so a 15-track playlist must let tempo give way
        var r = engine.KeepPlaying(seeds, new KeepPlayingOptions(Length: 15), new PlaylistConstraints { TempoMinBpm = 110, TempoMaxBpm = 130 });
        Assert.All(r.Entries.Take(11), e => Assert.InRange(e.TempoBpm!.Value, 110, 130));
        Assert.Equal(4, r.GaveWay.Count);
        Assert.All(r.GaveWay, g => Assert.Equal("tempo", g.Constraint));
        Assert.Equal(12, r.GaveWay[0].Position);

        var rising = engine.KeepPlaying(seeds, new KeepPlayingOptions(Length: 10), new PlaylistConstraints { Energy = EnergyTrend.Rising });
        var energies = rising.Entries.Select(e => e.Energy!.Value).ToList();
        Assert.All(energies.Zip(energies.Skip(1)), p => Assert.True(p.Second >= p.First - 0.02));

        var artists = engine.KeepPlaying(seeds, new KeepPlayingOptions(Length: 12), new PlaylistConstraints { NoRepeatArtist = 3 });
        var names = artists.Entries.Select(e => e.Artist).ToList();
        for (int i = 1; i < names.Count; i++)
            Assert.DoesNotContain(names[i], names.Skip(Math.Max(0, i - 3)).Take(Math.Min(3, i)));
    }

    [Fact]
    public void ExclusionsAndMaxMinutesNeverGiveWay()
    {
        var (engine, facts, space) = Library();
        var r = engine.KeepPlaying([Seed(facts, space, 10)], new KeepPlayingOptions(Length: 20),
            new PlaylistConstraints { ExcludeTracks = [9, 11], ExcludeArtists = ["artist 0"], MaxMinutes = 16 });
        Assert.Equal(5, r.Entries.Count); // 3 minutes each: 5 fit in 16
        Assert.DoesNotContain(r.Entries, e => e.TrackId is 9 or 11);
        Assert.DoesNotContain(r.Entries, e => e.Artist == "Artist 0" && e.Role != "seed");
        Assert.Contains("--max-minutes 16 reached", r.Notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ASeedLongerThanMaxMinutesIsPlayedAndTheNoteSaysItAloneIsTooLong()
    {
        var (engine, facts, space) = Library();
        var r = engine.KeepPlaying([Seed(facts, space, 10)], new KeepPlayingOptions(Length: 5), new PlaylistConstraints { MaxMinutes = 1 });
        Assert.Equal("seed", Assert.Single(r.Entries).Role);
        Assert.Equal("1 of the 5 tracks asked for: the seed alone lasts 3.0 minutes, more than --max-minutes 1", r.Notes[0]);
    }

    [Fact]
    public void KeyCompatibilityFollowsTheCamelotWheel()
    {
        var (engine, facts, space) = Library();
        var r = engine.KeepPlaying([Seed(facts, space, 0)], new KeepPlayingOptions(Length: 8), new PlaylistConstraints { KeyCompatible = true });
        var keys = r.Entries.Select(e => e.Camelot!).ToList();
        var kept = keys.Zip(keys.Skip(1)).Select((p, i) => (p, pos: i + 2))
            .Where(x => !r.GaveWay.Any(g => g.Position == x.pos && g.Constraint == "key-compatible"));
        Assert.All(kept, x => Assert.True(DescriptorSimilarity.KeysCompatible(x.p.First, x.p.Second), $"{x.p.First} → {x.p.Second}"));
    }
}
