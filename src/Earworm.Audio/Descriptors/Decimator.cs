using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Earworm.Audio.Descriptors;

/// <summary>
/// Streaming decimation by an integer factor R: a linear-phase FIR low-pass evaluated only at
/// every R-th sample (polyphase in effect). Output m is centred on input sample m·R (the filter's
/// delay is compensated by zeros before the start), so time t in the input is time t in the output.
/// </summary>
/// <remarks>
/// The filter is a Hamming-windowed sinc of 8·R + 1 taps with its −6 dB point at the output's
/// Nyquist frequency fs/(2R) and unit gain at DC (33 taps for R = 4: five float vectors per
/// output). Its transition band spans about 0.6 to 1.4 times fs/(2R) (1.65 to 3.86 kHz for R = 4
/// at 22 050 Hz): the band up to 1.65 kHz is flat, what would alias onto it is more than 50 dB
/// down, and the chroma's top bins (1.65 to 2 kHz) see at most a faint, attenuated alias of
/// 3.5 to 3.9 kHz. The onset detector, which reads up to 2.76 kHz, does not mind either.
/// </remarks>
public sealed class Decimator
{
    private const int Piece = 4096;

    private readonly float[] _taps;      // padded with zeros to a multiple of 8 (the float vector width)
    private readonly Vector256<float>[] _tapVectors;
    private readonly int _length;        // true number of taps, odd
    private readonly float[] _buffer;    // padded input not yet consumed; _buffer[0] is padded position _bufferStart
    private int _count;
    private long _bufferStart;
    private long _nextStart;             // padded position of the next output's first tap
    private long _outputCount;
    private bool _finished;

    /// <summary>Decimation by <paramref name="factor"/> (1 passes samples through unchanged).</summary>
    public Decimator(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(factor, 64);
        Factor = factor;
        _length = factor == 1 ? 1 : 8 * factor + 1;
        int padded = (_length + 7) / 8 * 8;
        _taps = new float[padded];
        if (factor == 1)
        {
            _taps[0] = 1;
        }
        else
        {
            double cutoff = 0.5 / factor;          // cycles per input sample
            int centre = _length / 2;
            double sum = 0;
            var h = new double[_length];
            for (int k = 0; k < _length; k++)
            {
                int t = k - centre;
                double sinc = t == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
                double hamming = 0.54 - 0.46 * Math.Cos(2 * Math.PI * k / (_length - 1));
                h[k] = sinc * hamming;
                sum += h[k];
            }
            for (int k = 0; k < _length; k++) _taps[k] = (float)(h[k] / sum);
        }
        _tapVectors = new Vector256<float>[padded / 8];
        for (int v = 0; v < _tapVectors.Length; v++) _tapVectors[v] = Vector256.Create(_taps.AsSpan(8 * v));
        _buffer = new float[padded + Piece + factor];
        _count = _length / 2;  // the zeros before the start that centre output 0 on input 0
    }

    /// <summary>The factor R.</summary>
    public int Factor { get; }

    /// <summary>Number of filter taps.</summary>
    public int TapCount => _length;

    /// <summary>The filter's taps (tests).</summary>
    internal ReadOnlySpan<float> Taps => _taps.AsSpan(0, _length);

    /// <summary>Outputs produced so far.</summary>
    public long OutputCount => _outputCount;

    /// <summary>Upper bound on the outputs one call to <see cref="Process"/> with <paramref name="inputLength"/> samples can give.</summary>
    public int MaxOutputLength(int inputLength) => (inputLength + _taps.Length) / Factor + 2;

    /// <summary>
    /// Feeds <paramref name="input"/> and writes the outputs it completes to <paramref name="output"/>
    /// (at least <see cref="MaxOutputLength"/> long); returns how many were written.
    /// </summary>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_finished) throw new InvalidOperationException("The decimator has been flushed.");
        int written = 0;
        while (!input.IsEmpty)
        {
            int take = Math.Min(Piece, input.Length);
            input[..take].CopyTo(_buffer.AsSpan(_count));
            _count += take;
            input = input[take..];
            written += Drain(output[written..]);
        }
        return written;
    }

    /// <summary>
    /// Ends the stream: writes the remaining outputs (those centred before the end of the input,
    /// ceil(n/R) in all) and returns how many. Output must hold <see cref="MaxOutputLength"/>(0).
    /// </summary>
    public int Flush(Span<float> output)
    {
        if (_finished) return 0;
        _finished = true;
        int pad = _length / 2;
        _buffer.AsSpan(_count, pad).Clear();
        _count += pad;
        // With (L − 1)/2 zeros after the end, the last window that fits is centred on the last
        // input sample: ceil(n/R) outputs in all.
        return Drain(output);
    }

    private int Drain(Span<float> output)
    {
        int written = 0;
        long end = _bufferStart + _count;
        while (_nextStart + _taps.Length <= end)
        {
            output[written++] = FullDot((int)(_nextStart - _bufferStart));
            _nextStart += Factor;
            _outputCount++;
        }
        // At the end of the stream the last windows run past the buffer: their missing samples are
        // zeros times zero-padded taps or the padding after the signal, so a shorter dot is exact.
        while (_finished && _nextStart + _length <= end)
        {
            int offset = (int)(_nextStart - _bufferStart);
            var window = _buffer.AsSpan(offset, _count - offset);
            output[written++] = SpanMath.Dot(window, _taps.AsSpan(0, window.Length));
            _nextStart += Factor;
            _outputCount++;
        }
        // Keep from the next output's first tap on.
        int keep = (int)Math.Max(0, end - _nextStart);
        int drop = _count - keep;
        if (drop > 0)
        {
            Array.Copy(_buffer, drop, _buffer, 0, keep);
            _bufferStart += drop;
            _count = keep;
        }
        return written;
    }

    // Σ taps·buffer[offset..offset + taps), eight lanes per vector, two accumulators.
    private float FullDot(int offset)
    {
        if (!Vector256.IsHardwareAccelerated) return SpanMath.Dot(_buffer.AsSpan(offset, _taps.Length), _taps);
        ref float start = ref MemoryMarshal.GetArrayDataReference(_buffer);
        var taps = _tapVectors;
        var even = Vector256<float>.Zero;
        var odd = Vector256<float>.Zero;
        int v = 0;
        for (; v + 1 < taps.Length; v += 2)
        {
            even += taps[v] * Vector256.LoadUnsafe(ref start, (nuint)(offset + 8 * v));
            odd += taps[v + 1] * Vector256.LoadUnsafe(ref start, (nuint)(offset + 8 * v + 8));
        }
        if (v < taps.Length) even += taps[v] * Vector256.LoadUnsafe(ref start, (nuint)(offset + 8 * v));
        return Vector256.Sum(even + odd);
    }
}
