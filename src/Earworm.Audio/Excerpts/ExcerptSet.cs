namespace Earworm.Audio.Excerpts;

/// <summary>
/// The log-mel of one excerpt window: <see cref="Frames"/> centred frames computed from the
/// window's samples alone, starting at track sample <see cref="StartSample"/>.
/// </summary>
/// <param name="StartSample">First sample of the window in the track.</param>
/// <param name="Frames">Number of frames T.</param>
/// <param name="LogMelDb">Log-mel in dB, [shape = (n_mels, T)] row-major: band m of frame t at m·T + t.</param>
public sealed record Excerpt(long StartSample, int Frames, float[] LogMelDb);

/// <summary>
/// A track's cached excerpts with the front-end parameters needed to interpret them
/// (what <see cref="ExcerptCodec"/> stores).
/// </summary>
public sealed class ExcerptSet
{
    /// <summary>Checks that every excerpt holds exactly <paramref name="melBands"/> × Frames values.</summary>
    public ExcerptSet(int sampleRate, int hopLength, int melBands, IReadOnlyList<Excerpt> excerpts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(melBands);
        ArgumentNullException.ThrowIfNull(excerpts);
        long totalFrames = 0;
        for (int i = 0; i < excerpts.Count; i++)
        {
            var e = excerpts[i] ?? throw new ArgumentException($"excerpt {i} is null", nameof(excerpts));
            if (e.StartSample < 0 || e.Frames < 0)
                throw new ArgumentException($"excerpt {i}: start sample {e.StartSample} and frames {e.Frames} must not be negative", nameof(excerpts));
            if (e.LogMelDb is null || e.LogMelDb.Length != (long)melBands * e.Frames)
                throw new ArgumentException(
                    $"excerpt {i}: expected {melBands} bands × {e.Frames} frames = {(long)melBands * e.Frames} values, got {e.LogMelDb?.Length}", nameof(excerpts));
            totalFrames += e.Frames;
        }
        if (totalFrames > int.MaxValue)
            throw new ArgumentException($"{totalFrames} frames in all is more than one set can hold", nameof(excerpts));
        SampleRate = sampleRate;
        HopLength = hopLength;
        MelBands = melBands;
        Excerpts = excerpts;
        TotalFrames = (int)totalFrames;
    }

    /// <summary>Sample rate in Hz of the PCM the log-mel was computed from.</summary>
    public int SampleRate { get; }

    /// <summary>Hop between frames in samples.</summary>
    public int HopLength { get; }

    /// <summary>Number of mel bands (rows of each excerpt).</summary>
    public int MelBands { get; }

    /// <summary>The excerpts, in the order given (the planner's order: by start sample).</summary>
    public IReadOnlyList<Excerpt> Excerpts { get; }

    /// <summary>Sum of the excerpts' frame counts.</summary>
    public int TotalFrames { get; }
}
