using Earworm.Content.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Earworm.Content.Network;

/// <summary>
/// The content network (Dieleman 2014). Input <c>[shape=(B, n_mels, T)]</c>: log-mel in dB, as the excerpt cache
/// stores it (normalised inside by the <c>input_mean</c>/<c>input_scale</c> buffers, fitted on the training data and
/// saved with the weights). Each of the four 1-D convolutions runs over time (filter length 4; mel bands are its
/// input channels), then ReLU (batch-norm before it when asked) and max-pooling 4, 2, 2 after the first three.
/// Global temporal pooling concatenates the mean, the maximum and the L2 norm over time of the last feature maps
/// <c>(B, 3·C₄)</c>; hidden dense layers with ReLU and dropout follow; the output <c>[shape=(B, D)]</c> is
/// L2-normalised. Any T ≥ <see cref="AudioNetworkOptions.MinimumFrames"/> is accepted (the pooling is global).
/// </summary>
public sealed class AudioNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _convolutions;
    private readonly Sequential _head;
    private readonly Tensor input_mean;
    private readonly Tensor input_scale;

    public AudioNetwork(AudioNetworkOptions options) : base(nameof(AudioNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var conv = new List<(string, nn.Module<Tensor, Tensor>)>();
        long inChannels = options.MelBands;
        for (int i = 0; i < options.Channels.Length; i++)
        {
            conv.Add(($"conv{i + 1}", nn.Conv1d(inChannels, options.Channels[i], options.KernelSize)));
            if (options.BatchNorm) conv.Add(($"bn{i + 1}", new BatchNorm1d(options.Channels[i])));
            conv.Add(($"relu{i + 1}", nn.ReLU()));
            if (i < options.Pools.Length && options.Pools[i] > 1) conv.Add(($"pool{i + 1}", nn.MaxPool1d(options.Pools[i])));
            inChannels = options.Channels[i];
        }
        _convolutions = nn.Sequential(conv);
        var head = new List<(string, nn.Module<Tensor, Tensor>)>();
        long width = 3 * inChannels;
        for (int i = 0; i < options.Dense.Length; i++)
        {
            head.Add(($"dense{i + 1}", nn.Linear(width, options.Dense[i])));
            head.Add(($"relu{i + 1}", nn.ReLU()));
            if (options.Dropout > 0) head.Add(($"dropout{i + 1}", nn.Dropout(options.Dropout)));
            width = options.Dense[i];
        }
        head.Add(("output", nn.Linear(width, options.OutputDims)));
        _head = nn.Sequential(head);
        input_mean = torch.zeros(1);
        input_scale = torch.ones(1);
        RegisterComponents();
    }

    public AudioNetworkOptions Options { get; }

    /// <summary>The input normalisation: <c>(x − mean) · scale</c>, a single mean and scale over all bands.</summary>
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

    /// <summary>Number of trainable values.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary><c>(B, n_mels, T)</c> → <c>(B, D)</c>, unit length rows.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = nn.functional.normalize(Unnormalised(input), p: 2, dim: 1);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary><c>(B, n_mels, T)</c> → <c>(B, D)</c>: the output layer's rows before <see cref="forward"/> gives them unit
    /// length (what VICReg's variance and covariance terms need to see).</summary>
    public Tensor Unnormalised(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _head.forward(Pool(Features(input))).MoveToOuterDisposeScope();
    }

    /// <summary>The last convolution's feature maps after ReLU, <c>(B, C₄, T')</c>: what the pooling summarises.</summary>
    public Tensor Features(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] != Options.MelBands)
            throw new ArgumentException($"expected input (B, {Options.MelBands}, T), got ({string.Join(", ", input.shape)})", nameof(input));
        using var scope = NewDisposeScope();
        var x = (input - input_mean) * input_scale;
        return _convolutions.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>For looking inside (Dieleman 2014's "what the filters hear"): the first convolution's feature maps after
    /// its ReLU <c>(B, C₁, T − k + 1)</c>, and the last hidden dense layer's units after its ReLU <c>(B, H)</c> (the output
    /// layer before normalisation when there is no hidden layer). Call in eval mode, where dropout is the identity.</summary>
    public (Tensor FirstConvolution, Tensor LastDense) Activations(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] != Options.MelBands)
            throw new ArgumentException($"expected input (B, {Options.MelBands}, T), got ({string.Join(", ", input.shape)})", nameof(input));
        using var scope = NewDisposeScope();
        var x = (input - input_mean) * input_scale;
        Tensor? first = null;
        foreach (var (name, module) in _convolutions.named_children())
        {
            x = ((nn.Module<Tensor, Tensor>)module).forward(x);
            if (name == "relu1") first = x;
        }
        x = Pool(x);
        var lastName = Options.Dense.Length > 0 ? $"relu{Options.Dense.Length}" : "output";
        Tensor? dense = null;
        foreach (var (name, module) in _head.named_children())
        {
            x = ((nn.Module<Tensor, Tensor>)module).forward(x);
            if (name == lastName) { dense = x; break; }
        }
        return (first!.MoveToOuterDisposeScope(), dense!.MoveToOuterDisposeScope());
    }

    /// <summary>Every convolution block's summary, concatenated <c>(B, 2·ΣCᵢ)</c>: the mean and the maximum over time of each
    /// block's feature maps after its ReLU (before its max-pooling). Transfer learning for music (Choi et al. 2017,
    /// "Transfer learning for music classification and regression tasks") finds the layers together describe music
    /// better than the last alone: the first hear timbre and texture, the last longer patterns.</summary>
    public Tensor BlockSummary(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] != Options.MelBands)
            throw new ArgumentException($"expected input (B, {Options.MelBands}, T), got ({string.Join(", ", input.shape)})", nameof(input));
        using var scope = NewDisposeScope();
        var x = (input - input_mean) * input_scale;
        var parts = new List<Tensor>();
        foreach (var (name, module) in _convolutions.named_children())
        {
            x = ((nn.Module<Tensor, Tensor>)module).forward(x);
            if (name.StartsWith("relu", StringComparison.Ordinal))
            {
                parts.Add(x.mean([2]));
                parts.Add(x.amax([2]));
            }
        }
        return torch.cat(parts, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Global temporal pooling: mean, max and L2 norm over time, concatenated, <c>(B, C, T')</c> → <c>(B, 3C)</c>.</summary>
    public static Tensor Pool(Tensor features)
    {
        using var scope = NewDisposeScope();
        var mean = features.mean([2]);
        var max = features.amax([2]);
        var l2 = (features * features).sum(2).add(LiveScalars.Of(1e-12), LiveScalars.One).sqrt();
        return torch.cat([mean, max, l2], 1).MoveToOuterDisposeScope();
    }
}
