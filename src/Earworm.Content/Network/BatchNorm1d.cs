using Earworm.Content.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Network;

/// <summary>
/// Batch normalisation over the channels of <c>(B, C, T)</c> (Ioffe &amp; Szegedy 2015), as <c>nn.BatchNorm1d</c> with
/// PyTorch's defaults (momentum 0.1, ε 1e-5, affine, running statistics) and the same parameter and buffer names, so
/// saved weights load into either. Its own because TorchSharp's forward bumps <c>num_batches_tracked</c> with
/// <c>add_(1)</c>, whose implicit <c>Scalar</c> the garbage collector may finalise while the native call still reads
/// it: a training run failed once with "Unknown scalar type" inside it. Here the counter's increment is a scalar that
/// lives as long as the process (<see cref="LiveScalars"/>), and the rest is the functional batch norm, which takes
/// plain doubles.
/// </summary>
internal sealed class BatchNorm1d : nn.Module<Tensor, Tensor>
{
    private const double Momentum = 0.1, Epsilon = 1e-5;

#pragma warning disable IDE0052, IDE1006 // registered by name, read by the state dictionary
    private readonly TorchSharp.Modules.Parameter weight;
    private readonly TorchSharp.Modules.Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor num_batches_tracked;
#pragma warning restore IDE0052, IDE1006

    public BatchNorm1d(long channels) : base(nameof(BatchNorm1d))
    {
        weight = new TorchSharp.Modules.Parameter(ones(channels));
        bias = new TorchSharp.Modules.Parameter(zeros(channels));
        running_mean = zeros(channels);
        running_var = ones(channels);
        num_batches_tracked = tensor(0L);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (training)
            using (no_grad()) num_batches_tracked.add_(LiveScalars.One, LiveScalars.One);
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Epsilon);
    }
}
