using Earworm.Audio.Excerpts;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.Content.Data;

/// <summary>
/// The log-mel windows of a set of tracks held in memory (half precision: 1 000 tracks of six 10 s windows take
/// about 0.66 GB), and crops of them. Values are dB as the excerpt cache stores them, <c>[shape=(n_mels, T)]</c>
/// row-major per window.
/// </summary>
public sealed class WindowBank
{
    private readonly List<(Half[] Data, int Frames)[]> _windows = [];
    private readonly List<long> _ids = [];

    public WindowBank(int melBands)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(melBands);
        MelBands = melBands;
    }

    public int MelBands { get; }

    public int Count => _ids.Count;

    /// <summary>Track ids, in the order tracks were added (index i of every other call).</summary>
    public IReadOnlyList<long> TrackIds => _ids;

    public int WindowCount(int track) => _windows[track].Length;

    public int FramesOf(int track, int window) => _windows[track][window].Frames;

    /// <summary>Adds a track's excerpts (a track without any is left out and false is returned).</summary>
    public bool Add(long trackId, ExcerptSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (set.MelBands != MelBands) throw new ArgumentException($"track {trackId}: {set.MelBands} mel bands, expected {MelBands}", nameof(set));
        var windows = set.Excerpts.Where(e => e.Frames > 0)
            .Select(e => (Array.ConvertAll(e.LogMelDb, v => (Half)v), e.Frames)).ToArray();
        if (windows.Length == 0) return false;
        _ids.Add(trackId);
        _windows.Add(windows);
        return true;
    }

    /// <summary>A bank of some of this bank's tracks (by index, in the order given), sharing their windows.</summary>
    public WindowBank Subset(IEnumerable<int> tracks)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var bank = new WindowBank(MelBands);
        foreach (int t in tracks)
        {
            bank._ids.Add(_ids[t]);
            bank._windows.Add(_windows[t]);
        }
        return bank;
    }

    /// <summary>The same tracks with at most <paramref name="windows"/> windows each, spread evenly over each track's
    /// (window k of n kept: ⌊(k + ½)·n / count⌋), sharing their data: what a cache of a smaller budget holds.</summary>
    public WindowBank EvenWindows(int windows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windows);
        var bank = new WindowBank(MelBands);
        for (int t = 0; t < Count; t++)
        {
            var all = _windows[t];
            int keep = Math.Min(windows, all.Length);
            bank._ids.Add(_ids[t]);
            bank._windows.Add(Enumerable.Range(0, keep).Select(k => all[(int)((k + 0.5) * all.Length / keep)]).ToArray());
        }
        return bank;
    }

    /// <summary>Loads the cached excerpts of the given tracks (those without a readable cache entry are skipped and
    /// counted).</summary>
    public static (WindowBank Bank, int Skipped) Load(ExcerptStore store, IEnumerable<TrackRecord> tracks, int melBands = 128,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var list = tracks.Where(t => t.ContentHash is not null).ToList();
        var bank = new WindowBank(melBands);
        int skipped = 0;
        for (int i = 0; i < list.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExcerptSet? set;
            try { set = store.TryRead(list[i].ContentHash!); }
            catch (InvalidDataException) { set = null; }
            if (set is null || set.MelBands != melBands || !bank.Add(list[i].Id, set)) skipped++;
            if ((i + 1) % 50 == 0 || i + 1 == list.Count) progress?.Report((i + 1, list.Count));
        }
        return (bank, skipped);
    }

    /// <summary>Copies <paramref name="frames"/> frames of a window from <paramref name="start"/> into
    /// <paramref name="destination"/> <c>(n_mels, frames)</c>; a window shorter than the crop is repeated (wraps).</summary>
    public void Crop(int track, int window, int start, int frames, Span<float> destination)
    {
        var (data, n) = _windows[track][window];
        if (destination.Length < MelBands * frames) throw new ArgumentException("destination too small", nameof(destination));
        for (int m = 0; m < MelBands; m++)
        {
            var row = data.AsSpan(m * n, n);
            var dst = destination.Slice(m * frames, frames);
            for (int t = 0; t < frames; t++)
            {
                int s = start + t;
                if (s >= n) s %= n;
                dst[t] = (float)row[s];
            }
        }
    }

    /// <summary>A uniformly random crop start in a window (0 when the window is not longer than the crop).</summary>
    public int RandomStart(int track, int window, int frames, Random rng) =>
        Math.Max(0, FramesOf(track, window) - frames) is var room and > 0 ? rng.Next(room + 1) : 0;

    /// <summary>The crop starts that read a window: <paramref name="perWindow"/> null tiles it (<see cref="TilingStarts"/>);
    /// k centres one crop in each of k equal parts of the window (one crop: its middle), kept inside the window.</summary>
    public static IReadOnlyList<int> CropStarts(int windowFrames, int frames, int? perWindow)
    {
        if (perWindow is not { } k) return TilingStarts(windowFrames, frames);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(perWindow), perWindow, "crops per window must be positive");
        int room = windowFrames - frames;
        if (room <= 0) return [0];
        return Enumerable.Range(0, k)
            .Select(i => Math.Clamp((int)Math.Round(windowFrames * (i + 0.5) / k - frames / 2.0), 0, room))
            .Distinct().ToList();
    }

    /// <summary>Crop starts that tile a window with about half-overlapping crops: as many as a hop of <c>frames/2</c>
    /// needs (rounded, at least two), spread evenly from its start to flush with its end. A 10 s window takes four 4 s
    /// crops; flooring the hop and adding a flush crop would read five, the last one frame from the fourth.</summary>
    public static IReadOnlyList<int> TilingStarts(int windowFrames, int frames)
    {
        if (windowFrames <= frames) return [0];
        int room = windowFrames - frames;
        int hop = Math.Max(1, frames / 2);
        int count = Math.Max(2, (int)Math.Round((double)room / hop, MidpointRounding.AwayFromZero) + 1);
        return Enumerable.Range(0, count).Select(i => (int)Math.Round((double)room * i / (count - 1), MidpointRounding.AwayFromZero))
            .Distinct().ToList();
    }

    /// <summary>Mean and standard deviation of every stored value (the network's input normalisation).</summary>
    public (float Mean, float Std) Statistics(int maxWindows = 2000)
    {
        double sum = 0, sq = 0;
        long n = 0;
        int used = 0;
        for (int i = 0; i < _windows.Count && used < maxWindows; i++)
            foreach (var (data, _) in _windows[i])
            {
                foreach (var h in data) { double v = (double)h; sum += v; sq += v * v; }
                n += data.Length;
                if (++used >= maxWindows) break;
            }
        if (n == 0) return (0, 1);
        double mean = sum / n;
        return ((float)mean, (float)Math.Sqrt(Math.Max(sq / n - mean * mean, 1e-6)));
    }
}
