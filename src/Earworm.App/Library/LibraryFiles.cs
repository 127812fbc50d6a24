using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Recommend.Spaces;

namespace Earworm.App.Library;

/// <summary>What an export wrote: the space, how many tracks and dimensions, the file.</summary>
public sealed record ExportResult(string Space, int Tracks, int Dimensions, string File);

/// <summary>What an import did, file by file, and what the catalog holds after it.</summary>
public sealed record ImportResult(IReadOnlyList<ImportOutcome> Files, ListeningCounts Catalog);

/// <summary>
/// Files in and out of the library for every front end: a space's vectors exported for other tools
/// (<see cref="SpaceExport"/>), listening histories and playlists imported (parsed in full, then written all or nothing),
/// and the demo library synthesised and encoded.
/// </summary>
public sealed class LibraryFiles(CatalogLocation location)
{
    /// <summary>Writes a space's vectors to FILE.csv or FILE.parquet.</summary>
    /// <exception cref="UsageException">an unknown or empty space, or another extension.</exception>
    public async Task<ExportResult> ExportAsync(string spaceName, string file, CancellationToken cancellationToken)
    {
        using var catalog = location.OpenExisting();
        var space = new SpaceService(catalog).Load(spaceName);
        var paths = catalog.ListTracks().ToDictionary(t => t.Id, t => t.Path);
        var full = Path.GetFullPath(file);
        await SpaceExport.WriteAsync(space, id => paths[id], full, cancellationToken).ConfigureAwait(false);
        return new ExportResult(space.Name, space.Count, space.Dimension, full);
    }

    /// <summary>Imports files of one format (read and checked in full first: a malformed one imports nothing).</summary>
    /// <exception cref="DatasetFormatException">a malformed file, with its line.</exception>
    /// <exception cref="UsageException">a path that does not exist, or options the format refuses.</exception>
    public ImportResult Import(ImportFormat format, IReadOnlyList<string> paths, ImportOptions options)
    {
        var sources = ImportReader.Read(format, paths, options);
        using var catalog = location.Open();
        var outcomes = catalog.Import(sources);
        return new ImportResult(outcomes, catalog.ListeningCounts());
    }

    /// <summary>Synthesises and encodes the demo library into <paramref name="folder"/> (files already there are kept).</summary>
    /// <exception cref="PrerequisiteMissingException">ffmpeg is not installed.</exception>
    public static Task<DemoManifest> WriteDemoLibraryAsync(string folder, CancellationToken cancellationToken) =>
        DemoLibrary.WriteAsync(folder, new FfmpegEncoder(FfmpegTools.Locate()), null, cancellationToken);
}
