using Earworm.Learning.Numerics;

namespace Earworm.Learning.Tests.Numerics;

public class SeedMixTests
{
    [Fact]
    public void MixesAreFixedValuesThatDependOnOrder()
    {
        // SplitMix64's finaliser of (3 << 32 | 4) + the golden gamma, low 32 bits, computed independently in Python
        Assert.Equal(-816345635, SeedMix.Mix(3, 4));
        Assert.NotEqual(SeedMix.Mix(3, 4), SeedMix.Mix(4, 3));
        Assert.Equal(SeedMix.Mix(SeedMix.Mix(1, 2), 3), SeedMix.Mix(1, 2, 3));
        Assert.NotEqual(SeedMix.Mix(1, 2, 3), SeedMix.Mix(1, 3, 2));
    }
}
