namespace Earworm.Audio.Excerpts;

/// <summary>A span of a track's samples, [StartSample, StartSample + SampleCount), whose log-mel is cached.</summary>
public readonly record struct ExcerptWindow(long StartSample, int SampleCount)
{
    /// <summary>One past the last sample of the window.</summary>
    public long EndSample => StartSample + SampleCount;
}
