using Earworm.Recommend.Spaces;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Earworm.Web.Tests;

/// <summary>The app in memory over the test library's catalog (settings as `dotnet Earworm.Web.dll --catalog …` takes them;
/// a setting given overrides the library's), with <paramref name="audioFiles"/> as its audio-model embedder when given
/// (registered as `earworm serve` hands its own).</summary>
public sealed class EarwormFactory(TestLibrary library, IReadOnlyDictionary<string, string>? settings = null, IAudioFileEmbedder? audioFiles = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("catalog", library.CatalogPath);
        builder.UseSetting("upload-folder", library.UploadFolder);
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) builder.UseSetting(k, v);
        if (audioFiles is not null) builder.ConfigureTestServices(s => s.AddSingleton(audioFiles));
    }
}
