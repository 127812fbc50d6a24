namespace Earworm.Audio.Descriptors;

/// <summary>Receives the frames a <see cref="FrameSlicer"/> cuts; the span is only valid during the call.</summary>
internal interface IFrameConsumer
{
    void OnFrame(ReadOnlySpan<float> frame);
}

/// <summary>
/// Cuts a stream pushed in chunks of any size into frames of <c>size</c> samples every <c>hop</c>
/// samples. Frame j covers stream positions [j·hop − lead, j·hop − lead + size), positions before
/// the start being zeros: with lead = size/2 frame j is centred on sample j·hop, as librosa's
/// <c>center=True, pad_mode='constant'</c> (its default since 0.10). Frames depend only on absolute
/// positions, so the frames are the same however the stream is chunked. <see cref="Finish"/>
/// zero-pads the tail and emits the frames whose centre still lies inside the signal.
/// </summary>
internal sealed class FrameSlicer
{
    private readonly int _size;
    private readonly int _hop;
    private readonly float[] _buffer;
    private int _filled;   // valid samples at the start of _buffer; _buffer[0] is the next frame's first sample
    private long _skip;    // samples still to drop before the next frame starts (hop > size)
    private bool _finished;

    public FrameSlicer(int size, int hop, int lead)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hop, 1);
        if (lead < 0 || lead >= size) throw new ArgumentOutOfRangeException(nameof(lead), lead, "Lead must lie in [0, size).");
        _size = size;
        _hop = hop;
        _buffer = new float[size];
        _filled = lead; // the leading zeros
    }

    /// <summary>Frames emitted so far.</summary>
    public long FrameCount { get; private set; }

    public void Push(ReadOnlySpan<float> samples, IFrameConsumer consumer)
    {
        if (_finished) throw new InvalidOperationException("The stream has been finished.");
        while (!samples.IsEmpty)
        {
            if (_skip > 0)
            {
                int drop = (int)Math.Min(_skip, samples.Length);
                samples = samples[drop..];
                _skip -= drop;
                continue;
            }
            int take = Math.Min(_size - _filled, samples.Length);
            samples[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            samples = samples[take..];
            if (_filled == _size) Emit(consumer);
        }
    }

    /// <summary>Emits the zero-padded frames whose centre lies inside the signal; no pushes after.</summary>
    public void Finish(IFrameConsumer consumer)
    {
        if (_finished) return;
        _finished = true;
        // The buffer holds the next frame's first _filled samples; the signal ends after them.
        int real = _skip == 0 ? _filled : 0;
        while (real > _size / 2)
        {
            _buffer.AsSpan(real).Clear();
            _filled = _size;
            Emit(consumer);
            real -= _hop;
        }
    }

    private void Emit(IFrameConsumer consumer)
    {
        consumer.OnFrame(_buffer);
        FrameCount++;
        if (_hop < _size)
        {
            Array.Copy(_buffer, _hop, _buffer, 0, _size - _hop);
            _filled = _size - _hop;
        }
        else
        {
            _filled = 0;
            _skip = _hop - _size;
        }
    }
}
