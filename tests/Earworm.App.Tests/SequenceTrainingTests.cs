using System.Text.Json;
using Earworm.App.Evaluate;
using Earworm.App.Library;
using Earworm.App.Sequences;
using Earworm.App.Training;
using Earworm.Catalog.Import;
using Earworm.Content.Sequences;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Sequences;
using Earworm.Learning.Sequences;

namespace Earworm.App.Tests;

[Collection(TorchTrainingCollection.Name)]
public sealed class SequenceTrainingTests
{
    /// <summary>Markov playlists written as a Million Playlist Dataset slice.</summary>
    private static string WriteSlice(SmallCatalog c, int playlists)
    {
        var lists = MarkovSequences.Generate(new MarkovSequenceOptions { Topics = 4, ItemsPerTopic = 10, Sequences = playlists, Seed = 3 }, out _);
        var json = new
        {
            info = new { slice = "test" },
            playlists = lists.Select((p, pid) => new
            {
                name = $"mix {pid}", pid,
                tracks = p.Items.Select((item, pos) => new { pos, artist_name = $"artist {item / 10}", track_name = $"song {item}", track_uri = $"spotify:track:{item}" }),
            }),
        };
        var path = c.File("mpd.slice.0-1.json");
        File.WriteAllText(path, JsonSerializer.Serialize(json));
        return path;
    }

    [Fact]
    public void TrainsSavesAndRecordsASequenceModelThenKnowsItIsUpToDate()
    {
        using var c = new SmallCatalog();
        using (var catalog = c.Open()) catalog.Import(ImportReader.Read(ImportFormat.MpdJson, [WriteSlice(c, 30)], new ImportOptions()));
        var options = new SequenceModelOptions { Architecture = SequenceArchitecture.Gru4Rec, EmbeddingSize = 8, Layers = 1, MaxLength = 8, Epochs = 2, BatchSize = 16, Threads = 1 };
        var lines = new List<string>();
        var training = new SequenceTraining(c.Location);
        var first = training.Train(options, TimeSpan.FromMinutes(30), force: false, new InlineProgress<string>(lines.Add), default);
        Assert.False(first.UpToDate);
        Assert.Equal((30, 2, 40), (first.Playlists, first.Epochs, first.Items));
        Assert.True(File.Exists(first.File));
        Assert.Contains(lines, l => l.Contains("epoch 2/2", StringComparison.Ordinal));
        var info = JsonSerializer.Deserialize<SequenceModelFile>(File.ReadAllText(Path.Combine(Path.GetDirectoryName(first.File)!, "model.json")), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(40, info.ItemIds.Length);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(first.File)!, "checkpoint")));
        using (var catalog = c.Open()) Assert.Equal(first.Version, catalog.CurrentModel(SequenceTraining.Space)!.Version);
        Assert.True(training.Train(options, TimeSpan.FromMinutes(30), force: false, new InlineProgress<string>(_ => { }), default).UpToDate);
    }

    [Fact]
    public void A_model_with_side_features_keeps_them_beside_its_weights_and_loads_with_them()
    {
        using var c = new SmallCatalog();
        using (var catalog = c.Open()) catalog.Import(ImportReader.Read(ImportFormat.MpdJson, [WriteSlice(c, 30)], new ImportOptions()));
        var options = new SequenceModelOptions { EmbeddingSize = 8, Layers = 1, MaxLength = 8, Epochs = 1, BatchSize = 16, Threads = 1, SideFeatures = true };
        var outcome = new SequenceTraining(c.Location).Train(options, TimeSpan.FromMinutes(30), force: false, new InlineProgress<string>(_ => { }), default);
        var info = JsonSerializer.Deserialize<SequenceModelFile>(File.ReadAllText(Path.Combine(Path.GetDirectoryName(outcome.File)!, "model.json")),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        // the slice names an artist a topic of ten songs and no album: four features, one a track
        Assert.NotNull(info.Features);
        Assert.Equal(4, info.Features.Count);
        Assert.All(info.Features.Of, f => Assert.Single(f));
        var model = c.Services.SequenceModels.Get(null);
        Assert.NotNull(model.Model.Network.Features);
        var scores = new float[model.Model.ItemCount];
        model.Model.Score([0, 1], [], scores);
        Assert.Contains(scores, float.IsFinite);

        // items without audio are named by their artist and title, as the history shows them
        var next = c.Services.Next.Next(new NextRequest(null, ["artist 1 – song 12"]));
        Assert.Single(next.History);
        Assert.EndsWith("song 12", next.History[0].Label, StringComparison.Ordinal);
        Assert.Contains("item:ID", Assert.Throws<TrackNotFoundException>(() => c.Services.Next.Next(new NextRequest(null, ["nobody – nothing"]))).Message, StringComparison.Ordinal);
        // "song 1" is in song 1, song 10 … song 19 of artist 0 and 1: the one whose artist and title are the words wins
        Assert.EndsWith("song 1", c.Services.Next.Next(new NextRequest(null, ["artist 0 song 1"])).History[0].Label, StringComparison.Ordinal);

        // without the option the network has none, and none are written
        var plain = new SequenceTraining(c.Location).Train(options with { SideFeatures = false }, TimeSpan.FromMinutes(30), force: false, new InlineProgress<string>(_ => { }), default);
        Assert.Null(JsonSerializer.Deserialize<SequenceModelFile>(File.ReadAllText(Path.Combine(Path.GetDirectoryName(plain.File)!, "model.json")),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!.Features);
    }

    [Fact]
    public void EvaluatesPlaylistContinuationStraightFromSliceFiles()
    {
        using var c = new SmallCatalog();
        var request = new SequenceEvaluationRequest(WriteSlice(c, 40), [SequenceProtocol.PlaylistContinuation with { SeedCounts = [1, 5] }],
            ["sr", "pop"], new EvaluationOptions { Seeds = 1 }, new CfSettings(), c.File("report"));
        var reports = new SequenceEvaluationService(c.Location).Run(request, new InlineProgress<string>(_ => { }), default).ToList();
        Assert.Equal(2, reports.Count);
        Assert.All(reports, r => Assert.True(File.Exists(Path.Combine(r.Folder!, "report.md"))));
        Assert.True(reports[0].Report.Model("sr")!.Get(MetricNames.RPrecision)!.Mean > reports[0].Report.Model("pop")!.Get(MetricNames.RPrecision)!.Mean);
        Assert.Throws<UsageException>(() => new SequenceEvaluationService(c.Location).Run(request with { Models = ["als"] }, new InlineProgress<string>(_ => { }), default).ToList());
    }

    [Fact]
    public void An_interrupted_run_says_which_checkpoint_it_kept_and_its_resume_says_so_before_the_next_epoch()
    {
        using var c = new SmallCatalog();
        using (var catalog = c.Open()) catalog.Import(ImportReader.Read(ImportFormat.MpdJson, [WriteSlice(c, 30)], new ImportOptions()));
        var options = new SequenceModelOptions { Architecture = SequenceArchitecture.Gru4Rec, EmbeddingSize = 8, Layers = 1, MaxLength = 8, Epochs = 4, BatchSize = 16, Threads = 1 };
        var training = new SequenceTraining(c.Location);
        using var stop = new CancellationTokenSource();
        var first = new List<string>();
        var said = new InlineProgress<string>(l =>
        {
            first.Add(l);
            if (l.Contains("epoch 2/4", StringComparison.Ordinal)) stop.Cancel(); // Ctrl-C during the third epoch
        });
        Assert.ThrowsAny<OperationCanceledException>(() => training.Train(options, TimeSpan.FromMinutes(30), force: false, said, stop.Token));
        Assert.Contains("the checkpoint of epoch 2 is kept: the same command resumes", first[^1], StringComparison.Ordinal);

        var second = new List<string>();
        var outcome = training.Train(options, TimeSpan.FromMinutes(30), force: false, new InlineProgress<string>(second.Add), default);
        Assert.Equal(2, outcome.ResumedAfterEpoch);
        int resumed = second.FindIndex(l => l.Contains("resumed after epoch 2", StringComparison.Ordinal));
        int third = second.FindIndex(l => l.Contains("epoch 3/4", StringComparison.Ordinal));
        Assert.True(resumed >= 0 && resumed < third, string.Join("\n", second));
        Assert.Single(second, l => l.Contains("resumed", StringComparison.Ordinal));
    }

    [Fact]
    public void AModelThatReportsNoLossHasNoEmptyLossInItsEpochLines()
    {
        using var c = new SmallCatalog();
        var request = new SequenceEvaluationRequest(WriteSlice(c, 40), [SequenceProtocol.PlaylistContinuation with { SeedCounts = [1] }],
            ["track2vec"], new EvaluationOptions { Seeds = 1 }, new CfSettings { Epochs = 2, MinCount = 1 }, c.File("report"));
        var lines = new List<string>();
        _ = new SequenceEvaluationService(c.Location).Run(request, new InlineProgress<string>(lines.Add), default).ToList();
        var epochs = lines.Where(l => l.Contains("track2vec epoch", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(epochs);
        Assert.All(epochs, l => Assert.Matches(@"epoch \d+/\d+( \(|: loss \d)", l));
    }
}
