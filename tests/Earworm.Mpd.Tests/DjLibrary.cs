using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Testing;

namespace Earworm.Mpd.Tests;

/// <summary>
/// The MPD tests' library: the first five albums of the demo library (house, piano ballad, drum and bass, ambient,
/// rock: three tracks each, 8 s long, the demo's names — spaces, quotes of no kind, a non-ASCII letter — and its mp3,
/// ogg, flac and wav by turns) scanned into a catalog, plus one file MPD has that the catalog has not analysed.
/// </summary>
public sealed class DjLibrary : IAsyncLifetime
{
    public const double TrackSeconds = 8;
    public const string Unanalysed = "not scanned/late arrival.wav";

    private readonly TempDirectory _dir = new("earworm-mpd-test-");

    public string Root => _dir.Path;
    public string MusicDirectory => Path.Combine(Root, "music");
    public string CatalogPath => Path.Combine(Root, "catalog.db");

    /// <summary>The analysed tracks, by MPD URI (the path under the music directory).</summary>
    public IReadOnlyDictionary<string, TrackRecord> ByUri { get; private set; } = new Dictionary<string, TrackRecord>();

    public IReadOnlyDictionary<long, string> UriOf { get; private set; } = new Dictionary<long, string>();

    public async Task InitializeAsync()
    {
        if (MpdServer.SkipReason() is not null || new FfmpegFactAttribute().Skip is not null) return;
        var encoder = new FfmpegEncoder(FfmpegTools.Locate());
        var albums = DemoLibrary.Tracks.Select(t => t.Spec.Album).Distinct().Take(5).ToHashSet();
        foreach (var track in DemoLibrary.Tracks.Where(t => albums.Contains(t.Spec.Album)))
        {
            var rendered = Synthesizer.Render(track.Spec with { DurationSeconds = TrackSeconds }, 22050);
            string path = Path.Combine(MusicDirectory, track.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await encoder.EncodeAsync(rendered.Samples, rendered.SampleRate, rendered.Channels, path, DemoLibrary.Tags(track), CancellationToken.None);
        }
        using (var catalog = CatalogStore.Open(CatalogPath))
        {
            var scanner = new LibraryScanner(catalog, new ExcerptStore(ExcerptStore.DefaultFor(CatalogPath)),
                new FfmpegDecoder(FfmpegTools.Locate()), new ScanOptions { Workers = 2 });
            await scanner.ScanAsync([MusicDirectory], null, CancellationToken.None);
            string root = LibraryWalker.Canonical(MusicDirectory)! + "/";
            ByUri = catalog.ListTracks(TrackStatus.Analysed).ToDictionary(t => t.Path[root.Length..], StringComparer.Ordinal);
            UriOf = ByUri.ToDictionary(p => p.Value.Id, p => p.Key);
        }
        // after the scan: MPD will have it, Earworm has not analysed it
        var late = Synthesizer.Render(TrackSpec.Typical(SynthStyle.Chiptune, durationSeconds: TrackSeconds), 22050);
        Directory.CreateDirectory(Path.Combine(MusicDirectory, "not scanned"));
        await encoder.EncodeAsync(late.Samples, late.SampleRate, late.Channels, Path.Combine(MusicDirectory, Unanalysed), new Dictionary<string, string>(), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class DjCollection : ICollectionFixture<DjLibrary>
{
    public const string Name = "MPD library";
}
