namespace Earworm.Audio.Excerpts;

/// <summary>How much of each track's log-mel spectrogram the excerpt cache keeps.</summary>
public sealed record ExcerptOptions
{
    /// <summary>The defaults: at most 60 s per track, as six 10 s windows for long tracks.</summary>
    public static ExcerptOptions Default { get; } = new();

    /// <summary>Most seconds of audio whose log-mel is stored per track. Default 60.</summary>
    public double BudgetSeconds { get; init; } = 60;

    /// <summary>Length of one excerpt window in seconds when a track is longer than the budget. Default 10.</summary>
    public double WindowSeconds { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (!double.IsFinite(WindowSeconds) || WindowSeconds <= 0)
            throw new ArgumentException($"WindowSeconds must be a finite positive duration, got {WindowSeconds} s.");
        if (!double.IsFinite(BudgetSeconds) || BudgetSeconds < WindowSeconds)
            throw new ArgumentException($"BudgetSeconds must be finite and at least WindowSeconds ({WindowSeconds} s), got {BudgetSeconds} s.");
    }
}
