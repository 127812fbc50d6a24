using Earworm.Audio.Excerpts;
using Earworm.Audio.Spectral;
using Earworm.Audio.Tests.Spectral;

namespace Earworm.Audio.Tests.Excerpts;

public class ExcerptExtractorTests
{
    [Fact]
    public void EachExcerptIsTheLogMelOfItsWindow()
    {
        // A 3 s track with a 1 s budget of 0.5 s windows: two windows, each its own log-mel.
        var options = new ExcerptOptions { BudgetSeconds = 1, WindowSeconds = 0.5 };
        var track = LogMelTests.Noise(3 * 22050, seed: 8);
        var computer = new LogMelComputer(LogMelOptions.Default);
        var set = ExcerptExtractor.Extract(track, computer, options);

        var plan = ExcerptPlanner.Plan(track.Length, 22050, options);
        Assert.Equal((22050, 512, 128), (set.SampleRate, set.HopLength, set.MelBands));
        Assert.Equal(plan.Count, set.Excerpts.Count);
        for (int i = 0; i < plan.Count; i++)
        {
            var e = set.Excerpts[i];
            Assert.Equal(plan[i].StartSample, e.StartSample);
            Assert.Equal(1 + plan[i].SampleCount / 512, e.Frames);
            var expected = LogMel.Compute(track.AsSpan((int)plan[i].StartSample, plan[i].SampleCount), LogMelOptions.Default);
            Assert.Equal(expected, e.LogMelDb);
        }
        Assert.Equal(set.Excerpts.Sum(e => e.Frames), set.TotalFrames);
    }

    [Fact]
    public void AnEmptyTrackGivesAnEmptySet() =>
        Assert.Empty(ExcerptExtractor.Extract([], new LogMelComputer(LogMelOptions.Default), ExcerptOptions.Default).Excerpts);
}
