using Earworm.Testing;

namespace Earworm.Catalog.Tests;

public class MigrationTests
{
    /// <summary>A guard, not a proof: the race (two openers reading version 0, the second re-running a step) is rare
    /// enough that this passed without the fix too; the fix is reading the version again under the write lock.</summary>
    [Fact]
    public void SeveralConnectionsOpeningANewCatalogAtOnceAllSeeTheLatestSchema()
    {
        using var dir = new TempDirectory();
        for (int round = 0; round < 5; round++)
        {
            var path = dir.File($"c{round}.db");
            var opened = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4).Select(_ =>
            {
                using var c = CatalogStore.Open(path);
                return c.SchemaVersion;
            }).ToList();
            Assert.All(opened, v => Assert.Equal(Migrations.Latest, v));
        }
    }
}
