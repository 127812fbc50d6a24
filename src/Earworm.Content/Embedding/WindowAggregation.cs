using Earworm.Learning.Numerics;

namespace Earworm.Content.Embedding;

/// <summary>How a track's window (crop) vectors become one track vector.</summary>
public enum AggregationKind
{
    /// <summary>The mean of the unit window vectors, normalised to unit length.</summary>
    Mean,

    /// <summary>Deej-A.I.'s TF-IDF weighting (see <see cref="WindowAggregation.TfIdf"/>).</summary>
    TfIdf,
}

/// <summary>
/// Aggregation of window vectors (pure functions over unit-length float vectors).
/// </summary>
public static class WindowAggregation
{
    /// <summary>Default ε of TF-IDF: two window vectors whose cosine distance (1 − cos) is below it count as the
    /// same "term".</summary>
    public const double DefaultEpsilon = 0.05;

    /// <summary>The normalised mean of the vectors (a zero mean stays zero).</summary>
    public static float[] Mean(IReadOnlyList<float[]> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0) throw new ArgumentException("no window vectors", nameof(windows));
        var sum = new float[windows[0].Length];
        foreach (var w in windows)
            for (int d = 0; d < sum.Length; d++) sum[d] += w[d];
        return Normalised(sum);
    }

    /// <summary>
    /// Deej-A.I.'s scheme, which treats window vectors as words of a document: a window's "term" is every window
    /// vector within cosine distance <paramref name="epsilon"/> of it. For window <c>w</c> of track <c>d</c> with
    /// <c>n</c> windows: <c>tf(w) = |{w' ∈ d : dist(w, w') &lt; ε}| / n</c> (how much of the track sounds like it);
    /// <c>idf(w) = ln(N / df(w))</c> with <c>df(w)</c> the number of the library's <c>N</c> tracks (including
    /// <c>d</c>) holding a window within ε of <c>w</c> (how common that sound is). The track vector is
    /// <c>Σ tf·idf·w</c>, normalised: sounds that recur in the track and are rare in the library weigh most. When
    /// every weight is zero (a sound every track has), the mean is returned.
    /// </summary>
    /// <param name="windows">The track's window vectors (unit length).</param>
    /// <param name="documentFrequency">df of each window (from <see cref="DocumentFrequencies"/>).</param>
    /// <param name="libraryTracks">N.</param>
    public static float[] TfIdf(IReadOnlyList<float[]> windows, IReadOnlyList<int> documentFrequency, int libraryTracks,
        double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(documentFrequency);
        if (windows.Count == 0) throw new ArgumentException("no window vectors", nameof(windows));
        if (documentFrequency.Count != windows.Count) throw new ArgumentException("one df per window", nameof(documentFrequency));
        var sum = new float[windows[0].Length];
        double total = 0;
        for (int i = 0; i < windows.Count; i++)
        {
            int same = 0;
            for (int j = 0; j < windows.Count; j++)
                if (1 - Simd.Dot(windows[i], windows[j]) < epsilon) same++;
            double tf = (double)same / windows.Count;
            double idf = Math.Log((double)libraryTracks / Math.Max(1, documentFrequency[i]));
            double weight = tf * idf;
            total += weight;
            for (int d = 0; d < sum.Length; d++) sum[d] += (float)(weight * windows[i][d]);
        }
        return total > 0 ? Normalised(sum) : Mean(windows);
    }

    /// <summary>For every window of <paramref name="query"/>, the number of <paramref name="library"/> tracks that hold a
    /// window within cosine distance ε of it, plus one for the query's own track when it is not in the library
    /// (<paramref name="queryInLibrary"/> false).</summary>
    public static int[] DocumentFrequencies(IReadOnlyList<float[]> query, IReadOnlyList<IReadOnlyList<float[]>> library,
        bool queryInLibrary, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(library);
        var df = new int[query.Count];
        for (int i = 0; i < query.Count; i++)
        {
            int count = queryInLibrary ? 0 : 1;
            foreach (var track in library)
                foreach (var w in track)
                    if (1 - Simd.Dot(query[i], w) < epsilon) { count++; break; }
            df[i] = count;
        }
        return df;
    }

    private static float[] Normalised(float[] v)
    {
        VectorNorm.Normalise(v);
        return v;
    }
}
