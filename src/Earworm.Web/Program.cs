// Standalone entry point (`dotnet Earworm.Web.dll --catalog PATH [--host H --port P --token T]`), also the one
// WebApplicationFactory hosts in tests. Users run `earworm serve`.
using Earworm.Web;

var app = EarwormServer.Build(args);
await app.RunAsync().ConfigureAwait(false);

/// <summary>The entry point, named so WebApplicationFactory&lt;Program&gt; can host it.</summary>
public partial class Program;
