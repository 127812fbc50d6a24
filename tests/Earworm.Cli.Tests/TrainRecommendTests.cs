using System.Globalization;
using System.Text;
using System.Text.Json;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary>train cf, recommend and evaluate on a small synthetic catalog: two taste groups of thirty listeners, each
/// playing six of their group's ten songs at times an hour or more apart; one song of group A is a library track;
/// two library tracks have no listening data at all (the cold-start bridge's business). Items without audio are
/// labelled by their key (csv:a3).</summary>
public sealed class TrainRecommendTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private string Db => _dir.File("catalog.db");

    public TrainRecommendTests()
    {
        using (var catalog = CatalogStore.Open(Db))
        {
            foreach (var name in new[] { "a-song", "cold-a", "cold-b" }) Track(catalog, $"/lib/{name}/{name}.mp3", name);
        }
        var csv = new StringBuilder("user,item,count,timestamp\n");
        var rng = new Random(7);
        long t = 1_700_000_000;
        foreach (var group in new[] { "a", "b" })
        {
            for (int u = 0; u < 30; u++)
            {
                var items = Enumerable.Range(0, 10).OrderBy(_ => rng.Next()).Take(6).ToList();
                foreach (var i in items)
                {
                    string item = group == "a" && i == 0 ? "/lib/a-song/a-song.mp3" : $"{group}{i}";
                    t += 3600 + rng.Next(600);
                    csv.Append(CultureInfo.InvariantCulture, $"u{group}{u},{item},{rng.Next(1, 9)},{t}\n");
                }
            }
        }
        File.WriteAllText(_dir.File("plays.csv"), csv.ToString());
    }

    public void Dispose() => _dir.Dispose();

    private static void Track(CatalogStore catalog, string path, string title)
    {
        catalog.RecordDiscovered([new FoundFile(path, 1, 1)], [Path.GetDirectoryName(path)!], retryFailed: false);
        var id = catalog.FindByPath(path)!.Id;
        catalog.SaveAnalysed(id, new AnalysedTrack(1, 1, "h" + id, new MediaInfo { Container = "mp3", Codec = "mp3", Artist = "Lib", Title = title }, 1, 1, 1, null));
    }

    private Task<CliRunner.Result> Run(params string[] args) => CliRunner.RunAsync(["--db", Db, .. args]);

    private async Task ImportAndTrain(params string[] extra)
    {
        var import = await Run("import", "csv", _dir.File("plays.csv"));
        Assert.True(import.ExitCode == 0, import.Err);
        var train = await Run(["train", "cf", "--factors", "8", "--iterations", "8", "--regularization", "5", "--threads", "1", .. extra]);
        Assert.True(train.ExitCode == 0, train.Err);
    }

    [Fact]
    public async Task Train_saves_records_and_fills_the_cf_space_then_is_up_to_date()
    {
        await ImportAndTrain();
        ModelRecord model;
        using (var catalog = CatalogStore.Open(Db))
        {
            model = catalog.CurrentModel("cf")!;
            Assert.Equal("als", model.Kind);
            Assert.True(File.Exists(model.FilePath));
            Assert.StartsWith(CatalogStore.ModelFolderFor(Db), model.FilePath, StringComparison.Ordinal);
            Assert.Equal(catalog.ListeningDataVersion(), model.DataVersion);
            Assert.Contains("\"factors\":8", model.ParamsJson, StringComparison.Ordinal);
            Assert.Contains("loss", model.MetricsJson!, StringComparison.Ordinal);
            var vectors = catalog.LoadItemVectors("cf");
            Assert.Equal(20, vectors.Count);
            Assert.Equal(8, vectors.Dims);
        }
        var again = await Run("train", "cf", "--factors", "8", "--iterations", "8", "--regularization", "5", "--threads", "1");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("up to date", again.Out, StringComparison.Ordinal);
        var forced = await Run("train", "cf", "--factors", "8", "--iterations", "8", "--regularization", "5", "--threads", "1", "--force");
        Assert.Contains("Trained als", forced.Out, StringComparison.Ordinal);
        Assert.Contains("als 8/8", forced.Err, StringComparison.Ordinal);
        var other = await Run("train", "cf", "--factors", "8", "--iterations", "9", "--threads", "1");
        Assert.Contains("Trained als", other.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Track2vec_learns_from_the_sessions_and_bpr_and_itemknn_train_too()
    {
        Assert.Equal(0, (await Run("import", "csv", _dir.File("plays.csv"))).ExitCode);
        var t2v = await Run("train", "cf", "--model", "track2vec", "--factors", "8", "--min-count", "1", "--epochs", "5", "--session-gap", "600", "--threads", "1");
        Assert.True(t2v.ExitCode == 0, t2v.Err);
        var bpr = await Run("train", "cf", "--model", "bpr", "--factors", "8", "--epochs", "20", "--threads", "1", "--json");
        Assert.True(bpr.ExitCode == 0, bpr.Err);
        Assert.Equal("cf", JsonDocument.Parse(bpr.Out).RootElement.GetProperty("space").GetString());
        var knn = await Run("train", "cf", "--model", "itemknn", "--threads", "1");
        Assert.True(knn.ExitCode == 0, knn.Err);
        using var catalog = CatalogStore.Open(Db);
        Assert.Equal("track2vec", catalog.CurrentModel("track2vec")!.Kind);
        Assert.Contains("sequences", catalog.CurrentModel("track2vec")!.MetricsJson!, StringComparison.Ordinal);
        Assert.Equal(20, catalog.LoadItemVectors("track2vec").Count);
        Assert.Equal("bpr", catalog.CurrentModel("cf")!.Kind);
        Assert.Equal("itemknn-bm25", catalog.CurrentModel("itemknn")!.Kind);
    }

    private static JsonElement[] Recommendations(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, r.Err);
        return [.. JsonDocument.Parse(r.Out).RootElement.GetProperty("recommendations").EnumerateArray()];
    }

    private static string Label(JsonElement e) => e.GetProperty("label").GetString()!;

    [Fact]
    public async Task Recommendations_leave_out_what_was_heard_and_come_from_the_listeners_group()
    {
        await ImportAndTrain();
        // ua1 has four songs of its group left to hear; the best three must be among them
        var recs = Recommendations(await Run("recommend", "--user", "ua1", "--count", "3", "--json"));
        Assert.Equal(3, recs.Length);
        var heard = File.ReadAllLines(_dir.File("plays.csv")).Where(l => l.StartsWith("ua1,", StringComparison.Ordinal))
            .Select(l => l.Split(',')[1]).ToHashSet();
        foreach (var r in recs)
        {
            Assert.DoesNotContain(Label(r).Replace("csv:", "", StringComparison.Ordinal), heard);
            Assert.True(Label(r).StartsWith("csv:a", StringComparison.Ordinal) || Label(r).Contains("a-song", StringComparison.Ordinal), Label(r));
            Assert.NotEmpty(r.GetProperty("because").EnumerateArray());
        }
        var all = Recommendations(await Run("recommend", "--user", "ua1", "--count", "30", "--include-heard", "--json"));
        Assert.Equal(20, all.Length);
        var diverse = Recommendations(await Run("recommend", "--user", "ua1", "--count", "4", "--diversity", "0.9", "--json"));
        Assert.Equal(4, diverse.Length);

        // every list shown went to the event log (a deterministic ranking: propensity 1), and exports in time order
        var export = await Run("events", "export", "--out", _dir.File("events/log.jsonl"));
        Assert.True(export.ExitCode == 0, export.Err);
        Assert.Contains("27 impressions and 0 outcomes", export.Out, StringComparison.Ordinal);
        var lines = File.ReadAllLines(_dir.File("events/log.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(27, lines.Count);
        Assert.All(lines, l => Assert.Equal(("impression", "ua1", "recommend", "greedy", 1.0),
            (l.GetProperty("type").GetString(), l.GetProperty("user").GetString(), l.GetProperty("surface").GetString(), l.GetProperty("policy").GetString(), l.GetProperty("propensity").GetDouble())));
        Assert.Equal([0, 1, 2], lines.Take(3).Select(l => l.GetProperty("position").GetInt32()));
        Assert.Equal(3, lines.Select(l => l.GetProperty("request").GetString()).Distinct().Count());
        Assert.Equal(4, lines[^1].GetProperty("context").GetProperty("count").GetInt32());
        var parquet = await Run("events", "export", "--out", _dir.File("events/log.parquet"));
        Assert.True(parquet.ExitCode == 0, parquet.Err);
        Assert.Contains("27 impressions and 0 outcomes", parquet.Out, StringComparison.Ordinal);
        Assert.Equal(2, (await Run("events", "export", "--out", _dir.File("events/log.csv"))).ExitCode);
    }

    [Fact]
    public async Task An_unknown_listener_needs_seeds_and_is_folded_in_from_them()
    {
        await ImportAndTrain();
        var unknown = await Run("recommend", "--user", "newcomer");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--seed", unknown.Err, StringComparison.Ordinal);
        var folded = Recommendations(await Run("recommend", "--user", "newcomer", "--seed", "a-song", "--count", "3", "--json"));
        Assert.All(folded, r => Assert.StartsWith("csv:a", Label(r), StringComparison.Ordinal));
        var coldSeed = await Run("recommend", "--seed", "cold-a");
        Assert.Equal(2, coldSeed.ExitCode);
        Assert.Contains("no listening data", coldSeed.Err, StringComparison.Ordinal);
        var noItem = await Run("recommend", "--seed", "item:999999");
        Assert.Equal(2, noItem.ExitCode);
        Assert.Contains("--seed item:999999: no item 999999 in this catalog", noItem.Err, StringComparison.Ordinal);   // was "no listening data"
        var noModel = await CliRunner.RunAsync("--db", _dir.File("empty.db"), "recommend", "--user", "x");
        Assert.Equal(2, noModel.ExitCode);
    }

    [Fact]
    public async Task Tracks_without_plays_come_in_through_audio_predicted_factors_only_with_a_matching_audio_model()
    {
        await ImportAndTrain();
        var off = await Run("recommend", "--user", "ua1", "--explain", "--count", "30");
        Assert.Contains("cold-start bridge off", off.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("cold-a", off.Out, StringComparison.Ordinal);

        using (var catalog = CatalogStore.Open(Db))
        {
            var cf = catalog.CurrentModel("cf")!;
            var items = catalog.LoadItems();
            var vectors = catalog.LoadItemVectors("cf");
            float[] Unit(string key)
            {
                int row = Array.IndexOf(vectors.Ids, items.Values.Single(i => i.Key.EndsWith(":" + key, StringComparison.Ordinal)).Id);
                var v = vectors.Row(row).ToArray();
                float n = MathF.Sqrt(v.Sum(x => x * x));
                return [.. v.Select(x => x / n)];
            }
            var audio = catalog.SaveModel("audio", "audio-cnn", "audio-test", $$"""{"objective":"cf","target":"{{cf.Version}}"}""", "x", null, null);
            var tracks = catalog.ListTracks().ToDictionary(t => t.Title!, t => t.Id);
            catalog.SaveTrackVectors("audio", audio.Id, [(tracks["cold-a"], Unit("a3")), (tracks["cold-b"], Unit("b3")), (tracks["a-song"], Unit("b5"))]);
        }
        var on = await Run("recommend", "--user", "ua1", "--explain", "--count", "30", "--json");
        var recs = Recommendations(on);
        Assert.Contains("cold-start bridge on", on.Err, StringComparison.Ordinal);
        var labels = recs.Select(Label).ToList();
        int a = labels.IndexOf("Lib – cold-a"), b = labels.IndexOf("Lib – cold-b");
        Assert.True(a >= 0 && b >= 0, string.Join(", ", labels));
        Assert.True(a < b, string.Join(", ", labels));
        Assert.Equal("audio", recs[a].GetProperty("source").GetString());
        // a track with plays keeps its CF factors, never the audio prediction
        var every = Recommendations(await Run("recommend", "--user", "ua1", "--count", "30", "--include-heard", "--json"));
        Assert.Equal("listening", Assert.Single(every, r => Label(r) == "Lib – a-song").GetProperty("source").GetString());
        Assert.Equal(22, every.Length);
    }

    [Fact]
    public async Task Evaluate_reads_the_catalog_and_runs_temporal_there()
    {
        await ImportAndTrain();
        var r = await Run("evaluate", "--protocol", "temporal,cold-start", "--models", "als,track2vec,pop", "--seeds", "1",
            "--factors", "8", "--iterations", "5", "--min-count", "1", "--epochs", "5", "--report", _dir.File("report"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("Temporal", r.Out, StringComparison.Ordinal);
        Assert.Contains("| track2vec |", r.Out, StringComparison.Ordinal);
        Assert.Contains("sessions", r.Err, StringComparison.Ordinal);
        Assert.Contains("Cold start and pure CF", r.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(_dir.File("report/temporal/report.md")));
        Assert.Equal(2, Directory.GetFiles(_dir.File("report/cold-start"), "*.png").Length);
        Assert.Contains("Cold start and pure CF", File.ReadAllText(_dir.File("report/cold-start/report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Temporal_without_times_says_why()
    {
        File.WriteAllText(_dir.File("counts.csv"), "user,item,count\nu1,x,3\nu1,y,2\nu2,x,1\nu2,z,4\n");
        Assert.Equal(0, (await Run("import", "csv", _dir.File("counts.csv"))).ExitCode);
        var r = await Run("evaluate", "--protocol", "temporal", "--models", "pop", "--seeds", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no time", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("als", "--neighbours", "5", "--neighbours goes with --model itemknn; --model als does not read it")]
    [InlineData("als", "--loss", "bpr", "--loss goes with --model hybrid; --model als does not read it")]
    [InlineData("itemknn", "--factors", "8", "--factors goes with --model als or bpr or track2vec or hybrid; --model itemknn does not read it")]
    [InlineData("track2vec", "--alpha", "2", "--alpha goes with --model als; --model track2vec does not read it")]
    public async Task An_option_the_model_does_not_read_is_refused_not_ignored(string model, string option, string value, string said)
    {
        var r = await Run("train", "cf", "--model", model, option, value);
        Assert.Equal(2, r.ExitCode);   // was trained as if the option had not been given
        Assert.Contains(said, r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_value_is_said_by_its_option()
    {
        var r = await Run("train", "cf", "--model", "bpr", "--learning-rate", "-1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--learning-rate must be finite and > 0, got -1", r.Err, StringComparison.Ordinal);   // was "LearningRate must …"
        Assert.DoesNotContain("LearningRate", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bare_train_lists_its_subcommands()
    {
        var r = await Run("train");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("cf", r.Out, StringComparison.Ordinal);
    }
}
