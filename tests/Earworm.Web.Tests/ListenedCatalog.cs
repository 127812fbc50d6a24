using Earworm.App;
using Earworm.App.Library;
using Earworm.App.Training;
using Earworm.Catalog.Import;
using Earworm.Testing;

namespace Earworm.Web.Tests;

/// <summary>
/// A copy of the test library's catalog with listening data and a cf model, as <c>import</c> then <c>train cf</c> leave
/// one: <see cref="Listener"/> played the house tracks and the two tracks by "Elsewhere", so the library's three other
/// artists are new to them; ten other listeners played every track now and then.
/// </summary>
public sealed class ListenedCatalog : IDisposable
{
    public const string Listener = "ann";

    private readonly TempDirectory _dir = new("earworm-web-listened-");

    public ListenedCatalog(TestLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        CatalogPath = Path.Combine(_dir.Path, "catalog.db");
        CatalogCopy.Backup(library.CatalogPath, CatalogPath);
        Played = [.. library.Tracks.Where(t => t.Artist is "Nightbus Collective" or "Elsewhere" || t.Id == library.LinkedOutTrack || t.Id == library.SwappedTrack).Select(t => t.Id)];
        var ids = library.Tracks.Select(t => t.Id).Order().ToList();
        var plays = Path.Combine(_dir.Path, "plays.csv");
        File.WriteAllLines(plays, ["user,item,count",
            .. Played.Select(id => $"{Listener},track:{id},3"),
            .. Enumerable.Range(0, 10).SelectMany(u => ids.Where((_, k) => (k + u) % 3 != 0).Select((id, k) => $"u{u},track:{id},{1 + (u + k) % 4}"))]);
        var location = new CatalogLocation(CatalogPath);
        new LibraryFiles(location).Import(ImportFormat.Csv, [plays], new ImportOptions());
        new CfTraining(location).Train(new CfSettings { Factors = 4, Iterations = 5 }, force: false, new Progress<string>(), CancellationToken.None);
    }

    public string CatalogPath { get; }

    public string UploadFolder => Path.Combine(_dir.Path, "uploads");

    /// <summary>The tracks <see cref="Listener"/> played.</summary>
    public IReadOnlyList<long> Played { get; }

    public void Dispose() => _dir.Dispose();
}
