using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Earworm.Web.Tests;

/// <summary>The app in memory over the test library's catalog (settings as `dotnet Earworm.Web.dll --catalog …` takes them).</summary>
public sealed class EarwormFactory(TestLibrary library, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("catalog", library.CatalogPath);
        builder.UseSetting("upload-folder", library.UploadFolder);
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) builder.UseSetting(k, v);
    }
}
