using System.Globalization;
using Earworm.Audio.Descriptors;

namespace Earworm.Recommend;

/// <summary>
/// The <c>descriptors</c> space over a library: each track's <see cref="DescriptorSpace"/> vector,
/// z-scored over the library and weighted, searched by Euclidean distance (the metric the space's
/// weights were chosen for); and the reasons a listener would give for two tracks being alike.
/// </summary>
public sealed class DescriptorSimilarity
{
    private readonly DescriptorScaler _scaler;
    private readonly ExactIndex _index;
    private readonly IReadOnlyDictionary<long, TrackDescriptors> _descriptors;

    public DescriptorSimilarity(IReadOnlyDictionary<long, TrackDescriptors> library)
    {
        ArgumentNullException.ThrowIfNull(library);
        if (library.Count == 0) throw new UsageException("no track has descriptors yet: run `earworm scan DIR` first");
        _descriptors = library;
        var raw = library.ToDictionary(kv => kv.Key, kv => DescriptorSpace.Vector(kv.Value));
        _scaler = DescriptorSpace.Standardise(raw.Values.ToList());
        _index = new ExactIndex(raw.Select(kv => (kv.Key, ToFloat(_scaler.Weighted(kv.Value)))).ToList(), Metric.Euclidean);
    }

    public int Count => _index.Count;

    /// <summary>Tracks nearest to <paramref name="query"/> (a library track or any analysed file), with reasons.</summary>
    public IReadOnlyList<(long TrackId, double Distance, IReadOnlyList<string> Reasons)> Similar(
        TrackDescriptors query, int count, Func<long, bool>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = ToFloat(_scaler.Weighted(DescriptorSpace.Vector(query)));
        return _index.Nearest(q, count, exclude)
            .Select(n => (n.Key, (double)-n.Score, Reasons(query, _descriptors[n.Key])))
            .ToList();
    }

    /// <summary>Which descriptors two tracks share, in words: tempo (same, or half/double), key compatibility
    /// (same or a Camelot neighbour), energy, brightness, danceability, loudness.</summary>
    public static IReadOnlyList<string> Reasons(TrackDescriptors a, TrackDescriptors b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var reasons = new List<string>();
        var c = CultureInfo.InvariantCulture;
        if (a.TempoBpm is { } ta && b.TempoBpm is { } tb)
        {
            double r = tb / ta;
            if (Math.Abs(r - 1) <= 0.04) reasons.Add(string.Format(c, "same tempo ({0:0} vs {1:0} BPM)", ta, tb));
            else if (Math.Abs(r - 2) <= 0.08 || Math.Abs(r - 0.5) <= 0.02) reasons.Add(string.Format(c, "half/double tempo ({0:0} vs {1:0} BPM)", ta, tb));
        }
        if (a.CamelotCode is { } ka && b.CamelotCode is { } kb && KeysCompatible(ka, kb))
            reasons.Add(ka == kb ? $"same key ({a.KeyName})" : $"compatible keys ({ka} → {kb})");
        if (Math.Abs(a.Energy - b.Energy) <= 0.1) reasons.Add(string.Format(c, "similar energy ({0:0.00} vs {1:0.00})", a.Energy, b.Energy));
        if (a.SpectralCentroidHz > 0 && b.SpectralCentroidHz > 0 && Math.Abs(Math.Log2(b.SpectralCentroidHz / a.SpectralCentroidHz)) <= 0.2)
            reasons.Add(string.Format(c, "similar brightness ({0:0} vs {1:0} Hz)", a.SpectralCentroidHz, b.SpectralCentroidHz));
        if (Math.Abs(a.Danceability - b.Danceability) <= 0.08) reasons.Add("similar groove (danceability)");
        if (a.IntegratedLoudnessLufs is { } la && b.IntegratedLoudnessLufs is { } lb && Math.Abs(la - lb) <= 2)
            reasons.Add(string.Format(c, "similar loudness ({0:0.0} vs {1:0.0} LUFS)", la, lb));
        return reasons;
    }

    /// <summary>Camelot compatibility as DJs mix: the same code, ±1 on the wheel with the same letter, or the
    /// relative major/minor (same number, other letter).</summary>
    public static bool KeysCompatible(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!TryParse(a, out var na, out var la) || !TryParse(b, out var nb, out var lb)) return false;
        if (na == nb) return true;
        int step = Math.Abs(na - nb);
        return la == lb && (step == 1 || step == 11);
    }

    private static bool TryParse(string code, out int number, out char letter)
    {
        letter = code.Length > 0 ? code[^1] : ' ';
        return int.TryParse(code.AsSpan(0, Math.Max(0, code.Length - 1)), NumberStyles.None, CultureInfo.InvariantCulture, out number)
               && number is >= 1 and <= 12 && letter is 'A' or 'B';
    }

    private static float[] ToFloat(double[] v) => Array.ConvertAll(v, x => (float)x);
}
