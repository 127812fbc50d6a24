using Earworm.Audio.Excerpts;
using Earworm.Audio.Media;
using Earworm.Catalog.Scanning;
using Earworm.Testing;

namespace Earworm.Catalog.Tests.Scanning;

/// <summary>Scans of small real libraries written with ffmpeg: success, failures, incremental re-scans, resume.</summary>
public sealed class LibraryScannerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _library;
    private readonly string _catalogPath;

    public LibraryScannerTests()
    {
        _library = Directory.CreateDirectory(_dir.File("Music Ü")).FullName;
        _catalogPath = _dir.File("state/catalog.db");
    }

    public void Dispose() => _dir.Dispose();

    private static float[] Tone(double seconds, double hz, int rate = 44100)
    {
        var x = new float[(int)(seconds * rate) * 2];
        for (int i = 0; i < x.Length / 2; i++) x[2 * i] = x[2 * i + 1] = 0.3f * (float)Math.Sin(2 * Math.PI * hz * i / rate);
        return x;
    }

    private static async Task<string> WriteAsync(string path, double seconds, double hz, string? title = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tags = new Dictionary<string, string> { ["title"] = title ?? Path.GetFileNameWithoutExtension(path), ["artist"] = "Test Artist" };
        await new FfmpegEncoder(FfmpegTools.Locate()).EncodeAsync(Tone(seconds, hz), 44100, 2, path, tags, CancellationToken.None);
        return path;
    }

    private async Task<ScanSummary> ScanAsync(CatalogStore catalog, int workers = 2, IProgress<ScanProgress>? progress = null,
        CancellationToken ct = default, bool descriptors = true, string? root = null)
    {
        var scanner = new LibraryScanner(catalog, new ExcerptStore(ExcerptStore.DefaultFor(_catalogPath)),
            new FfmpegDecoder(FfmpegTools.Locate()), new ScanOptions
            {
                Workers = workers, Excerpts = new ExcerptOptions { BudgetSeconds = 4, WindowSeconds = 2 }, Descriptors = descriptors,
            });
        return await scanner.ScanAsync([root ?? _library], progress, ct);
    }

    [FfmpegFact]
    public async Task AFileScannedOnItsOwnStaysThatTrackWhenItsFolderIsScanned()
    {
        await WriteAsync(Path.Combine(_library, "song.ogg"), 1, 440);
        var cover = Path.Combine(_library, "cover.jpg");
        await File.WriteAllBytesAsync(cover, [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9]);
        using var catalog = CatalogStore.Open(_catalogPath);

        await ScanAsync(catalog, root: cover); // named on its own: tried, and failed with the reason
        var failed = Assert.Single(catalog.ListTracks());
        Assert.Equal(TrackStatus.Failed, failed.Status);

        var s = await ScanAsync(catalog); // then its folder
        Assert.Empty(s.Skipped);
        Assert.Empty(catalog.ListSkipped());
        Assert.Empty(catalog.ListTracks(TrackStatus.Missing));
        var again = catalog.FindByPath(failed.Path)!;
        Assert.Equal((TrackStatus.Failed, failed.Failure), (again.Status, again.Failure));
        Assert.Equal(1, s.Analysed); // song.ogg
    }

    [FfmpegFact]
    public async Task AnalysesGoodFilesAndRecordsBadOnesAsFailedWithTheReason()
    {
        await WriteAsync(Path.Combine(_library, "a", "Tone one.mp3"), 3, 220, "Tone One");
        await WriteAsync(Path.Combine(_library, "a", "tone-two.ogg"), 6, 440);
        await WriteAsync(Path.Combine(_library, "b", "trois é.flac"), 2.5, 330);
        var whole = await WriteAsync(Path.Combine(_library, "b", "cut.flac"), 6, 550);
        var bytes = await File.ReadAllBytesAsync(whole);
        await File.WriteAllBytesAsync(Path.Combine(_library, "b", "truncated.flac"), bytes[..(bytes.Length / 3)]);
        File.Delete(whole);
        await File.WriteAllTextAsync(Path.Combine(_library, "text named.mp3"), "I am a text file, not an mp3.\n");
        await File.WriteAllBytesAsync(Path.Combine(_library, "empty.wav"), []);
        var noise = new byte[50_000];
        new Random(3).NextBytes(noise);
        noise[0] = (byte)'O'; noise[1] = (byte)'g'; noise[2] = (byte)'g'; noise[3] = (byte)'S';
        await File.WriteAllBytesAsync(Path.Combine(_library, "corrupt.ogg"), noise);

        using var catalog = CatalogStore.Open(_catalogPath);
        var s = await ScanAsync(catalog);

        Assert.False(s.Interrupted);
        Assert.Equal(3, s.Analysed);
        Assert.Equal(4, s.Failed);
        var byName = catalog.ListTracks().ToDictionary(t => Path.GetFileName(t.Path));
        var one = byName["Tone one.mp3"];
        Assert.Equal(TrackStatus.Analysed, one.Status);
        Assert.Equal("Tone One", one.Title);
        Assert.Equal("Test Artist", one.Artist);
        Assert.Equal(3.0, one.DurationSeconds!.Value, 0.1);
        Assert.Equal(TrackStatus.Analysed, byName["trois é.flac"].Status);
        Assert.Equal(2, byName["tone-two.ogg"].ExcerptCount); // 6 s track, 4 s budget in 2 s windows

        Assert.Equal("empty file (0 bytes)", byName["empty.wav"].Failure);
        Assert.StartsWith("ffmpeg: ", byName["text named.mp3"].Failure, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(byName["corrupt.ogg"].Failure));
        Assert.Equal(TrackStatus.Failed, byName["truncated.flac"].Status);
        Assert.False(string.IsNullOrWhiteSpace(byName["truncated.flac"].Failure));

        // the excerpts are in the cache and decode to the planned shape
        var set = new ExcerptStore(ExcerptStore.DefaultFor(_catalogPath)).TryRead(byName["tone-two.ogg"].ContentHash!)!;
        Assert.Equal(2, set.Excerpts.Count);
        Assert.Equal(128, set.MelBands);
        Assert.All(set.Excerpts, e => Assert.Equal(1 + 2 * 22050 / 512, e.Frames));
        Assert.Equal("completed", catalog.LastScan()!.Outcome);
    }

    [FfmpegFact]
    public async Task AnalysesModulesGuessesMissingTagsAndListsEveryOtherFile()
    {
        var ost = Directory.CreateDirectory(Path.Combine(_library, "Game OST", "CD1")).FullName;
        await new FfmpegEncoder(FfmpegTools.Locate()).EncodeAsync(Tone(3, 220), 44100, 2, Path.Combine(ost, "01 - Composer X - Intro.ogg"),
            new Dictionary<string, string>(), CancellationToken.None); // no tags at all
        File.WriteAllBytes(Path.Combine(ost, "tune.xm"), ModuleWriter.Xm("Boss Fight"));
        File.WriteAllBytes(Path.Combine(ost, "tune.s3m"), ModuleWriter.S3m());
        File.WriteAllBytes(Path.Combine(ost, "tune.mod"), ModuleWriter.Mod());
        File.WriteAllBytes(Path.Combine(ost, "chiptune"), ModuleWriter.Mod("no extension"));   // found by its M.K. tag
        File.WriteAllBytes(Path.Combine(ost, "cover.jpg"), [0xFF, 0xD8, 0xFF, 0xE0]);
        File.WriteAllText(Path.Combine(ost, "notes.txt"), "liner notes");
        File.WriteAllBytes(Path.Combine(ost, "theme.mid"), [(byte)'M', (byte)'T', (byte)'h', (byte)'d', 0, 0, 0, 6]);

        using var catalog = CatalogStore.Open(_catalogPath);
        var s = await ScanAsync(catalog, descriptors: false);
        Assert.Equal((5, 0), (s.Analysed, s.Failed));
        Assert.Equal(["cover.jpg", "notes.txt", "theme.mid"], s.Skipped.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(s.Skipped, catalog.ListSkipped());
        Assert.Equal(3, catalog.Counts().Skipped);

        var byName = catalog.ListTracks().ToDictionary(t => Path.GetFileName(t.Path));
        var intro = byName["01 - Composer X - Intro.ogg"];
        Assert.Equal(("Intro", "Composer X", "Game OST"), (intro.Title, intro.Artist, intro.Album)); // CD1 is a disc folder
        Assert.Equal(GuessedTags.Title | GuessedTags.Artist | GuessedTags.Album, intro.GuessedTags);
        Assert.False(intro.HasPicture);
        var xm = byName["tune.xm"];
        Assert.Equal(("Boss Fight", "Game OST", GuessedTags.Album), (xm.Title, xm.Album, xm.GuessedTags)); // the module names itself
        Assert.Equal("libopenmpt", xm.Container);
        Assert.InRange(xm.DurationSeconds!.Value, 7.6, 7.9);
        Assert.All(new[] { "tune.s3m", "tune.mod", "chiptune" }, n => Assert.Equal("libopenmpt", byName[n].Container));
        Assert.Equal(("no extension", GuessedTags.Album), (byName["chiptune"].Title, byName["chiptune"].GuessedTags));

        File.Delete(Path.Combine(ost, "notes.txt"));
        await ScanAsync(catalog, descriptors: false);
        Assert.Equal(["cover.jpg", "theme.mid"], catalog.ListSkipped().Select(f => Path.GetFileName(f.Path))); // gone from the list too
    }

    [FfmpegFact]
    public async Task RescansDoOnlyWhatChanged()
    {
        var keep = await WriteAsync(Path.Combine(_library, "keep.ogg"), 2, 220);
        var touch = await WriteAsync(Path.Combine(_library, "touch.ogg"), 2, 330);
        var modify = await WriteAsync(Path.Combine(_library, "modify.ogg"), 2, 440);
        var delete = await WriteAsync(Path.Combine(_library, "delete.ogg"), 2, 550);
        using var catalog = CatalogStore.Open(_catalogPath);
        Assert.Equal(4, (await ScanAsync(catalog)).Analysed);
        var before = catalog.ListTracks().ToDictionary(t => Path.GetFileName(t.Path));

        var again = await ScanAsync(catalog);
        Assert.Equal((0, 0, 4), (again.Analysed, again.Failed, again.Discovery.Unchanged));

        File.SetLastWriteTimeUtc(touch, DateTime.UtcNow.AddMinutes(5));
        await WriteAsync(modify, 3, 660);
        File.Delete(delete);
        await WriteAsync(Path.Combine(_library, "added.ogg"), 2, 770);
        var third = await ScanAsync(catalog);

        Assert.Equal(1, third.Discovery.Added);
        Assert.Equal(2, third.Discovery.Changed);
        Assert.Equal(1, third.Discovery.Missing);
        Assert.Equal(2, third.Analysed);   // modify + added
        Assert.Equal(1, third.Unchanged);  // touch: same content hash, no decode
        var after = catalog.ListTracks().ToDictionary(t => Path.GetFileName(t.Path));
        Assert.Equal(TrackStatus.Missing, after["delete.ogg"].Status);
        Assert.Equal(TrackStatus.Analysed, after["touch.ogg"].Status);
        Assert.Equal(before["touch.ogg"].AnalysedAt, after["touch.ogg"].AnalysedAt);
        Assert.Equal(before["keep.ogg"].AnalysedAt, after["keep.ogg"].AnalysedAt);
        Assert.NotEqual(before["modify.ogg"].ContentHash, after["modify.ogg"].ContentHash);
        Assert.Equal(3.0, after["modify.ogg"].DurationSeconds!.Value, 0.1);
        Assert.Equal(5, after.Count);
        Assert.True(File.Exists(keep));
    }

    [FfmpegFact]
    public async Task AnInterruptedScanResumesWithoutRedoingFinishedTracks()
    {
        for (int i = 0; i < 6; i++) await WriteAsync(Path.Combine(_library, $"t{i}.flac"), 2, 200 + 50 * i);
        using var catalog = CatalogStore.Open(_catalogPath);
        using var cts = new CancellationTokenSource();
        var stopAfterTwo = new InlineProgress(p => { if (p.Done >= 2) cts.Cancel(); });
        var first = await ScanAsync(catalog, workers: 1, stopAfterTwo, cts.Token);

        Assert.True(first.Interrupted);
        Assert.InRange(first.Analysed, 2, 3);
        Assert.Equal("interrupted", catalog.LastScan()!.Outcome);
        var counts = catalog.Counts();
        Assert.Equal(first.Analysed, counts.Analysed);
        Assert.Equal(6 - first.Analysed, counts.Pending);

        var second = await ScanAsync(catalog);
        Assert.False(second.Interrupted);
        Assert.Equal(6 - first.Analysed, second.Discovery.Resumed);
        Assert.Equal(6 - first.Analysed, second.Analysed);
        Assert.Equal(6, catalog.Counts().Analysed);
    }

    [FfmpegFact]
    public async Task ASecondScanOfTheSameCatalogIsRefusedWhileOneRuns()
    {
        await WriteAsync(Path.Combine(_library, "x.ogg"), 1, 220);
        using var catalog = CatalogStore.Open(_catalogPath);
        using var held = new FileStream(_catalogPath + ".scan-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var e = await Assert.ThrowsAsync<UsageException>(() => ScanAsync(catalog));
        Assert.Contains("another scan", e.Message, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task DescriptorsComeFromTheSameScanAndAreRecomputedAloneWhenMissingOrOld()
    {
        var rendered = Earworm.Audio.Synthesis.Synthesizer.Render(Earworm.Audio.Synthesis.TrackSpec.Typical(
            Earworm.Audio.Synthesis.SynthStyle.House, tonic: 9, durationSeconds: 12));
        var house = Path.Combine(_library, "house.flac");
        await new FfmpegEncoder(FfmpegTools.Locate()).EncodeAsync(rendered.Samples, rendered.SampleRate, 2, house,
            new Dictionary<string, string> { ["title"] = "House" }, CancellationToken.None);
        await WriteAsync(Path.Combine(_library, "tone.ogg"), 3, 440);
        using var catalog = CatalogStore.Open(_catalogPath);

        // a scan without descriptors stores none
        Assert.Equal(2, (await ScanAsync(catalog, descriptors: false)).Analysed);
        Assert.Empty(catalog.AllDescriptors());
        var before = catalog.ListTracks().ToDictionary(t => Path.GetFileName(t.Path));

        // the next scan computes only the descriptors: no new excerpts, same analysis time
        var second = await ScanAsync(catalog);
        Assert.Equal((0, 2), (second.Analysed, second.Described));
        var after = catalog.ListTracks().ToDictionary(t => Path.GetFileName(t.Path));
        Assert.Equal(before["house.flac"].AnalysedAt, after["house.flac"].AnalysedAt);
        Assert.Equal(Earworm.Audio.Descriptors.TrackDescriptors.Version, after["house.flac"].DescriptorVersion);
        var d = catalog.FindDescriptors(after["house.flac"].Id)!;
        Assert.Equal(124, d.TempoBpm!.Value, 124 * 0.02);
        Assert.Equal("A minor", d.KeyName);
        Assert.False(d.IsSilent);
        Assert.NotNull(d.IntegratedLoudnessLufs);

        // unchanged and current: nothing to do; an older descriptor version: recomputed alone
        Assert.Equal((0, 0), ((await ScanAsync(catalog)).Analysed, (await ScanAsync(catalog)).Described));
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_catalogPath};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "UPDATE descriptors SET version = version - 1";
            cmd.ExecuteNonQuery();
        }
        var bumped = await ScanAsync(catalog);
        Assert.Equal((0, 2), (bumped.Analysed, bumped.Described));

        // a fresh analysis stores descriptors in the same transaction as the track
        await WriteAsync(Path.Combine(_library, "new.mp3"), 4, 330);
        var third = await ScanAsync(catalog);
        Assert.Equal(1, third.Analysed);
        Assert.NotNull(catalog.FindDescriptors(catalog.ListTracks().Single(t => t.Path.EndsWith("new.mp3", StringComparison.Ordinal)).Id));
        Assert.Equal(3, catalog.AllDescriptors().Count);
    }

    private sealed class InlineProgress(Action<ScanProgress> onReport) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => onReport(value);
    }
}
