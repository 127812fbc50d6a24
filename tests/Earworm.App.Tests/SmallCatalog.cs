using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.App.Tests;

/// <summary>A catalog file with <see cref="SixTrackCatalog"/>'s tracks and the services over it.</summary>
public sealed class SmallCatalog : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SmallCatalog()
    {
        Location = new CatalogLocation(_dir.File("catalog.db"));
        using (var catalog = Location.Open()) Ids = SixTrackCatalog.Fill(catalog);
        Services = new EarwormServices(Location, new ServiceOptions { EmbedWithAudioModel = false });
    }

    public CatalogLocation Location { get; }

    public EarwormServices Services { get; }

    public List<long> Ids { get; }

    public string File(string name) => _dir.File(name);

    public ICatalog Open() => Location.Open();

    public void Dispose()
    {
        Services.Dispose();
        _dir.Dispose();
    }
}
