using Earworm.Testing;

namespace Earworm.Catalog.Tests.Contract;

/// <summary>The PostgreSQL catalog, on a server the tests start (<see cref="PostgresServer"/>), a new database per test.</summary>
[BackEnd(typeof(PostgresServer), nameof(PostgresServer.SkipReason))]
public sealed class PostgresCatalogContractTests : CatalogContract
{
    protected override ICatalog CreateEmpty(TempDirectory scratch) => PostgresCatalog.Open(PostgresServer.Instance.NewDatabase());
}
