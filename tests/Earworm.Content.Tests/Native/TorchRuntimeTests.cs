using Earworm.Content.Native;
using TorchSharp;

namespace Earworm.Content.Tests.Native;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Loads_and_runs_a_forward_and_backward_pass()
    {
        TorchRuntime.EnsureLoaded();
        // Debian 12's libstdc++ lacks GLIBCXX_3.4.32: the patched copy; a newer host loads TorchSharp's own
        Assert.Matches(@"^(patched copy|host libstdc\+\+ suffices)", TorchRuntime.State);
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1, -2, 3 }).requires_grad_(true);
        var y = (x * x).sum();
        y.backward();
        Assert.Equal(14f, y.item<float>(), 1e-6f);
        Assert.Equal(new float[] { 2, -4, 6 }, x.grad!.data<float>().ToArray());
    }
}
