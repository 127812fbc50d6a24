using Earworm.Learning.Numerics;
using Earworm.Learning.Text;

namespace Earworm.Learning.Tests.Text;

public sealed class LsaTests
{
    [Fact]
    public void JacobiFindsTheEigenvaluesOfAKnownSymmetricMatrix()
    {
        // [[2,1,0],[1,2,1],[0,1,2]] has eigenvalues 2+√2, 2, 2−√2
        var (values, vectors) = JacobiEigen.Decompose([2, 1, 0, 1, 2, 1, 0, 1, 2], 3);
        Assert.Equal([2 + Math.Sqrt(2), 2, 2 - Math.Sqrt(2)], values, (a, b) => Math.Abs(a - b) < 1e-12);
        // the first eigenvector is (1, √2, 1)/2 up to sign
        Assert.Equal(Math.Sqrt(2) / 2, Math.Abs(vectors[1 * 3 + 0]), 12);
    }

    [Fact]
    public void TruncatedSvdRecoversTheSingularValuesOfALowRankMatrix()
    {
        // A = 3·u1·v1ᵀ + 1·u2·v2ᵀ with orthonormal u (6-vectors) and v (5-vectors)
        double[] u1 = [.. new double[] { 1, 1, 1, 1, 0, 0 }.Select(x => x / 2)], u2 = [.. new double[] { 0, 0, 1, -1, 1, 1 }.Select(x => x / 2)];
        double[] v1 = [.. new double[] { 1, 1, 0, 0, 0 }.Select(x => x / Math.Sqrt(2))], v2 = [.. new double[] { 0, 0, 1, 1, 1 }.Select(x => x / Math.Sqrt(3))];
        var rows = Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 5).Select(j => (j, 3 * u1[i] * v1[j] + u2[i] * v2[j]))).ToList();
        var svd = TruncatedSvd.Compute(SparseRows.FromRows(5, rows), rank: 4);
        Assert.Equal(2, svd.Rank); // the other directions are rounding noise
        Assert.Equal(3, svd.SingularValues[0], 9);
        Assert.Equal(1, svd.SingularValues[1], 9);
        for (int i = 0; i < 6; i++) // U·S reproduces A·V
        {
            Assert.Equal(3 * u1[i], svd.Row(i)[0], 9);
            Assert.Equal(Math.Abs(u2[i]), Math.Abs(svd.Row(i)[1]), 9);
        }
    }

    [Fact]
    public void TruncatedSvdOfAFullRankMatrixMatchesTheEigenvaluesOfItsGram()
    {
        var rng = new Random(5);
        const int n = 30, m = 12;
        var dense = new double[n, m];
        var rows = new List<IEnumerable<(int, double)>>();
        for (int i = 0; i < n; i++)
        {
            var row = new List<(int, double)>();
            for (int j = 0; j < m; j++)
                if (rng.NextDouble() < 0.4) row.Add((j, dense[i, j] = rng.NextDouble()));
            rows.Add(row);
        }
        var gram = new double[m * m]; // AᵀA, whose eigenvalues are the squared singular values
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++)
                for (int i = 0; i < n; i++) gram[a * m + b] += dense[i, a] * dense[i, b];
        var (values, _) = JacobiEigen.Decompose(gram, m);
        var svd = TruncatedSvd.Compute(SparseRows.FromRows(m, rows), rank: 4, oversample: 8); // k + p = m: the whole range
        Assert.Equal(4, svd.Rank);
        for (int c = 0; c < 4; c++) Assert.Equal(Math.Sqrt(values[c]), svd.SingularValues[c], 9);
        var small = TruncatedSvd.Compute(SparseRows.FromRows(m, rows), rank: 2); // randomised: close, with power iterations
        Assert.Equal(Math.Sqrt(values[0]), small.SingularValues[0], 6);
    }

    [Fact]
    public void DocumentsThatShareNoWordAreCloseWhenTheirWordsAppearTogetherElsewhere()
    {
        static IReadOnlyDictionary<string, double> Doc(params string[] words) => words.GroupBy(w => w).ToDictionary(g => g.Key, g => (double)g.Count());
        var docs = new[]
        {
            Doc("piano", "calm", "ballad"), Doc("piano", "ballad", "gentle"), Doc("gentle", "calm"),
            Doc("drums", "loud", "rock"), Doc("rock", "guitar", "loud"), Doc("guitar", "drums"),
        };
        var lsa = Lsa.Fit(docs, rank: 2);
        Assert.Equal(2, lsa.Dimension);
        float Cos(float[] a, float[] b) => VectorNorm.Cosine(a, b);
        Assert.True(Cos(lsa.Document(0), lsa.Document(2)) > 0.9, "calm piano ballad ≈ gentle calm");
        Assert.True(Cos(lsa.Document(0), lsa.Document(5)) < 0.1, "calm piano ballad ≠ guitar drums");
        Assert.True(Cos(lsa.Term("gentle")!, lsa.Document(0)) > 0.9);
        Assert.Null(lsa.Term("flute"));
        Assert.True(Cos(lsa.Fold(Doc("ballad")), lsa.Document(1)) > 0.9);
    }

    [Fact]
    public void TfIdfWeighsRareTermsAboveCommonOnesAndDampsRepeats()
    {
        var docs = new IReadOnlyDictionary<string, double>[]
        {
            new Dictionary<string, double> { ["music"] = 10, ["harp"] = 1 }, new Dictionary<string, double> { ["music"] = 1 },
        };
        var w = TfIdf.Fit(docs);
        Assert.Equal(1 + Math.Log(3.0 / 3), w.IdfOf("music"), 12);
        Assert.Equal(1 + Math.Log(3.0 / 2), w.IdfOf("harp"), 12);
        Assert.Equal((1 + Math.Log(10)) * w.IdfOf("music"), w.Weight("music", 10), 12);
        Assert.Equal("music", w.Top(docs[0], 1)[0].Term); // said ten times, it still leads here
        Assert.Equal(["harp"], w.Top(new Dictionary<string, double> { ["music"] = 1, ["harp"] = 1 }, 1).Select(t => t.Term));
    }
}
