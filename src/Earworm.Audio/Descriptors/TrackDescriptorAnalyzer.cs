namespace Earworm.Audio.Descriptors;

/// <summary>
/// Computes a track's <see cref="TrackDescriptors"/> in one streaming pass over its mono PCM, so
/// the scanner can feed it the chunks it already decodes (no second decode, no whole-track buffer).
/// </summary>
/// <remarks>
/// <para>Chunks of any size are re-cut into fixed blocks of <see cref="BlockLength"/> samples at fixed
/// positions, so every module sees the same calls however the caller chunks the stream and the
/// result does not depend on the chunking (tested bit for bit). Each block goes to:</para>
/// <list type="bullet">
/// <item><see cref="SignalStatistics"/> (RMS, zero-crossing rate) and
///   <see cref="DanceabilityDfa"/> (10 ms deviations);</item>
/// <item><see cref="LoudnessMeter"/> (K-weighting, 100 ms sub-block energies → LUFS, LRA, dynamic complexity);</item>
/// <item><see cref="SpectralStatistics"/>: one FFT per 2048-sample frame shared by centroid, flatness and MFCCs;</item>
/// <item>a <see cref="Decimator"/> to about 5.5 kHz, whose output feeds <see cref="OnsetEnvelope"/>
///   (tempo, beats, onset rate) and <see cref="ChromaAccumulator"/> (key): both need only the band
///   below 2.7 kHz, and at a quarter of the rate their FFTs cost a quarter.</item>
/// </list>
/// <para>What is kept grows only by a few hundred numbers per second of audio (onset envelope,
/// sub-block energies, 10 ms deviations). Construct one analyzer per track and per worker;
/// not thread-safe. <see cref="Result"/> ends the stream.</para>
/// </remarks>
public sealed class TrackDescriptorAnalyzer
{
    /// <summary>The fixed block length the input is re-cut into, samples.</summary>
    public const int BlockLength = 4096;

    private readonly TrackDescriptorOptions _options;
    private readonly float[] _block = new float[BlockLength];
    private readonly float[] _decimated;
    private int _blockFill;
    private readonly SignalStatistics _signal;
    private readonly DanceabilityDfa _dfa;
    private readonly LoudnessMeter _loudness;
    private readonly SpectralStatistics _spectral;
    private readonly Decimator _decimator;
    private readonly OnsetEnvelope _onsets;
    private readonly ChromaAccumulator _chroma;
    private TrackDescriptors? _result;

    /// <summary>An analyzer with <paramref name="options"/> (validated), or the 22 050 Hz defaults.</summary>
    public TrackDescriptorAnalyzer(TrackDescriptorOptions? options = null)
    {
        _options = options ?? TrackDescriptorOptions.Default;
        _options.Validate();
        int sr = _options.SampleRate;
        _signal = new SignalStatistics(sr);
        _dfa = new DanceabilityDfa(sr);
        _loudness = new LoudnessMeter(sr);
        _spectral = new SpectralStatistics(sr, _options.SpectralFftSize, _options.SpectralHop, _options.MelBands,
            _options.MfccCount, _options.FlatnessMinHz, _options.FlatnessMaxHz);
        _decimator = new Decimator(_options.DecimationFactor);
        _decimated = new float[_decimator.MaxOutputLength(BlockLength)];
        double decimatedRate = _options.DecimatedSampleRate;
        _onsets = new OnsetEnvelope(decimatedRate, _options.OnsetFftSize, _options.OnsetHop, _options.OnsetMelBands);
        _chroma = new ChromaAccumulator(decimatedRate, _options.ChromaFftSize, _options.ChromaHop, _options.ChromaMinHz, _options.ChromaMaxHz);
    }

    /// <summary>The options in use.</summary>
    public TrackDescriptorOptions Options => _options;

    /// <summary>Samples pushed so far.</summary>
    public long SampleCount { get; private set; }

    /// <summary>Descriptors of <paramref name="samples"/> (mono, at <paramref name="sampleRate"/> Hz) in one call.</summary>
    public static TrackDescriptors Analyze(ReadOnlySpan<float> samples, int sampleRate)
    {
        var analyzer = new TrackDescriptorAnalyzer(TrackDescriptorOptions.ForSampleRate(sampleRate));
        analyzer.Push(samples);
        return analyzer.Result();
    }

    /// <summary>Feeds the next chunk of mono PCM (any length, nominally in [−1, 1]).</summary>
    /// <exception cref="InvalidOperationException">After <see cref="Result"/>.</exception>
    public void Push(ReadOnlySpan<float> monoChunk)
    {
        if (_result is not null) throw new InvalidOperationException("Result() has ended this stream; use a new analyzer for another track.");
        SampleCount += monoChunk.Length;
        while (!monoChunk.IsEmpty)
        {
            if (_blockFill == 0 && monoChunk.Length >= BlockLength)
            {
                ProcessBlock(monoChunk[..BlockLength]);
                monoChunk = monoChunk[BlockLength..];
                continue;
            }
            int take = Math.Min(BlockLength - _blockFill, monoChunk.Length);
            monoChunk[..take].CopyTo(_block.AsSpan(_blockFill));
            _blockFill += take;
            monoChunk = monoChunk[take..];
            if (_blockFill == BlockLength)
            {
                ProcessBlock(_block);
                _blockFill = 0;
            }
        }
    }

    /// <summary>Ends the stream and returns the descriptors (the same object on later calls).</summary>
    public TrackDescriptors Result()
    {
        if (_result is not null) return _result;
        if (_blockFill > 0) ProcessBlock(_block.AsSpan(0, _blockFill));
        _blockFill = 0;
        int tail = _decimator.Flush(_decimated);
        _onsets.Push(_decimated.AsSpan(0, tail));
        _chroma.Push(_decimated.AsSpan(0, tail));
        _onsets.Finish();
        _chroma.Finish();
        _spectral.Finish();
        _result = Compose();
        return _result;
    }

    private void ProcessBlock(ReadOnlySpan<float> block)
    {
        _signal.Push(block);
        _dfa.Push(block);
        _loudness.Push(block);
        _spectral.Push(block);
        int n = _decimator.Process(block, _decimated);
        var decimated = _decimated.AsSpan(0, n);
        _onsets.Push(decimated);
        _chroma.Push(decimated);
    }

    private TrackDescriptors Compose()
    {
        var signal = _signal.Result();
        var loudness = _loudness.Result();
        double duration = SampleCount / (double)_options.SampleRate;
        // Silent: all zero, or below the absolute gate as a whole (a clip shorter than one 400 ms
        // block has no integrated loudness but is not silent for that).
        bool silent = signal.RmsDbfs is null || !(loudness.UngatedLufs > LoudnessMeter.AbsoluteGateLufs)
            || (loudness.IntegratedLufs is null && loudness.MomentaryBlockCount > 0);
        int mfccs = _options.MfccCount;
        if (silent)
        {
            return new TrackDescriptors
            {
                DurationSeconds = duration,
                SampleRateHz = _options.SampleRate,
                IsSilent = true,
                RmsDbfs = signal.RmsDbfs,
                ZeroCrossingsPerSecond = signal.ZeroCrossingsPerSecond,
                MfccMeans = new double[mfccs],
                MfccStandardDeviations = new double[mfccs],
            };
        }

        var envelope = _onsets.ToArray();
        double fps = _onsets.FramesPerSecond;
        var tempo = TempoEstimator.Estimate(envelope, fps, _options.Tempo);
        var beats = tempo is null ? [] : BeatTracker.Track(envelope, fps, tempo.Bpm, _options.BeatTightness);
        int onsetCount = OnsetPicker.Pick(envelope, fps).Length;
        double onsetsPerSecond = duration > 0 ? onsetCount / duration : 0;
        double meanFluxDb = envelope.Length > 0 ? envelope.Average() : 0;
        var key = KeyEstimator.Estimate(_chroma.Result(), _options.KeyProfile);
        var spectral = _spectral.Result();
        var dance = _dfa.Result();
        double energy = Descriptors.Energy.Combine(
            Descriptors.Energy.Parts(loudness.IntegratedLufs, spectral.CentroidHz, spectral.Flatness, onsetsPerSecond, meanFluxDb, _options.Energy), _options.Energy);

        return new TrackDescriptors
        {
            DurationSeconds = duration,
            SampleRateHz = _options.SampleRate,
            IsSilent = false,
            TempoBpm = tempo?.Bpm,
            TempoConfidence = tempo?.Confidence ?? 0,
            BeatTimesSeconds = beats,
            KeyTonic = key?.Tonic,
            KeyMode = key?.Mode,
            KeyConfidence = key?.Confidence ?? 0,
            IntegratedLoudnessLufs = loudness.IntegratedLufs,
            LoudnessRangeLu = loudness.LoudnessRangeLu,
            RmsDbfs = signal.RmsDbfs,
            Energy = energy,
            Danceability = dance.Danceability,
            SpectralCentroidHz = spectral.CentroidHz,
            SpectralFlatness = spectral.Flatness,
            ZeroCrossingsPerSecond = signal.ZeroCrossingsPerSecond,
            OnsetsPerSecond = onsetsPerSecond,
            DynamicComplexityLu = loudness.DynamicComplexityLu,
            MfccMeans = spectral.MfccMeans,
            MfccStandardDeviations = spectral.MfccStandardDeviations,
        };
    }
}
