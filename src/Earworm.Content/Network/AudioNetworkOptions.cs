using System.Text.Json.Serialization;

namespace Earworm.Content.Network;

/// <summary>
/// The shape of the content network (Dieleman 2014; van den Oord, Dieleman &amp; Schrauwen, NIPS 2013): 1-D
/// convolutions over time on log-mel input, global temporal pooling, dense layers, an L2-normalised output.
/// The defaults are the anchors' "small" variant on 4-second crops, scaled to a 2-core CPU: about 0.9 M
/// parameters and 20 MFLOP per crop, so an epoch over a thousand-track library takes minutes, not hours.
/// <see cref="Full"/> is the paper-sized network of the benchmark (9.4 M parameters on 599 frames).
/// </summary>
public sealed record AudioNetworkOptions
{
    /// <summary>Mel bands of the input (the excerpt cache's 128).</summary>
    public int MelBands { get; init; } = 128;

    /// <summary>Frames T per input crop. Default 172 ≈ 4.0 s at 22 050 Hz, hop 512 (23.2 ms per frame); the cache's
    /// 10 s windows hold 431 frames, the anchors' clips 599.</summary>
    public int Frames { get; init; } = 172;

    /// <summary>Output channels of the four convolutions (filter length <see cref="KernelSize"/>). Default 64/128/128/256.</summary>
    public int[] Channels { get; init; } = [64, 128, 128, 256];

    /// <summary>Filter length of every convolution, in frames (4, as Dieleman).</summary>
    public int KernelSize { get; init; } = 4;

    /// <summary>Max-pooling after the first three convolutions (4 then 2 then 2); none after the last.</summary>
    public int[] Pools { get; init; } = [4, 2, 2];

    /// <summary>Widths of the hidden dense layers (ReLU, then dropout). Default two of 512.</summary>
    public int[] Dense { get; init; } = [512, 512];

    /// <summary>Dropout after each hidden dense layer (training only). Default 0.5.</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Output dimensions D (the target space's: CF factors, track2vec vectors; 64 for contrastive).</summary>
    public int OutputDims { get; init; } = 64;

    /// <summary>Batch normalisation after each convolution (before ReLU). Off by default, as the paper.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>The paper-sized network of the benchmark anchors (channels 256/256/512/512, dense 2048 ×2, 40 outputs,
    /// 599 frames).</summary>
    public static AudioNetworkOptions Full { get; } = new()
    {
        Frames = 599, Channels = [256, 256, 512, 512], Dense = [2048, 2048], OutputDims = 40,
    };

    /// <summary>The anchors' small variant on their 599-frame clips.</summary>
    public static AudioNetworkOptions Small { get; } = new() { Frames = 599, OutputDims = 40 };

    /// <summary>Time steps left after the convolutions and pools for an input of <paramref name="frames"/> frames.</summary>
    public int StepsAfterConvolutions(int frames)
    {
        int t = frames;
        for (int i = 0; i < Channels.Length; i++)
        {
            t -= KernelSize - 1;
            if (i < Pools.Length) t /= Pools[i];
        }
        return t;
    }

    /// <summary>The smallest input length the network accepts (at least one step after the convolutions).</summary>
    [JsonIgnore]
    public int MinimumFrames
    {
        get
        {
            int t = KernelSize;
            while (StepsAfterConvolutions(t) < 1) t++;
            return t;
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (MelBands < 1) throw new ArgumentException($"MelBands must be positive, got {MelBands}.");
        if (KernelSize < 1) throw new ArgumentException($"KernelSize must be positive, got {KernelSize}.");
        if (Channels is null || Channels.Length == 0 || Channels.Any(c => c < 1))
            throw new ArgumentException("Channels must name at least one positive width.");
        if (Pools is null || Pools.Length > Channels.Length || Pools.Any(p => p < 1))
            throw new ArgumentException("Pools must be positive, at most one per convolution.");
        if (Dense is null || Dense.Any(d => d < 1)) throw new ArgumentException("Dense widths must be positive.");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) throw new ArgumentException($"Dropout must lie in [0, 1), got {Dropout}.");
        if (OutputDims < 1) throw new ArgumentException($"OutputDims must be positive, got {OutputDims}.");
        if (StepsAfterConvolutions(Frames) < 1)
            throw new ArgumentException($"Frames {Frames} is too short for the convolutions and pools (at least {MinimumFrames}).");
    }
}
