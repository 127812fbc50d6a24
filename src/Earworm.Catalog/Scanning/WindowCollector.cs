using Earworm.Audio.Excerpts;

namespace Earworm.Catalog.Scanning;

/// <summary>Keeps the samples that fall inside planned windows as a PCM stream passes by in chunks.
/// Pure (no I/O), so the chunk-boundary arithmetic is tested on its own.</summary>
internal sealed class WindowCollector
{
    private readonly IReadOnlyList<ExcerptWindow> _windows;
    private readonly float[][] _buffers;
    private readonly int[] _filled;
    private long _position;

    public WindowCollector(IReadOnlyList<ExcerptWindow> windows)
    {
        _windows = windows;
        _buffers = windows.Select(w => new float[w.SampleCount]).ToArray();
        _filled = new int[windows.Count];
    }

    public long SamplesSeen => _position;

    public void Push(ReadOnlySpan<float> chunk)
    {
        long chunkStart = _position, chunkEnd = _position + chunk.Length;
        for (int i = 0; i < _windows.Count; i++)
        {
            var w = _windows[i];
            long from = Math.Max(chunkStart, w.StartSample), to = Math.Min(chunkEnd, w.StartSample + w.SampleCount);
            if (from >= to) continue;
            chunk.Slice((int)(from - chunkStart), (int)(to - from)).CopyTo(_buffers[i].AsSpan((int)(from - w.StartSample)));
            _filled[i] = (int)(to - w.StartSample);
        }
        _position = chunkEnd;
    }

    /// <summary>Each window with the samples it got (fewer than planned when the stream ended early).</summary>
    public IEnumerable<(ExcerptWindow Window, float[] Samples)> Collected()
    {
        for (int i = 0; i < _windows.Count; i++)
        {
            if (_filled[i] == 0) continue;
            var samples = _filled[i] == _buffers[i].Length ? _buffers[i] : _buffers[i][.._filled[i]];
            yield return (_windows[i], samples);
        }
    }
}
