using Earworm.Content.Sequences;
using static TorchSharp.torch;

namespace Earworm.Content.Tests.Sequences;

public sealed class HalfWordDropoutTests
{
    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.05)]
    public void TrainingZeroesTheRateAndScalesTheRestAndTheGradientFollowsTheMask(double p)
    {
        Torch.Load();
        using var scope = NewDisposeScope();
        using var dropout = new HalfWordDropout(p);
        dropout.train();
        manual_seed(11);
        // an odd count: the last draw decides one element only
        var x = ones(3, 101, 331).requires_grad_();
        var y = dropout.forward(x);
        y.sum().backward();
        var values = y.detach().flatten().data<float>().ToArray();
        double dropped = values.Count(v => v == 0) / (double)values.Length;
        // 100 293 elements: the rate's standard error is at most 0.0016
        Assert.InRange(dropped, p - 0.008, p + 0.008);
        float scale = (float)(1 / (1 - p));
        Assert.All(values, v => Assert.True(v == 0 || Math.Abs(v - scale) < 1e-5f, $"{v} is neither 0 nor {scale}"));
        Assert.Equal(values, x.grad!.flatten().data<float>().ToArray());
        // the low and the high half of a draw decide independently: as often both kept as chance says
        var keep = values.Select(v => v != 0).ToArray();
        int pairs = keep.Length / 2, both = Enumerable.Range(0, pairs).Count(i => keep[i] && keep[i + (keep.Length + 1) / 2]);
        Assert.InRange(both / (double)pairs, (1 - p) * (1 - p) - 0.01, (1 - p) * (1 - p) + 0.01);
    }

    [Fact]
    public void TheSeedFixesTheMaskAndEvaluationIsTheIdentity()
    {
        Torch.Load();
        using var scope = NewDisposeScope();
        using var dropout = new HalfWordDropout(0.3);
        var x = rand(64, 50);
        dropout.train();
        manual_seed(5);
        var first = dropout.forward(x).data<float>().ToArray();
        manual_seed(5);
        var again = dropout.forward(x).data<float>().ToArray();
        var next = dropout.forward(x).data<float>().ToArray();
        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        dropout.eval();
        Assert.Equal(x.data<float>().ToArray(), dropout.forward(x).data<float>().ToArray());
        Assert.Equal(0.3, dropout.EffectiveRate, 4);
    }
}
