using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Xunit.Abstractions;

namespace Earworm.Audio.Tests.Synthesis;

public sealed class DemoLibraryTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "earworm-demo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void TheLibraryHasSixOrMoreStylesOfThreeOrMoreTracksInEveryFormat()
    {
        var tracks = DemoLibrary.Tracks;
        var byStyle = tracks.GroupBy(t => t.Spec.Style).ToList();
        Assert.True(byStyle.Count >= 6);
        Assert.All(byStyle, g => Assert.True(g.Count() >= 3));
        Assert.Equal(DemoLibrary.Formats.Order(), tracks.Select(t => t.Format).Distinct().Order());
        Assert.All(tracks, t => Assert.EndsWith("." + t.Format, t.RelativePath, StringComparison.Ordinal));

        // Unique even on case-insensitive file systems; some with a space and a non-ASCII letter.
        Assert.Equal(tracks.Count, tracks.Select(t => t.RelativePath.ToUpperInvariant()).Distinct().Count());
        Assert.Contains(tracks, t => t.RelativePath.Contains(' ', StringComparison.Ordinal) && t.RelativePath.Any(c => c > 127));
        Assert.All(tracks, t => Assert.DoesNotContain('\\', t.RelativePath));
    }

    [Fact]
    public void EveryTrackIsShortValidTaggedAndInItsStylesTempoRange()
    {
        foreach (var t in DemoLibrary.Tracks)
        {
            t.Spec.Validate();
            var profile = StyleProfile.Of(t.Spec.Style);
            Assert.InRange(t.Spec.DurationSeconds, 10, 14);
            Assert.InRange(t.Spec.TempoBpm, profile.MinTempoBpm, profile.MaxTempoBpm);
            Assert.Equal(profile.DisplayName, t.Spec.Genre);
            Assert.False(string.IsNullOrWhiteSpace(t.Spec.Title) || string.IsNullOrWhiteSpace(t.Spec.Artist) || string.IsNullOrWhiteSpace(t.Spec.Album));
        }
        Assert.Equal(DemoLibrary.Tracks.Count, DemoLibrary.Tracks.Select(t => t.Spec.Seed).Distinct().Count());
        foreach (var album in DemoLibrary.Tracks.GroupBy(t => t.Spec.Album))
        {
            Assert.Equal(Enumerable.Range(1, album.Count()), album.Select(t => t.TrackNumber));
            Assert.True(album.Select(t => t.Spec.Tonic).Distinct().Count() > 1);
            Assert.True(album.Select(t => t.Spec.TempoBpm).Distinct().Count() > 1);
        }
        double minutes = DemoLibrary.Tracks.Sum(t => t.Spec.DurationSeconds) / 60;
        output.WriteLine($"{DemoLibrary.Tracks.Count} tracks, {minutes:F1} minutes");
        Assert.InRange(minutes, 2, 8);
    }

    [Fact]
    public async Task WriteAsyncEncodesEveryTrackWithTagsWritesTheManifestAndKeepsCurrentFiles()
    {
        var encoder = new FakeEncoder();
        var reports = new ConcurrentBag<int>();
        var stopwatch = Stopwatch.StartNew();
        var manifest = await DemoLibrary.WriteAsync(_directory, encoder, new SyncProgress(reports.Add), CancellationToken.None);
        output.WriteLine($"first run: {stopwatch.Elapsed.TotalSeconds:F2} s on {Environment.ProcessorCount} processors");

        int n = DemoLibrary.Tracks.Count;
        Assert.Equal(n, encoder.Calls.Count);
        Assert.Equal(n, manifest.Tracks.Count);
        Assert.Equal(Enumerable.Range(1, n), reports.Order());
        foreach (var track in DemoLibrary.Tracks)
        {
            var call = Assert.Single(encoder.Calls, c => c.Path == Path.Combine(_directory, track.RelativePath));
            Assert.True(File.Exists(call.Path));
            Assert.Equal(DemoLibrary.SampleRate, call.SampleRate);
            Assert.Equal(2, call.Channels);
            Assert.Equal(2 * (int)Math.Round(track.Spec.DurationSeconds * DemoLibrary.SampleRate), call.SampleCount);
            Assert.Equal(track.Spec.Title, call.Tags["title"]);
            Assert.Equal(track.Spec.Artist, call.Tags["artist"]);
            Assert.Equal(track.Spec.Album, call.Tags["album"]);
            Assert.Equal(track.Spec.Genre, call.Tags["genre"]);
            Assert.Equal(track.TrackNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), call.Tags["track"]);
        }

        // The manifest on disk carries the ground truth in readable JSON.
        string json = await File.ReadAllTextAsync(Path.Combine(_directory, DemoLibrary.ManifestFileName));
        using var doc = JsonDocument.Parse(json);
        var first = doc.RootElement.GetProperty("tracks")[0];
        var t0 = DemoLibrary.Tracks[0];
        Assert.Equal(t0.RelativePath, first.GetProperty("path").GetString());
        Assert.Equal(t0.Spec.TempoBpm, first.GetProperty("tempoBpm").GetDouble());
        Assert.Equal(t0.Spec.KeyName, first.GetProperty("key").GetString());
        Assert.Equal(t0.Spec.Mode.ToString(), first.GetProperty("mode").GetString());
        Assert.Equal(t0.Spec.Style.ToString(), first.GetProperty("style").GetString());
        Assert.Equal(t0.Format, first.GetProperty("format").GetString());

        // Second run: nothing to render.
        var again = await DemoLibrary.WriteAsync(_directory, encoder, null, CancellationToken.None);
        Assert.Equal(n, encoder.Calls.Count);
        Assert.Equal(manifest.Tracks, again.Tracks);
    }

    [Fact]
    public async Task AMissingFileOrAChangedSpecIsRenderedAgainAndOnlyThat()
    {
        var tracks = DemoLibrary.Tracks.Take(3).Select(t => t with { Spec = t.Spec with { DurationSeconds = 1 } }).ToList();
        var encoder = new FakeEncoder();
        await DemoLibrary.WriteAsync(_directory, tracks, 8000, encoder, null, CancellationToken.None);
        Assert.Equal(3, encoder.Calls.Count);

        File.Delete(Path.Combine(_directory, tracks[1].RelativePath));
        tracks[2] = tracks[2] with { Spec = tracks[2].Spec with { TempoBpm = tracks[2].Spec.TempoBpm + 1 } };
        var manifest = await DemoLibrary.WriteAsync(_directory, tracks, 8000, encoder, null, CancellationToken.None);
        Assert.Equal(5, encoder.Calls.Count);
        Assert.Equal([tracks[1].RelativePath, tracks[2].RelativePath],
            encoder.Calls.Skip(3).Select(c => Path.GetRelativePath(_directory, c.Path).Replace('\\', '/')).Order(StringComparer.Ordinal));
        Assert.Equal(tracks[2].Spec.TempoBpm, manifest.Tracks[2].TempoBpm);

        // Another sample rate invalidates everything.
        await DemoLibrary.WriteAsync(_directory, tracks, 11025, encoder, null, CancellationToken.None);
        Assert.Equal(8, encoder.Calls.Count);
    }

    [Fact]
    public async Task AFailedTrackIsLeftOutOfTheManifestSoTheNextRunRetriesIt()
    {
        var tracks = DemoLibrary.Tracks.Take(3).Select(t => t with { Spec = t.Spec with { DurationSeconds = 1 } }).ToList();
        var failing = new FakeEncoder { FailOn = tracks[1].RelativePath };
        await Assert.ThrowsAsync<IOException>(() => DemoLibrary.WriteAsync(_directory, tracks, 8000, failing, null, CancellationToken.None));
        var written = await DemoManifest.ReadAsync(Path.Combine(_directory, DemoLibrary.ManifestFileName), CancellationToken.None);
        Assert.NotNull(written);
        Assert.DoesNotContain(written.Tracks, e => e.Path == tracks[1].RelativePath);

        var encoder = new FakeEncoder();
        await DemoLibrary.WriteAsync(_directory, tracks, 8000, encoder, null, CancellationToken.None);
        Assert.Contains(encoder.Calls, c => c.Path.EndsWith(tracks[1].RelativePath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnreadableManifestMeansRenderEverything()
    {
        var tracks = DemoLibrary.Tracks.Take(2).Select(t => t with { Spec = t.Spec with { DurationSeconds = 0.5 } }).ToList();
        var encoder = new FakeEncoder();
        await DemoLibrary.WriteAsync(_directory, tracks, 8000, encoder, null, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_directory, DemoLibrary.ManifestFileName), "{ not json");
        await DemoLibrary.WriteAsync(_directory, tracks, 8000, encoder, null, CancellationToken.None);
        Assert.Equal(4, encoder.Calls.Count);
    }

    [Fact]
    public void TheWholeLibraryRendersToAFewMinutesOfAudio()
    {
        var stopwatch = Stopwatch.StartNew();
        double audioSeconds = 0;
        foreach (var track in DemoLibrary.Tracks)
            audioSeconds += Synthesizer.Render(track.Spec, DemoLibrary.SampleRate).DurationSeconds;
        double elapsed = stopwatch.Elapsed.TotalSeconds;
        output.WriteLine($"{audioSeconds:F0} s of audio at {DemoLibrary.SampleRate} Hz rendered in {elapsed:F2} s on one thread ({audioSeconds / elapsed:F0}× real time)");
        // the issue asks for "a few minutes of audio in all"; the speed is reported, not asserted (bench/ has figures)
        Assert.InRange(audioSeconds, 180, 600);
    }

    private sealed record EncodeCall(string Path, int SampleRate, int Channels, int SampleCount, IReadOnlyDictionary<string, string> Tags);

    /// <summary>Records every call and writes a few bytes where the file would be.</summary>
    private sealed class FakeEncoder : IAudioEncoder
    {
        private readonly ConcurrentQueue<EncodeCall> _calls = new();

        public string? FailOn { get; init; }

        public IReadOnlyList<EncodeCall> Calls => [.. _calls];

        public async Task EncodeAsync(ReadOnlyMemory<float> interleaved, int sampleRate, int channels, string outputPath,
            IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
        {
            if (FailOn is not null && outputPath.EndsWith(FailOn.Replace('/', Path.DirectorySeparatorChar), StringComparison.Ordinal))
                throw new IOException("disk full");
            await File.WriteAllBytesAsync(outputPath, [1, 2, 3, 4], cancellationToken);
            _calls.Enqueue(new EncodeCall(outputPath, sampleRate, channels, interleaved.Length, new Dictionary<string, string>(tags)));
        }
    }

    // Progress<T> posts to the thread pool, so its reports can arrive after the awaited call
    // returns; this one reports synchronously.
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
