using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Testing;

namespace Earworm.Web.Tests;

/// <summary>
/// A small synthesised library scanned into a catalog, shared by the tests of a collection: four styles × two tracks
/// of 8 s (wav and mp3), plus a link that leads out of the library and a track whose file is swapped for a link to
/// /etc/passwd after the scan (both must never be served).
/// </summary>
public sealed class TestLibrary : IAsyncLifetime
{
    private static readonly (SynthStyle Style, string Artist, string Album)[] Styles =
    [
        (SynthStyle.House, "Nightbus Collective", "Warehouse Hours"),
        (SynthStyle.AmbientPad, "Hollow Meridian", "Slow Weather"),
        (SynthStyle.DrumAndBass, "Subterrane", "Rollers"),
        (SynthStyle.PianoBallad, "Clara Weiß", "Stille Stücke"),
    ];

    private readonly TempDirectory _dir = new("earworm-web-test-");

    public string Root => _dir.Path;
    public string LibraryFolder => Path.Combine(Root, "library");
    public string CatalogPath => Path.Combine(Root, "catalog.db");
    public string UploadFolder => Path.Combine(Root, "uploads");

    /// <summary>A file outside the library, to upload (never scanned).</summary>
    public string OutsideAudio => Path.Combine(Root, "outside", "upload.wav");

    public long LinkedOutTrack { get; private set; }
    public long SwappedTrack { get; private set; }
    public IReadOnlyList<TrackRecord> Tracks { get; private set; } = [];

    public TrackRecord Track(string title) => Tracks.Single(t => t.Title == title);

    public async Task InitializeAsync()
    {
        if (FfmpegPrerequisiteMissing()) return;
        var encoder = new FfmpegEncoder(FfmpegTools.Locate());
        Directory.CreateDirectory(LibraryFolder);
        Directory.CreateDirectory(Path.Combine(Root, "outside"));
        int tonic = 0;
        foreach (var (style, artist, album) in Styles)
        {
            for (int n = 1; n <= 2; n++)
            {
                var spec = TrackSpec.Typical(style, tonic: (tonic += 5) % 12, seed: n, durationSeconds: 8) with
                    { Title = $"{style} {n}", Artist = artist, Album = album };
                var rendered = Synthesizer.Render(spec, 22050);
                var path = Path.Combine(LibraryFolder, album, $"{n:00} {spec.Title}.{(n == 1 ? "wav" : "mp3")}");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await encoder.EncodeAsync(rendered.Samples, rendered.SampleRate, rendered.Channels, path,
                    new Dictionary<string, string> { ["title"] = spec.Title, ["artist"] = artist, ["album"] = album, ["genre"] = spec.Genre, ["track"] = $"{n}" },
                    CancellationToken.None);
            }
        }
        var outside = Synthesizer.Render(TrackSpec.Typical(SynthStyle.Chiptune, durationSeconds: 6) with { Title = "Outside" }, 22050);
        var secret = Path.Combine(Root, "outside", "secret.wav");
        await encoder.EncodeAsync(outside.Samples, outside.SampleRate, outside.Channels, secret,
            new Dictionary<string, string> { ["title"] = "Secret", ["artist"] = "Elsewhere" }, CancellationToken.None);
        File.Copy(secret, OutsideAudio);
        File.CreateSymbolicLink(Path.Combine(LibraryFolder, "link out.wav"), secret);
        var swap = Path.Combine(LibraryFolder, "swap.wav");
        File.Copy(secret, swap);

        using (var catalog = CatalogStore.Open(CatalogPath))
        {
            var scanner = new LibraryScanner(catalog, new ExcerptStore(ExcerptStore.DefaultFor(CatalogPath)),
                new FfmpegDecoder(FfmpegTools.Locate()), new ScanOptions { Workers = 2 });
            await scanner.ScanAsync([LibraryFolder], null, CancellationToken.None);
            Tracks = catalog.ListTracks(TrackStatus.Analysed);
            LinkedOutTrack = Tracks.Single(t => t.Path == LibraryWalker.Canonical(secret)).Id;
            SwappedTrack = Tracks.Single(t => t.Path.EndsWith("swap.wav", StringComparison.Ordinal)).Id;
        }
        // After the scan, the file is replaced by a link to a system file.
        File.Delete(swap);
        File.CreateSymbolicLink(swap, "/etc/passwd");
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private static bool FfmpegPrerequisiteMissing()
    {
        try
        {
            FfmpegTools.Locate();
            return false;
        }
        catch (PrerequisiteMissingException)
        {
            return true;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LibraryCollection : ICollectionFixture<TestLibrary>
{
    public const string Name = "synthesised library";
}
