namespace Earworm.Recommend.Tests.Index;

/// <summary>Synthetic clustered vectors: Gaussian blobs around random centres (what music embeddings look like:
/// genres and albums), seeded.</summary>
internal static class ClusteredData
{
    public static (long Key, float[] Vector)[] Make(int n, int dims, int clusters, int seed, float spread = 0.35f)
    {
        var rng = new Random(seed);
        var centres = Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, dims).Select(_ => Gaussian(rng)).ToArray()).ToArray();
        return Enumerable.Range(0, n).Select(i =>
        {
            var c = centres[rng.Next(clusters)];
            return ((long)(1000 + i), c.Select(x => x + spread * Gaussian(rng)).ToArray());
        }).ToArray();
    }

    public static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}
