namespace Earworm.Audio.Spectral;

/// <summary>
/// Parameters of the log-mel front end. The defaults are the model input described in
/// DESIGN.md and match <c>shared/data/reference/reference.json</c>.
/// </summary>
/// <remarks>
/// Fixed conventions (not options, because the reference and the content model assume them):
/// <list type="bullet">
/// <item>window length = <see cref="FftSize"/>, periodic Hann (as librosa, scipy
///   <c>get_window('hann', n, fftbins=True)</c> and <c>torch.hann_window(periodic=True)</c>);</item>
/// <item>centred frames: the signal is padded by FftSize/2 on each side in numpy 'reflect' mode
///   (the edge sample is not repeated), so frame t is centred on sample t·hop;</item>
/// <item>power spectrogram |X|² (power = 2), no normalisation of the STFT;</item>
/// <item>Slaney mel scale (linear below 1 kHz, logarithmic above) with Slaney area normalisation
///   (librosa <c>htk=False, norm='slaney'</c>; torchaudio <c>mel_scale='slaney', norm='slaney'</c>);</item>
/// <item>decibels: 10·log10(max(S, <see cref="AminPower"/>)) with ref = 1 and no top_db clipping
///   (librosa <c>power_to_db(S, ref=1, amin, top_db=None)</c>).</item>
/// </list>
/// </remarks>
public sealed record LogMelOptions
{
    /// <summary>The defaults: 22 050 Hz, n_fft 1024, hop 512, 128 bands from 0 to 11 025 Hz.</summary>
    public static LogMelOptions Default { get; } = new();

    /// <summary>Sample rate of the input PCM in Hz. Default 22 050.</summary>
    public int SampleRate { get; init; } = 22050;

    /// <summary>FFT size and window length in samples; a power of two ≥ 16. Default 1024.</summary>
    public int FftSize { get; init; } = 1024;

    /// <summary>Hop between frame centres in samples; ≥ 1. Default 512.</summary>
    public int HopLength { get; init; } = 512;

    /// <summary>Number of mel bands (output rows). Default 128.</summary>
    public int MelBands { get; init; } = 128;

    /// <summary>Lower edge of the lowest mel filter in Hz. Default 0.</summary>
    public double FMinHz { get; init; }

    /// <summary>Upper edge of the highest mel filter in Hz; at most SampleRate/2. Default 11 025.</summary>
    public double FMaxHz { get; init; } = 11025;

    /// <summary>Floor applied to the mel power before the logarithm; 1e-10 gives a floor of −100 dB.</summary>
    public double AminPower { get; init; } = 1e-10;

    /// <summary>Number of frequency bins of the power spectrum, FftSize/2 + 1.</summary>
    public int FrequencyBins => FftSize / 2 + 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (SampleRate <= 0)
            throw new ArgumentException($"SampleRate must be positive, got {SampleRate} Hz.");
        if (FftSize < 16 || (FftSize & (FftSize - 1)) != 0)
            throw new ArgumentException($"FftSize must be a power of two ≥ 16, got {FftSize}.");
        if (HopLength < 1)
            throw new ArgumentException($"HopLength must be at least 1 sample, got {HopLength}.");
        if (MelBands < 1)
            throw new ArgumentException($"MelBands must be at least 1, got {MelBands}.");
        if (!double.IsFinite(FMinHz) || FMinHz < 0)
            throw new ArgumentException($"FMinHz must be a finite frequency ≥ 0 Hz, got {FMinHz}.");
        if (!double.IsFinite(FMaxHz) || FMaxHz <= FMinHz)
            throw new ArgumentException($"FMaxHz must be greater than FMinHz ({FMinHz} Hz), got {FMaxHz}.");
        if (FMaxHz > SampleRate / 2.0)
            throw new ArgumentException(
                $"FMaxHz {FMaxHz} Hz is above the Nyquist frequency {SampleRate / 2.0} Hz of SampleRate {SampleRate}; set FMaxHz with SampleRate.");
        if (!double.IsFinite(AminPower) || AminPower <= 0)
            throw new ArgumentException($"AminPower must be a finite positive power, got {AminPower}.");
    }
}
