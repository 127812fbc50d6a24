using Earworm.Learning.Sequences;

namespace Earworm.Learning.Tests.Sequences;

public sealed class CooccurrenceEmbeddingTests
{
    private static double Cosine(float[] v, int d, int a, int b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < d; k++)
        {
            double x = v[a * d + k], y = v[b * d + k];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return dot / Math.Sqrt(na * nb);
    }

    [Fact]
    public void ItemsPlayedTogetherGetCloseVectorsEvenWhenSeenOnce()
    {
        // two groups of items (0..9, 10..19), each sequence drawn within one; items 20 and 21 appear once each, 20 among
        // the first group, 21 among the second; item 22 never
        var rng = new Random(3);
        var sequences = new List<Sequence>();
        for (int s = 0; s < 60; s++)
        {
            int offset = s % 2 == 0 ? 0 : 10;
            sequences.Add(new Sequence([.. Enumerable.Range(0, 8).Select(_ => offset + rng.Next(10))]));
        }
        sequences.Add(new Sequence([1, 20, 3, 5]));
        sequences.Add(new Sequence([11, 21, 13, 15]));
        var v = CooccurrenceEmbedding.Compute(sequences, 23, 4, 3, seed: 1, out var has);

        Assert.Equal(23 * 4, v.Length);
        Assert.All(Enumerable.Range(0, 22), i => Assert.True(has[i]));
        Assert.False(has[22]);
        Assert.All(v.Skip(22 * 4), x => Assert.Equal(0f, x));
        // the mean squared norm of the placed items is 1
        double squares = Enumerable.Range(0, 22).Sum(i => Enumerable.Range(0, 4).Sum(k => (double)v[i * 4 + k] * v[i * 4 + k]));
        Assert.Equal(1, squares / 22, 3);
        // within a group closer than across, and the items seen once beside their group
        Assert.True(Cosine(v, 4, 0, 1) > Cosine(v, 4, 0, 11) + 0.5, $"{Cosine(v, 4, 0, 1):F2} against {Cosine(v, 4, 0, 11):F2}");
        Assert.True(Cosine(v, 4, 20, 2) > Cosine(v, 4, 20, 12), $"{Cosine(v, 4, 20, 2):F2} against {Cosine(v, 4, 20, 12):F2}");
        Assert.True(Cosine(v, 4, 21, 12) > Cosine(v, 4, 21, 2), $"{Cosine(v, 4, 21, 12):F2} against {Cosine(v, 4, 21, 2):F2}");
        // the same input, the same vectors
        Assert.Equal(v, CooccurrenceEmbedding.Compute(sequences, 23, 4, 3, seed: 1, out _));
    }
}
