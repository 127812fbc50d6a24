namespace Earworm.Audio.Spectral;

/// <summary>
/// Triangular mel filters on the Slaney scale with Slaney area normalisation, exactly as
/// <c>librosa.filters.mel(htk=False, norm='slaney')</c> and torchaudio
/// <c>melscale_fbanks(mel_scale='slaney', norm='slaney')</c>: n_mels + 2 points equally spaced in
/// mel between fmin and fmax; filter m rises from point m to m+1 and falls to m+2 over the FFT bin
/// frequencies k·sr/n_fft, and is scaled by 2 / (f[m+2] − f[m]) so each has unit area in Hz.
/// </summary>
/// <remarks>
/// The dense matrix has shape [n_freqs = n_fft/2 + 1][n_mels]; it is stored sparsely, one run of
/// nonzero weights per band, so <see cref="Apply"/> costs only the nonzeros (about 2·n_freqs).
/// Immutable once built, so one instance may be shared between threads.
/// </remarks>
public sealed class MelFilterbank
{
    // Slaney's Auditory Toolbox scale, as librosa.hz_to_mel(htk=False).
    private const double LinearHzPerMel = 200.0 / 3;
    private const double LogStartHz = 1000.0;
    private const double LogStartMel = LogStartHz / LinearHzPerMel; // 15
    private static readonly double LogStepPerMel = Math.Log(6.4) / 27.0;

    private readonly int[] _firstBin;   // per band: first bin with a nonzero weight
    private readonly int[] _offset;     // per band: start of its run in _weights; _offset[n_mels] = total
    private readonly double[] _weights; // all bands' runs, contiguous

    /// <summary>Builds the filters for <paramref name="options"/> (validated first).</summary>
    public MelFilterbank(LogMelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        BandCount = options.MelBands;
        FrequencyBins = options.FrequencyBins;

        // Band edges in Hz: n_mels + 2 points equally spaced in mel (librosa.mel_frequencies).
        double melLo = HzToMel(options.FMinHz), melHi = HzToMel(options.FMaxHz);
        var edgesHz = new double[BandCount + 2];
        for (int i = 0; i < edgesHz.Length; i++)
            edgesHz[i] = MelToHz(melLo + (melHi - melLo) * i / (BandCount + 1));

        // Bin centre frequencies, as numpy.linspace(0, sr/2, n_freqs).
        var binHz = new double[FrequencyBins];
        for (int k = 0; k < FrequencyBins; k++) binHz[k] = (double)options.SampleRate / 2 * k / (FrequencyBins - 1);

        _firstBin = new int[BandCount];
        _offset = new int[BandCount + 1];
        var runs = new List<double>(2 * FrequencyBins);
        for (int m = 0; m < BandCount; m++)
        {
            double lower = edgesHz[m], centre = edgesHz[m + 1], upper = edgesHz[m + 2];
            double enorm = 2.0 / (upper - lower);
            int first = -1;
            int last = -1;
            var weights = new double[FrequencyBins];
            for (int k = 0; k < FrequencyBins; k++)
            {
                // Same expression and order as librosa: max(0, min(rising, falling)).
                double rising = (binHz[k] - lower) / (centre - lower);
                double falling = (upper - binHz[k]) / (upper - centre);
                double w = Math.Max(0, Math.Min(rising, falling)) * enorm;
                weights[k] = w;
                if (w > 0)
                {
                    if (first < 0) first = k;
                    last = k;
                }
            }
            _offset[m] = runs.Count;
            _firstBin[m] = Math.Max(first, 0);
            for (int k = first; first >= 0 && k <= last; k++) runs.Add(weights[k]);
        }
        _offset[BandCount] = runs.Count;
        _weights = runs.ToArray();
    }

    /// <summary>Number of mel bands (n_mels).</summary>
    public int BandCount { get; }

    /// <summary>Number of FFT bins the filters span (n_fft/2 + 1).</summary>
    public int FrequencyBins { get; }

    /// <summary>Total number of stored (nonzero-run) weights.</summary>
    public int NonzeroCount => _weights.Length;

    /// <summary>Slaney mel of a frequency in Hz (librosa.hz_to_mel, htk=False).</summary>
    public static double HzToMel(double hz) =>
        hz >= LogStartHz ? LogStartMel + Math.Log(hz / LogStartHz) / LogStepPerMel : hz / LinearHzPerMel;

    /// <summary>Frequency in Hz of a Slaney mel value (librosa.mel_to_hz, htk=False).</summary>
    public static double MelToHz(double mel) =>
        mel >= LogStartMel ? LogStartHz * Math.Exp(LogStepPerMel * (mel - LogStartMel)) : mel * LinearHzPerMel;

    /// <summary>First FFT bin where band <paramref name="band"/> is nonzero.</summary>
    public int FirstBin(int band) => _firstBin[band];

    /// <summary>The band's nonzero run of weights, starting at <see cref="FirstBin"/>.</summary>
    public ReadOnlySpan<double> BandWeights(int band) => _weights.AsSpan(_offset[band], _offset[band + 1] - _offset[band]);

    /// <summary>Weight of FFT bin <paramref name="bin"/> in band <paramref name="band"/> (0 outside the run).</summary>
    public double Weight(int bin, int band)
    {
        int i = bin - _firstBin[band];
        int len = _offset[band + 1] - _offset[band];
        return i >= 0 && i < len ? _weights[_offset[band] + i] : 0;
    }

    /// <summary>The dense matrix, row-major [n_freqs][n_mels] (the layout of librosa's fb transposed).</summary>
    public double[] ToDense()
    {
        var dense = new double[FrequencyBins * BandCount];
        for (int m = 0; m < BandCount; m++)
        {
            var run = BandWeights(m);
            for (int i = 0; i < run.Length; i++) dense[(_firstBin[m] + i) * BandCount + m] = run[i];
        }
        return dense;
    }

    /// <summary>mel[m] = Σ_k fb[k][m]·power[k]: projects one power spectrum onto the bands.</summary>
    /// <param name="power">n_freqs values of |X|² (any unit; the result has the same unit).</param>
    /// <param name="mel">n_mels band powers (written).</param>
    public void Apply(ReadOnlySpan<double> power, Span<double> mel)
    {
        if (power.Length < FrequencyBins) throw new ArgumentException($"expected {FrequencyBins} bins, got {power.Length}", nameof(power));
        if (mel.Length < BandCount) throw new ArgumentException($"expected {BandCount} bands, got {mel.Length}", nameof(mel));
        var weights = _weights;
        for (int m = 0; m < BandCount; m++)
        {
            int start = _offset[m];
            var run = weights.AsSpan(start, _offset[m + 1] - start);
            var p = power.Slice(_firstBin[m], run.Length);
            double sum = 0;
            for (int i = 0; i < run.Length; i++) sum += run[i] * p[i];
            mel[m] = sum;
        }
    }
}
