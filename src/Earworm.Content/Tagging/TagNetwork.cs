using System.Text.Json.Serialization;
using Earworm.Content.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Earworm.Content.Tagging;

/// <summary>
/// The shape of the instrument-tagging network (<see cref="TagNetwork"/>): timbre filters over a log-mel spectrogram
/// (Pons et al. 2017/2018: tall in frequency, short in time, max-pooled over frequency so a sound is heard at any pitch),
/// max-pooled over the whole range or over a few regions of it (the register), a short stack of 1-D convolutions over time, pooling over time (mean and max: Choi et al. 2016), a sigmoid per tag.
/// The defaults (≈ 0.1 M weights) cost about 12 M multiply-adds per second of audio.
/// </summary>
public sealed record TagNetworkOptions
{
    /// <summary>Mel bands of the input (the excerpt cache's 128).</summary>
    public int MelBands { get; init; } = 128;

    /// <summary>Adjacent mel bands averaged (in dB) before the filters: 2 halves 128 bands to 64.</summary>
    public int BandPool { get; init; } = 2;

    /// <summary>Each timbre branch's filter height, as a share of the (pooled) bands: 0.7 hears a whole spectral
    /// envelope, 0.3 a few harmonics.</summary>
    public double[] FilterHeights { get; init; } = [0.7, 0.3];

    /// <summary>Per branch, the frequency regions its maxima are taken over: 1 hears a sound at any pitch; 3 keeps the
    /// register (low, middle, high), which tells a bass from a lead.</summary>
    public int[] Regions { get; init; } = [1, 3];

    /// <summary>Filter width in frames (short: timbre, not rhythm).</summary>
    public int FilterWidth { get; init; } = 3;

    /// <summary>The timbre filters' hop in frames (2: one every 46 ms, half the cost of every frame).</summary>
    public int TimeStride { get; init; } = 2;

    /// <summary>Filters per timbre branch.</summary>
    public int Filters { get; init; } = 48;

    /// <summary>Channels of the 1-D convolutions over time (filter length 3, max-pooling 2 after each but the last).</summary>
    public int[] Temporal { get; init; } = [128, 128];

    /// <summary>Hidden units of the dense layer before the output.</summary>
    public int Hidden { get; init; } = 128;

    public double Dropout { get; init; } = 0.3;

    /// <summary>How each input is levelled before the filters, beyond the fixed normalisation fitted on the training data:
    /// null, nothing; <c>level</c>, its own mean (over bands and time) taken away, so a loud and a soft rendering read
    /// alike; <c>band</c>, each band's own mean over time taken away, so a soundfont's colouring (its equalisation and
    /// reverb) is gone, leaving how the spectrum moves.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InputNorm { get; init; }

    /// <summary>Tags (outputs).</summary>
    public int Tags { get; init; } = 17;

    /// <summary>Bands after pooling.</summary>
    [JsonIgnore]
    public int PooledBands => MelBands / BandPool;

    /// <summary>A branch's filter height in pooled bands.</summary>
    public int Height(int branch) => Math.Clamp((int)Math.Round(FilterHeights[branch] * PooledBands), 1, PooledBands);

    /// <summary>The shortest input (frames) the network reads.</summary>
    [JsonIgnore]
    public int MinimumFrames
    {
        get
        {
            for (int frames = FilterWidth; ; frames++)
                if (StepsAfterConvolutions(frames) >= 1) return frames;
        }
    }

    /// <summary>Time steps left after the convolutions and pools for an input of <paramref name="frames"/> frames.</summary>
    public int StepsAfterConvolutions(int frames)
    {
        if (frames < FilterWidth) return 0;
        int t = (frames - FilterWidth) / TimeStride + 1;
        for (int i = 0; i < Temporal.Length; i++)
        {
            t -= 2;
            if (t < 1) return 0;
            if (i + 1 < Temporal.Length) t /= 2;
        }
        return t;
    }

    /// <exception cref="UsageException">a value out of range, named.</exception>
    public TagNetworkOptions Validated()
    {
        if (MelBands < 8) throw new UsageException($"the tag network needs at least 8 mel bands, got {MelBands}");
        if (BandPool < 1 || MelBands % BandPool != 0) throw new UsageException($"band pooling {BandPool} must divide {MelBands} bands");
        if (FilterHeights is null || FilterHeights.Length == 0 || FilterHeights.Any(h => h is <= 0 or > 1))
            throw new UsageException("filter heights are shares of the bands in (0, 1]");
        if (Regions is null || Regions.Length != FilterHeights.Length)
            throw new UsageException($"one count of frequency regions per filter height ({FilterHeights.Length}), got {Regions?.Length ?? 0}");
        for (int b = 0; b < Regions.Length; b++)
            if (Regions[b] < 1 || Regions[b] > PooledBands - Height(b) + 1)
                throw new UsageException($"branch {b + 1} has {PooledBands - Height(b) + 1} filter positions in frequency; {Regions[b]} regions do not fit");
        if (TimeStride < 1) throw new UsageException($"the timbre filters' hop must be at least 1 frame, got {TimeStride}");
        if (FilterWidth < 1 || Filters < 1 || Hidden < 1 || Tags < 1) throw new UsageException("filter width, filters, hidden units and tags must be positive");
        if (Temporal is null || Temporal.Any(c => c < 1)) throw new UsageException("temporal channels must be positive");
        if (Dropout is < 0 or >= 1) throw new UsageException($"--dropout must lie in [0, 1), got {Dropout}");
        if (InputNorm is not (null or "level" or "band")) throw new UsageException($"--input-norm is level or band, got {InputNorm}");
        return this;
    }
}

/// <summary>
/// An instrument tagger that listens to the log-mel spectrogram itself (not to an embedding trained for something else).
/// Input <c>[shape=(B, n_mels, T)]</c> in dB, as the excerpt cache stores it (normalised inside by <c>input_mean</c> and
/// <c>input_scale</c>, fitted on the training data); output <c>(B, tags)</c> logits. Any T ≥
/// <see cref="TagNetworkOptions.MinimumFrames"/> is read: the pooling over time is global, so a crop, a cached window or a
/// whole clip goes through alike.
/// </summary>
public sealed class TagNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _timbre;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _timbreNorm;
    private readonly Sequential _temporal;
    private readonly Sequential _head;
#pragma warning disable IDE1006 // buffers are registered by name
    private readonly Tensor input_mean;
    private readonly Tensor input_scale;
#pragma warning restore IDE1006

    public TagNetwork(TagNetworkOptions options) : base(nameof(TagNetwork))
    {
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        _timbre = new ModuleList<nn.Module<Tensor, Tensor>>();
        _timbreNorm = new ModuleList<nn.Module<Tensor, Tensor>>();
        for (int b = 0; b < options.FilterHeights.Length; b++)
        {
            _timbre.Add(nn.Conv2d(1, options.Filters, (options.Height(b), options.FilterWidth), stride: (1, options.TimeStride)));
            _timbreNorm.Add(new Network.BatchNorm1d((long)options.Filters * options.Regions[b]));
        }
        var temporal = new List<(string, nn.Module<Tensor, Tensor>)>();
        long channels = (long)options.Filters * options.Regions.Sum();
        for (int i = 0; i < options.Temporal.Length; i++)
        {
            temporal.Add(($"conv{i + 1}", nn.Conv1d(channels, options.Temporal[i], 3)));
            temporal.Add(($"bn{i + 1}", new Network.BatchNorm1d(options.Temporal[i])));
            temporal.Add(($"relu{i + 1}", nn.ReLU()));
            if (i + 1 < options.Temporal.Length) temporal.Add(($"pool{i + 1}", nn.MaxPool1d(2)));
            channels = options.Temporal[i];
        }
        _temporal = nn.Sequential(temporal);
        _head = nn.Sequential(
            ("drop1", nn.Dropout(options.Dropout)),
            ("dense", nn.Linear(2 * channels, options.Hidden)),
            ("relu", nn.ReLU()),
            ("drop2", nn.Dropout(options.Dropout)),
            ("output", nn.Linear(options.Hidden, options.Tags)));
        input_mean = zeros(1);
        input_scale = ones(1);
        RegisterComponents();
    }

    public TagNetworkOptions Options { get; }

    /// <summary>The input normalisation: <c>(x − mean) · scale</c>, one mean and scale over all bands.</summary>
    public (float Mean, float Scale) InputNormalisation
    {
        get => (input_mean.item<float>(), input_scale.item<float>());
        set
        {
            using var _ = no_grad();
            input_mean.fill_(value.Mean);
            input_scale.fill_(value.Scale);
        }
    }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary><c>(B, n_mels, T)</c> → <c>(B, tags)</c> logits.</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] != Options.MelBands)
            throw new ArgumentException($"expected input (B, {Options.MelBands}, T), got ({string.Join(", ", input.shape)})", nameof(input));
        if (input.shape[2] < Options.MinimumFrames)
            throw new ArgumentException($"the tag network reads at least {Options.MinimumFrames} frames, got {input.shape[2]}", nameof(input));
        using var scope = NewDisposeScope();
        long batch = input.shape[0], frames = input.shape[2];
        var x = (input - input_mean) * input_scale;
        if (Options.InputNorm == "level") x = x - x.mean([1, 2], keepdim: true);
        else if (Options.InputNorm == "band") x = x - x.mean([2], keepdim: true);
        if (Options.BandPool > 1) x = x.view(batch, Options.PooledBands, Options.BandPool, frames).mean([2]);
        var image = x.unsqueeze(1);                                           // (B, 1, F, T)
        var branches = new List<Tensor>();
        for (int b = 0; b < _timbre.Count; b++)
        {
            var maps = _timbre[b].forward(image);                             // (B, C, F', T')
            long positions = maps.shape[2];
            int regions = Options.Regions[b];
            var maxima = new List<Tensor>();                                  // max over each frequency region: (B, C, T') each
            for (int r = 0; r < regions; r++)
            {
                long from = positions * r / regions, to = positions * (r + 1) / regions;
                maxima.Add(maps.narrow(2, from, to - from).amax([2]));
            }
            var pooled = regions == 1 ? maxima[0] : cat(maxima, 1);
            branches.Add(nn.functional.relu(_timbreNorm[b].forward(pooled)));
        }
        var h = _temporal.forward(cat(branches, 1));
        var summary = cat([h.mean([2]), h.amax([2])], 1);
        return _head.forward(summary).MoveToOuterDisposeScope();
    }
}
