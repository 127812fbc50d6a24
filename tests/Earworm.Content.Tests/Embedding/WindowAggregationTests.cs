using Earworm.Content.Embedding;

namespace Earworm.Content.Tests.Embedding;

public sealed class WindowAggregationTests
{
    private static readonly float[] X = [1, 0, 0], Y = [0, 1, 0], Z = [0, 0, 1];

    [Fact]
    public void The_mean_is_normalised()
    {
        var m = WindowAggregation.Mean([X, Y, Y, Y]);
        float n = MathF.Sqrt(1 + 9);
        Assert.Equal(new[] { 1 / n, 3 / n, 0 }, m, new Network.FloatTolerance(1e-6f));
    }

    [Fact]
    public void Tf_idf_weighs_sounds_that_recur_in_the_track_and_are_rare_in_the_library()
    {
        // track A: windows X, X, Y. Library of 4 tracks: X occurs in 1 (A), Y in all 4.
        IReadOnlyList<float[]> a = [X, X, Y];
        IReadOnlyList<IReadOnlyList<float[]>> library = [a, [Y, Z], [Y], [Y, Z]];
        var df = WindowAggregation.DocumentFrequencies(a, library, queryInLibrary: true);
        Assert.Equal([1, 1, 4], df);
        // tf(X) = 2/3, idf(X) = ln 4; tf(Y) = 1/3, idf(Y) = ln 1 = 0 → only X counts
        Assert.Equal(X, WindowAggregation.TfIdf(a, df, 4));

        // track B: X, Z, Z. X in 2 of 4 tracks (idf ln 2), Z in 3 of 4 (idf ln 4/3)
        IReadOnlyList<float[]> b = [X, Z, Z];
        var dfB = WindowAggregation.DocumentFrequencies(b, [b, [X], [Z], [Z]], queryInLibrary: true);
        Assert.Equal([2, 3, 3], dfB);
        double wx = 1.0 / 3 * Math.Log(2), wz = 2.0 / 3 * Math.Log(4.0 / 3) * 2; // two Z windows, each tf 2/3
        double n = Math.Sqrt(wx * wx + wz * wz);
        var v = WindowAggregation.TfIdf(b, dfB, 4);
        Assert.Equal(wx / n, v[0], 1e-6);
        Assert.Equal(0, v[1], 1e-6);
        Assert.Equal(wz / n, v[2], 1e-6);
    }

    [Fact]
    public void Windows_within_epsilon_count_as_the_same_term()
    {
        var nearX = new[] { 0.999f, 0.0447f, 0 }; // cos ≈ 0.999 with X
        var df = WindowAggregation.DocumentFrequencies([X], [[nearX], [Y]], queryInLibrary: false, epsilon: 0.01);
        Assert.Equal([2], df); // the query's own track plus the one holding nearX
        Assert.Equal([1], WindowAggregation.DocumentFrequencies([X], [[nearX], [Y]], queryInLibrary: false, epsilon: 1e-4));
    }

    [Fact]
    public void When_every_sound_is_everywhere_tf_idf_falls_back_to_the_mean()
    {
        Assert.Equal(WindowAggregation.Mean([X, Y]), WindowAggregation.TfIdf([X, Y], [3, 3], 3));
    }
}
