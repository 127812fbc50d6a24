using Earworm.Learning.Numerics;

namespace Earworm.Learning.Tests.Numerics;

public class VectorNormTests
{
    [Fact]
    public void ThreeFourFiveBecomesUnitLength()
    {
        float[] v = [3, 4];
        Assert.True(VectorNorm.Normalise(v));
        Assert.Equal([0.6f, 0.8f], v);
        Assert.Equal([0.6f, 0.8f], VectorNorm.Unit([3f, 4f]));
        Assert.Equal([0.6f, 0.8f], VectorNorm.TryUnit([3f, 4f])!);
    }

    [Fact]
    public void AVectorWithoutDirectionStaysAsItIs()
    {
        float[] zero = [0, 0, 0];
        Assert.False(VectorNorm.Normalise(zero));
        Assert.Equal([0f, 0f, 0f], zero);
        Assert.Equal([0f, 0f], VectorNorm.Unit([0f, 0f]));
        Assert.Null(VectorNorm.TryUnit([0f, 0f]));
        float[] nan = [float.NaN, 1];
        Assert.False(VectorNorm.Normalise(nan));
        Assert.True(float.IsNaN(nan[0]) && nan[1] == 1);
        Assert.Null(VectorNorm.TryUnit([float.PositiveInfinity, 1f]));
        var dest = new float[] { 9, 9 };
        VectorNorm.WriteScaledUnit([0f, 0f], 2, dest);
        Assert.Equal([0f, 0f], dest); // a zero vector contributes nothing, whatever the scale
    }

    [Fact]
    public void ScaledUnitHasTheScaleAsLength()
    {
        var dest = new float[3];
        VectorNorm.WriteScaledUnit([1f, 2f, 2f], 0.5f, dest);
        Assert.Equal(0.5f, Simd.Norm(dest), 1e-6f);
        Assert.Equal(1f / 6, dest[0], 1e-6f);
        Assert.Throws<ArgumentException>(() => VectorNorm.WriteScaledUnit([1f, 2f], 1, dest));
    }

    [Fact]
    public void CosineIsZeroAgainstAZeroVectorAndOneForTheSameDirection()
    {
        Assert.Equal(0f, VectorNorm.Cosine([0f, 0f], [1f, 2f]));
        Assert.Equal(1f, VectorNorm.Cosine([1f, 2f], [2f, 4f]), 1e-6f);
        Assert.Equal(-1f, VectorNorm.Cosine([1f, 0f], [-3f, 0f]), 1e-6f);
        Assert.Equal(0f, VectorNorm.Cosine([1f, 0f], [0f, 5f]), 1e-6f);
    }

    [Fact]
    public void TinyValuesKeepTheirPrecision()
    {
        // 1e-20² underflows float32; the norm is accumulated in double
        float[] v = [1e-20f, 1e-20f];
        Assert.True(VectorNorm.Normalise(v));
        Assert.Equal(MathF.Sqrt(0.5f), v[0], 1e-6f);
    }
}
