using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Earworm.Content.Native;

/// <summary>
/// Scalars that live as long as the process. TorchSharp hands a Scalar's handle to libtorch without keeping the Scalar
/// itself alive through the call, so a temporary one — what an implicit conversion makes: the alpha of 1 behind
/// <c>a + b</c>, the factor of <c>x * 2.0</c> — can be finalised by the garbage collector, set off by another thread's
/// allocations, while libtorch still reads it; libtorch then fails with "Expected false to be true" from
/// <c>c10::Scalar::toFloat</c> (as SASRec's forward pass did twice in evaluation runs, once while questions were scored
/// on several threads) or "Unknown scalar type" (as the audio network's batch norm did in training).
/// Code that runs while other threads allocate (scoring behind a server, evaluation's parallel questions) takes its
/// scalars from here.
/// </summary>
public static class LiveScalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Doubles = new();
    private static readonly ConcurrentDictionary<long, Scalar> Longs = new();

    public static Scalar One { get; } = 1.ToScalar();

    public static Scalar NegativeInfinity { get; } = double.NegativeInfinity.ToScalar();

    /// <summary>The scalar of a floating-point value, made once (a network's few constants: keep the set small).</summary>
    public static Scalar Of(double value) => Doubles.GetOrAdd(value, v => v.ToScalar());

    /// <summary>The scalar of an integer value, made once.</summary>
    public static Scalar Of(long value) => Longs.GetOrAdd(value, v => v.ToScalar());

    /// <summary><c>a + b</c> with a live alpha.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);
}
