using Earworm.Content.Native;
using static TorchSharp.torch;

namespace Earworm.Content.Sequences;

/// <summary>
/// Inverted dropout (zero each element with probability <c>p</c> while training, scale the rest by 1 / (1 − p); the
/// identity in evaluation) whose keep-mask costs a quarter of the random draws of <c>nn.Dropout</c>'s: libtorch draws a
/// dropout mask one element at a time, each from a 64-bit draw (two of its Mersenne Twister's), which was a fifth of
/// SASRec's training step on the CPU. Here each 32-bit draw of the same generator decides two elements, one by its low
/// and one by its high 16 bits, so <c>p</c> is kept to 1 / 65 536 and a seed (<c>torch.manual_seed</c>) still fixes
/// every mask.
/// </summary>
public sealed class HalfWordDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _p;
    private readonly int _lowThreshold, _highThreshold;

    public HalfWordDropout(double p) : base(nameof(HalfWordDropout))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, 1.0);
        _p = p;
        // an element is kept when its 16 bits, read as 0…65 535, are at least the threshold: probability 1 − t / 65 536
        int t = (int)Math.Round(p * 65_536, MidpointRounding.AwayFromZero);
        _lowThreshold = t;
        // the high half of a signed 32-bit draw r is at least t − 32 768 exactly when r ≥ (t − 32 768) · 65 536
        _highThreshold = (t - 32_768) * 65_536;
        RegisterComponents();
    }

    /// <summary>The rate the mask keeps to: <c>p</c> rounded to a multiple of 1 / 65 536.</summary>
    public double EffectiveRate => _lowThreshold / 65_536.0;

    public override Tensor forward(Tensor x)
    {
        if (!training || _p == 0) return x.alias();
        using var scope = NewDisposeScope();
        long n = x.numel(), draws = (n + 1) / 2;
        // uniform over the 32-bit integers but for the largest (a 2⁻³² bias): one generator draw each
        var bits = randint(int.MinValue, int.MaxValue, [draws], dtype: ScalarType.Int32);
        var low = bits.bitwise_and(tensor(0xFFFF)).ge(LiveScalars.Of(_lowThreshold));
        var high = bits.ge(LiveScalars.Of(_highThreshold));
        var keep = cat([low, high]).narrow(0, 0, n).view(x.shape);
        return x.mul(keep).mul_(LiveScalars.Of(1 / (1 - _p))).MoveToOuterDisposeScope();
    }
}
