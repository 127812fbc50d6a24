using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Earworm.Content.Native;

/// <summary>
/// Adam, AdamW and SGD that update as TorchSharp's do (the same arithmetic in the same order, so the same weights to the
/// last bit, and the same state under the same type names, so a checkpoint saved by either loads in the other) with
/// every scalar of the update held alive through libtorch's call. TorchSharp's own step turns its doubles into
/// temporary scalars (and <c>add_(ε)</c> makes a hidden alpha of 1) that the garbage collector may finalise while
/// libtorch still reads them (<see cref="LiveScalars"/>): a training beside other threads' allocations then fails at
/// random with "Expected false to be true" from <c>c10::Scalar::toFloat</c> — measured, 2 to 7 steps in 20 000 of
/// TorchSharp's Adam with another thread collecting, none of these (LiveOptimizersTests). The trainers take their
/// optimiser from here.
/// </summary>
public static class LiveOptimizers
{
    /// <summary>TorchSharp's <c>optim.Adam</c> and <c>optim.AdamW</c> defaults (the paper's): β₁ 0.9, β₂ 0.999, ε 10⁻⁸.</summary>
    public const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    /// <summary>Adam with an L2 penalty added to the gradient (as <c>optim.Adam</c>).</summary>
    public static Adam Adam(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0) =>
        new Named.Adam(parameters, learningRate, weightDecay);

    /// <summary>Adam with decoupled weight decay (as <c>optim.AdamW</c>).</summary>
    public static AdamW AdamW(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0) =>
        new Named.AdamW(parameters, learningRate, weightDecay);

    /// <summary>Stochastic gradient descent with momentum (no dampening) and an L2 penalty added to the gradient, Nesterov's
    /// or not (as <c>optim.SGD</c>).</summary>
    public static SGD Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum, double weightDecay = 0, bool nesterov = false) =>
        new Named.SGD(parameters, learningRate, momentum, weightDecay, nesterov);

    /// <summary>One Adam step of every parameter with a gradient, as TorchSharp's Adam (an L2 penalty added to the
    /// gradient) or AdamW (<paramref name="decoupled"/>: the weights shrunk by lr·decay first) takes it; <paramref
    /// name="moments"/> counts the parameter's step and gives its moments. Every scalar lives to the end of its use (the
    /// <c>using</c>s dispose them after the last call that reads them).</summary>
    private static void AdamSteps(IEnumerable<Parameter> parameters, Func<Parameter, (Tensor ExpAvg, Tensor ExpAvgSq, long Step)> moments,
        double lr, double decay, bool decoupled, double beta1, double beta2, double eps)
    {
        using Scalar b1 = beta1.ToScalar(), keep1 = (1 - beta1).ToScalar(), b2 = beta2.ToScalar(), keep2 = (1 - beta2).ToScalar(),
            epsilon = eps.ToScalar(), penalty = decay.ToScalar(), shrink = (1 - lr * decay).ToScalar();
        foreach (var param in parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            var (expAvg, expAvgSq, step) = moments(param);
            if (decoupled) param.mul_(shrink);
            else if (decay != 0) grad = grad.add(param, penalty);
            double correction1 = 1 - Math.Pow(beta1, step), correction2 = 1 - Math.Pow(beta2, step);
            using Scalar root = Math.Sqrt(correction2).ToScalar(), size = (-(lr / correction1)).ToScalar();
            expAvg.mul_(b1).add_(grad, keep1);
            expAvgSq.mul_(b2).addcmul_(grad, grad, keep2);
            using var denominator = expAvgSq.sqrt().div_(root).add_(epsilon, LiveScalars.One);   // add_(s) alone makes a temporary alpha of 1
            param.addcdiv_(expAvg, denominator, size);
        }
    }

    private static void Check(bool? amsgrad, bool? maximize)
    {
        if (amsgrad == true) throw new NotSupportedException("AMSGrad is not implemented here");
        if (maximize == true) throw new NotSupportedException("maximise is not implemented here");
    }

    /// <summary>The optimisers, named as TorchSharp's: a saved state names its optimiser's type, and loads only into
    /// one of that name, so states saved before or by either load in the other.</summary>
    private static class Named
    {
        public sealed class Adam(IEnumerable<Parameter> parameters, double lr, double weightDecay)
            : TorchSharp.Modules.Adam(parameters, lr, Beta1, Beta2, Epsilon, weightDecay)
        {
            public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
            {
                var o = (Options)group.Options;
                Check(o.amsgrad, o.maximize);
                AdamSteps(group.Parameters, p =>
                {
                    var state = (State)_state[p.Handle];
                    state.step += 1;
                    return (state.exp_avg, state.exp_avg_sq, state.step);
                }, o.LearningRate!.Value, o.weight_decay!.Value, decoupled: false, o.beta1!.Value, o.beta2!.Value, o.eps!.Value);
            }, closure);
        }

        public sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay)
            : TorchSharp.Modules.AdamW(parameters, lr, Beta1, Beta2, Epsilon, weightDecay)
        {
            public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
            {
                var o = (Options)group.Options;
                Check(o.amsgrad, o.maximize);
                AdamSteps(group.Parameters, p =>
                {
                    var state = (State)_state[p.Handle];
                    state.step += 1;
                    return (state.exp_avg, state.exp_avg_sq, state.step);
                }, o.LearningRate!.Value, o.weight_decay!.Value, decoupled: true, o.beta1!.Value, o.beta2!.Value, o.eps!.Value);
            }, closure);
        }

        public sealed class SGD(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay, bool nesterov)
            : TorchSharp.Modules.SGD(parameters, lr, momentum, 0, weightDecay, nesterov)
        {
            public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
            {
                var o = group.Options;
                double lr = o.LearningRate!.Value, decay = o.weight_decay!.Value, momentum = o.momentum!.Value, dampening = o.dampening!.Value;
                Check(false, o.maximize);
                using Scalar decayed = decay.ToScalar(), moment = momentum.ToScalar(), keep = (1 - dampening).ToScalar(), size = (-lr).ToScalar();
                foreach (var param in group.Parameters)
                {
                    var grad = param.grad;
                    if (grad is null) continue;
                    var state = (State)_state[param.Handle];
                    if (decay != 0) grad = grad.add(param, decayed);
                    if (momentum != 0)
                    {
                        var buffer = state.momentum_buffer;
                        if (buffer is null)
                        {
                            buffer = grad.clone().detach().DetachFromDisposeScope();
                            state.momentum_buffer = buffer;
                        }
                        else buffer.mul_(moment).add_(grad, keep);
                        grad = o.nesterov == true ? grad.add(buffer, moment) : buffer;
                    }
                    param.add_(grad, size);
                }
            }, closure);
        }
    }
}
