using Earworm.App.Tags;
using Earworm.App.Training;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Catalog.Tags;
using Earworm.Content.Tagging;
using Earworm.Testing;

namespace Earworm.App.Tests;

/// <summary><c>train tags</c>: refuses a library without enough examples and says which tags came closest; learns the
/// tags enough tracks carry, lists the rest, and tags every track of the audio space from its vector (resumable).</summary>
public sealed class TagTrainingTests
{
    [Fact]
    public void TooFewExamplesAreRefusedWithTheTagsThatCameClosest()
    {
        using var small = new SmallCatalog();
        using (var catalog = small.Open())
            catalog.SetTrackTags([new TrackTag(small.Ids[0], "piano", 1, TagSource.User), new TrackTag(small.Ids[1], "piano", 1, TagSource.User)]);
        var e = Assert.Throws<UsageException>(() => new TagTraining(small.Location).Train(new TagTrainingRequest(), new Progress<string>(), default));
        Assert.Contains("at least 10", e.Message, StringComparison.Ordinal);
        Assert.Contains("piano (2)", e.Message, StringComparison.Ordinal);
        Assert.Contains("--min-examples", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLibrarysTagsAreLearnedAndHeardInEveryTrack()
    {
        using var dir = new TempDirectory();
        var location = new CatalogLocation(dir.File("catalog.db"));
        var ids = new List<long>();
        using (var catalog = location.Open())
        {
            var model = catalog.SaveModel("audio", "audio-cnn", "enc1", "{}", "d", null, null);
            var random = new Random(3);
            var tags = new List<TrackTag>();
            catalog.RecordDiscovered([.. Enumerable.Range(0, 48).Select(i => new FoundFile($"/lib/t{i}.flac", 1, 1))], ["/lib"], retryFailed: false);
            for (int i = 0; i < 48; i++)
            {
                var path = $"/lib/t{i}.flac";
                long id = catalog.FindByPath(path)!.Id;
                catalog.SaveAnalysed(id, new AnalysedTrack(1, 1, "h" + id, new MediaInfo { Container = "flac", Codec = "flac", DurationSeconds = 60 }, 1, 1, 1, null),
                    new TrackDescriptors { DurationSeconds = 60, SampleRateHz = 22050, IsSilent = false });
                // "bright" tracks lie on one side of the space, "dark" on the other; a few are left untagged
                float x = i % 2 == 0 ? 1 : -1;
                catalog.SaveTrackVectors("audio", model.Id, [(id, [x + 0.3f * (float)(random.NextDouble() - 0.5), (float)random.NextDouble(), 0.5f])]);
                if (i < 40) tags.Add(new TrackTag(id, x > 0 ? "bright" : "dark", 1, TagSource.Import));
                if (i < 2) tags.Add(new TrackTag(id, "rare", 1, TagSource.User));
                ids.Add(id);
            }
            catalog.SetTrackTags(tags);
        }
        var request = new TagTrainingRequest { MinExamples = 5, Head = new TagHeadOptions { Hidden = 0, Epochs = 80, Patience = 80, LearningRate = 0.05, Threads = 1 } };
        var outcome = new TagTraining(location).Train(request, new Progress<string>(), default);
        Assert.Equal(["bright", "dark"], outcome.Tags.Order());
        Assert.Equal(2, outcome.LeftOut["rare"]);
        Assert.False(outcome.UpToDate);
        Assert.Equal(48, outcome.Tagging!.Tagged);
        using (var catalog = location.Open())
        {
            Assert.Equal(AudioTagging.Kind, catalog.CurrentModel(AudioTagging.Space)!.Kind);
            // the untagged tracks 40..47 are heard too: even ones bright, odd ones dark
            for (int i = 40; i < 48; i++)
            {
                var heard = catalog.TagsOfTrack(ids[i]).Where(t => t.Source == TagSource.Audio).ToList();
                Assert.Equal(i % 2 == 0 ? "bright" : "dark", Assert.Single(heard, t => t.Score >= 0.5).Tag);
            }
            // tagging again does nothing new: every track is done with these heads
            var again = AudioTagging.TagLibrary(catalog, location.CatalogPath, null, default);
            Assert.Equal((0, 48), (again.Tagged, again.Skipped));
        }
        var repeat = new TagTraining(location).Train(request, new Progress<string>(), default);
        Assert.True(repeat.UpToDate);

        // a labelled file whose audio changed (re-encoded, rendered again) with the same tags is other data: trained again
        using (var catalog = location.Open())
            catalog.SaveAnalysed(ids[0], new AnalysedTrack(1, 2, "h-again", new MediaInfo { Container = "flac", Codec = "flac", DurationSeconds = 60 }, 1, 1, 1, null),
                new TrackDescriptors { DurationSeconds = 60, SampleRateHz = 22050, IsSilent = false });
        var changed = new TagTraining(location).Train(request, new Progress<string>(), default);
        Assert.False(changed.UpToDate);
        Assert.NotEqual(repeat.Version, changed.Version);
    }

    [Fact]
    public void NamedFoldersHoldTheValidationAndTestTracks()
    {
        using var dir = new TempDirectory();
        var location = new CatalogLocation(dir.File("catalog.db"));
        // 30 tracks under train/, 6 under val/, 4 under test/ and 4 under test-more/ (a name that only begins like test/)
        string Folder(int i) => i < 30 ? "train" : i < 36 ? "val" : i < 40 ? "test" : "test-more";
        foreach (var name in new[] { "train", "val", "test", "test-more" }) Directory.CreateDirectory(dir.File(name));
        using (var catalog = location.Open())
        {
            var model = catalog.SaveModel("audio", "audio-cnn", "enc1", "{}", "d", null, null);
            var tags = new List<TrackTag>();
            var paths = Enumerable.Range(0, 44).Select(i => dir.File($"{Folder(i)}/t{i}.flac")).ToList();
            catalog.RecordDiscovered([.. paths.Select(p => new FoundFile(p, 1, 1))], [dir.Path], retryFailed: false);
            for (int i = 0; i < 44; i++)
            {
                long id = catalog.FindByPath(paths[i])!.Id;
                catalog.SaveAnalysed(id, new AnalysedTrack(1, 1, "h" + id, new MediaInfo { Container = "flac", Codec = "flac", DurationSeconds = 60 }, 1, 1, 1, null),
                    new TrackDescriptors { DurationSeconds = 60, SampleRateHz = 22050, IsSilent = false });
                float x = i % 2 == 0 ? 1 : -1;
                catalog.SaveTrackVectors("audio", model.Id, [(id, [x, 0.1f * (i % 5), 0.5f])]);
                tags.Add(new TrackTag(id, x > 0 ? "bright" : "dark", 1, TagSource.Import));
            }
            catalog.SetTrackTags(tags);
        }
        var request = new TagTrainingRequest
        {
            MinExamples = 2, ValidationUnder = dir.File("val"), TestUnder = dir.File("test") + "/",
            Head = new TagHeadOptions { Hidden = 0, Epochs = 20, Patience = 20, LearningRate = 0.05, Threads = 1 },
        };
        var report = new TagTraining(location).Train(request, new Progress<string>(), default).Report!;
        Assert.Equal((34, 6), (report.Examples, report.ValidationExamples));
        Assert.Equal(4, report.TestPositives!.Values.Sum());
    }

    [Fact]
    public void ANetworkLearnsTheLibrarysTagsFromTheLogMelAndTagsEveryAnalysedTrack()
    {
        using var dir = new TempDirectory();
        var location = new CatalogLocation(dir.File("catalog.db"));
        var computer = new Audio.Spectral.LogMelComputer(Audio.Spectral.LogMelOptions.Default);
        var ids = new List<long>();
        using (var catalog = location.Open())
        {
            var tags = new List<TrackTag>();
            catalog.RecordDiscovered([.. Enumerable.Range(0, 30).Select(i => new FoundFile($"/lib/t{i}.flac", 1, 1))], ["/lib"], retryFailed: false);
            for (int i = 0; i < 30; i++)
            {
                long id = catalog.FindByPath($"/lib/t{i}.flac")!.Id;
                var hash = $"{i + 1:x4}abcdef";
                // even tracks are a drum groove, odd ones piano; tracks 24.. are untagged
                var midi = Piece(i, drums: i % 2 == 0);
                var stereo = Audio.Midi.MidiSynthesizer.Render(midi, 22050, i);
                var mono = new float[stereo.Length / 2];
                for (int k = 0; k < mono.Length; k++) mono[k] = (stereo[2 * k] + stereo[2 * k + 1]) / 2;
                location.Excerpts.Write(hash, Audio.Excerpts.ExcerptExtractor.Extract(mono, computer, Audio.Excerpts.ExcerptOptions.Default));
                catalog.SaveAnalysed(id, new AnalysedTrack(1, 1, hash, new MediaInfo { Container = "flac", Codec = "flac", DurationSeconds = 6 }, 1, 1, 1, null),
                    new TrackDescriptors { DurationSeconds = 6, SampleRateHz = 22050, IsSilent = false });
                if (i < 24) tags.Add(new TrackTag(id, i % 2 == 0 ? "beats" : "keys", 1, TagSource.Import));
                ids.Add(id);
            }
            catalog.SetTrackTags(tags);
        }
        var request = new TagTrainingRequest
        {
            MinExamples = 5, MinValidationAuc = 0.6, ValidationShare = 0.3,
            Network = new TagNetworkTrainingOptions
            {
                Network = new TagNetworkOptions { Filters = 8, Temporal = [16, 16], Hidden = 16, Dropout = 0 },
                CropFrames = 172, Epochs = 10, Patience = 10, BatchSize = 4, LearningRate = 3e-3, Threads = 1,
            },
        };
        var outcome = new TagTraining(location).Train(request, new Progress<string>(), default);
        Assert.Equal(["beats", "keys"], outcome.Tags.Order());
        Assert.StartsWith("tagnet-", outcome.Version, StringComparison.Ordinal);
        Assert.Equal(30, outcome.Tagging!.Tagged);
        using (var catalog = location.Open())
        {
            Assert.Equal(AudioTagging.NetworkKind, catalog.CurrentModel(AudioTagging.Space)!.Kind);
            // the untagged tracks are heard too: even ones beats, odd ones keys
            for (int i = 24; i < 30; i++)
            {
                var heard = catalog.TagsOfTrack(ids[i]).Where(t => t.Source == TagSource.Audio).Select(t => t.Tag).ToList();
                Assert.Contains(i % 2 == 0 ? "beats" : "keys", heard);
                Assert.DoesNotContain(i % 2 == 0 ? "keys" : "beats", heard);
            }
            var again = AudioTagging.TagLibrary(catalog, location.CatalogPath, null, default);
            Assert.Equal((0, 30), (again.Tagged, again.Skipped));
        }
        Assert.True(new TagTraining(location).Train(request, new Progress<string>(), default).UpToDate);
    }

    // Six seconds at 120 BPM: a kick–snare–hat groove, or piano arpeggios.
    private static Audio.Midi.MidiFile Piece(int seed, bool drums)
    {
        var random = new Random(seed);
        var score = new Audio.Midi.MidiScore().Tempo(0, 120);
        for (int q = 0; q < 11; q++)
        {
            if (drums)
            {
                score.Note(Audio.Midi.MidiFile.DrumChannel, q % 2 == 0 ? 36 : 38, q, 0.2, 100);
                score.Note(Audio.Midi.MidiFile.DrumChannel, 42, q + 0.5, 0.1, 70);
            }
            else score.Note(0, 48 + random.Next(12) + new[] { 0, 4, 7, 12 }[random.Next(4)], q, 0.9, 70 + random.Next(40));
        }
        return score.ToMidiFile();
    }
}
