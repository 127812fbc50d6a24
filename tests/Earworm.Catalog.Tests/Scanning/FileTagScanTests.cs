using Earworm.Audio.Excerpts;
using Earworm.Audio.Media;
using Earworm.Catalog.Scanning;
using Earworm.Catalog.Tags;
using Earworm.Testing;
using Microsoft.Data.Sqlite;

namespace Earworm.Catalog.Tests.Scanning;

/// <summary>File tags read from ffmpeg's own dump at scan, and read later from the kept raw tags for tracks analysed before.</summary>
public sealed class FileTagScanTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<ScanSummary> ScanAsync(CatalogStore catalog, string library) =>
        await new LibraryScanner(catalog, new ExcerptStore(ExcerptStore.DefaultFor(_dir.File("catalog.db"))), new FfmpegDecoder(FfmpegTools.Locate()),
            new ScanOptions { Workers = 1, Excerpts = new ExcerptOptions { BudgetSeconds = 2, WindowSeconds = 1 }, Descriptors = false })
            .ScanAsync([library], null, CancellationToken.None);

    [FfmpegFact]
    public async Task GenreMoodGroupingAndCommentKeywordsBecomeFileTags()
    {
        var library = Directory.CreateDirectory(_dir.File("music")).FullName;
        var tone = new float[44100 * 2];
        for (int i = 0; i < tone.Length; i++) tone[i] = 0.2f * MathF.Sin(i * 0.05f);
        var encoder = new FfmpegEncoder(FfmpegTools.Locate());
        await encoder.EncodeAsync(tone, 44100, 2, Path.Combine(library, "a.mp3"),
            new Dictionary<string, string> { ["title"] = "A", ["genre"] = "Hip-Hop", ["grouping"] = "Evening" }, CancellationToken.None);
        await encoder.EncodeAsync(tone, 44100, 2, Path.Combine(library, "b.flac"),
            new Dictionary<string, string> { ["title"] = "B", ["genre"] = "Jazz; Soul", ["mood"] = "Calm", ["comment"] = "piano, rainy day" },
            CancellationToken.None);
        var path = _dir.File("catalog.db");
        using (var catalog = CatalogStore.Open(path))
        {
            Assert.Equal(2, (await ScanAsync(catalog, library)).Analysed);
            var byName = catalog.ListTracks().ToDictionary(t => Path.GetFileName(t.Path), t => catalog.TagsOfTrack(t.Id));
            Assert.Equal(["evening", "hip hop"], byName["a.mp3"].Select(t => t.Tag).Order());
            Assert.Equal(["calm", "jazz", "piano", "rainy day", "soul"], byName["b.flac"].Select(t => t.Tag).Order());
            Assert.All(byName.Values.SelectMany(t => t), t => Assert.Equal((TagSource.File, 1.0), (t.Source, t.Score)));
        }

        // a catalog analysed before Earworm read tags: the next scan reads them from the kept raw tags, decoding nothing
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "DELETE FROM track_tags; UPDATE tracks SET file_tags_read = NULL;";
            cmd.ExecuteNonQuery();
        }
        using (var catalog = CatalogStore.Open(path))
        {
            Assert.Empty(catalog.AllTrackTags());
            var s = await ScanAsync(catalog, library);
            Assert.Equal((0, 2), (s.Analysed, s.Discovery.Unchanged));
            Assert.Equal(7, catalog.AllTrackTags().Count);
        }
    }
}
