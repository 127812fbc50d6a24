using Earworm.Testing;

namespace Earworm.Catalog.Tests.Contract;

/// <summary>The SQLite catalog on a file (WAL), as every verb opens it.</summary>
public sealed class SqliteFileCatalogContractTests : CatalogContract
{
    protected override ICatalog CreateEmpty(TempDirectory scratch) => CatalogStore.Open(scratch.File("catalog.db"));
}

/// <summary>The SQLite catalog in memory (tests and tools).</summary>
public sealed class SqliteMemoryCatalogContractTests : CatalogContract
{
    protected override ICatalog CreateEmpty(TempDirectory scratch) => CatalogStore.OpenInMemory();
}
