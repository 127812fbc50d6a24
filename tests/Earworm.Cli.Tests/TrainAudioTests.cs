using System.Text.Json;
using Earworm.Audio.Media;
using Earworm.Audio.Synthesis;
using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

/// <summary><c>train audio</c> and <c>embed</c> on a small synthesised library without listening data.</summary>
public sealed class TrainAudioTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> ScannedLibraryAsync()
    {
        var library = await SynthLibrary.WriteAsync(_dir.File("lib"), (SynthStyle.AmbientPad, null), (SynthStyle.DrumAndBass, null), (SynthStyle.Chiptune, null));
        var db = _dir.File("c.db");
        var scan = await CliRunner.RunAsync("scan", "--db", db, "--no-descriptors", library);
        Assert.Equal(0, scan.ExitCode);
        return db;
    }

    [FfmpegFact]
    public async Task Trains_a_contrastive_model_without_listening_data_records_it_and_embeds_the_library()
    {
        var db = await ScannedLibraryAsync();
        string[] train = ["--db", db, "--json", "train", "audio", "--init", "scratch", "--epochs", "2", "--seconds", "2.5", "--dims", "16", "--threads", "1",
            "--batch-size", "4", "--validation", "0"];
        var r = await CliRunner.RunAsync(train);
        Assert.True(r.ExitCode == 0, r.Err);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal("contrastive", json.RootElement.GetProperty("objective").GetString());
        Assert.Equal(6, json.RootElement.GetProperty("embedded").GetInt32());
        Assert.Contains("epoch 2/2", r.Err);
        Assert.True(File.Exists(json.RootElement.GetProperty("curves").GetString()));

        using (var catalog = CatalogStore.Open(db))
        {
            var model = catalog.CurrentModel("audio")!;
            Assert.Equal("audio-cnn", model.Kind);
            var parameters = JsonDocument.Parse(model.ParamsJson).RootElement;
            Assert.Equal("contrastive", parameters.GetProperty("objective").GetString());
            Assert.True(parameters.GetProperty("network").GetProperty("BatchNorm").GetBoolean()); // --batch-norm auto: on for contrastive
            Assert.StartsWith(CatalogStore.ModelFolderFor(db), model.FilePath);
            var vectors = catalog.LoadTrackVectors("audio");
            Assert.Equal(6, vectors.Count);
            Assert.Equal(3 * 256, vectors.Dims); // contrastive: read before the projection, at the pooling (mean, max, L2 of 256 channels)
        }

        // the same command again: up to date, nothing trained
        var same = await CliRunner.RunAsync(train);
        Assert.True(same.ExitCode == 0, same.Err);
        using (var j = JsonDocument.Parse(same.Out))
        {
            Assert.True(j.RootElement.GetProperty("upToDate").GetBoolean());
            Assert.Equal(json.RootElement.GetProperty("model").GetString(), j.RootElement.GetProperty("model").GetString());
            Assert.Equal(2, j.RootElement.GetProperty("epochs").GetInt32());
        }
        Assert.Contains("is up to date", same.Err);
        Assert.DoesNotContain("epoch 1/2", same.Err);
        Assert.DoesNotContain("loaded the excerpts", same.Err); // recognised from the cache's index, the excerpts unread

        // a copy of a library file is that track: it is the query, left out of the results
        var copy = _dir.File("copy.flac");
        File.Copy(Path.Combine(Path.GetDirectoryName(db)!, "lib", "t0.flac"), copy);
        var ofCopy = await CliRunner.RunAsync("--db", db, "--json", "similar", copy, "--space", "audio", "--count", "3");
        Assert.True(ofCopy.ExitCode == 0, ofCopy.Err);
        using (var j = JsonDocument.Parse(ofCopy.Out))
        {
            Assert.EndsWith("t0.flac", j.RootElement.GetProperty("query").GetProperty("path").GetString());
            Assert.DoesNotContain(j.RootElement.GetProperty("results").EnumerateArray(), r => r.GetProperty("path").GetString()!.EndsWith("t0.flac"));
        }

        // any other audio file is embedded by the same model on the spot: the same music as a WAV finds t0 first
        var outside = _dir.File("outside.wav");
        await SynthLibrary.WriteTrackAsync(outside, SynthLibrary.Spec(SynthStyle.AmbientPad, 0));
        var similar = await CliRunner.RunAsync("--db", db, "--json", "similar", outside, "--space", "audio", "--count", "3");
        Assert.True(similar.ExitCode == 0, similar.Err);
        using (var j = JsonDocument.Parse(similar.Out))
        {
            Assert.False(j.RootElement.TryGetProperty("query", out var q) && q.ValueKind != JsonValueKind.Null); // not a library track
            Assert.Equal(outside, j.RootElement.GetProperty("file").GetString());
            var first = j.RootElement.GetProperty("results")[0];
            Assert.EndsWith("t0.flac", first.GetProperty("path").GetString());
            Assert.True(first.GetProperty("score").GetDouble() > 0.99, first.ToString());
        }

        // another layer re-embeds every track
        var output = await CliRunner.RunAsync("--db", db, "--json", "embed", "--layer", "output", "--threads", "1");
        Assert.True(output.ExitCode == 0, output.Err);
        Assert.Equal(6, JsonDocument.Parse(output.Out).RootElement.GetProperty("embedded").GetInt32());
        using (var catalog = CatalogStore.Open(db)) Assert.Equal(16, catalog.LoadTrackVectors("audio").Dims);
        Assert.Equal(2, (await CliRunner.RunAsync("--db", db, "embed", "--layer", "middle")).ExitCode);

        // the same model: nothing left to embed
        var again = await CliRunner.RunAsync("--db", db, "--json", "embed", "--threads", "1");
        Assert.Equal(0, again.ExitCode);
        using var e = JsonDocument.Parse(again.Out);
        Assert.Equal(0, e.RootElement.GetProperty("embedded").GetInt32());
        Assert.Equal(6, e.RootElement.GetProperty("skipped").GetInt32());

        // another aggregation re-embeds every track
        var tfidf = await CliRunner.RunAsync("--db", db, "--json", "embed", "--aggregate", "tfidf", "--threads", "1");
        Assert.Equal(0, tfidf.ExitCode);
        Assert.Equal(6, JsonDocument.Parse(tfidf.Out).RootElement.GetProperty("embedded").GetInt32());
    }

    [FfmpegFact]
    public async Task Fine_tunes_the_shipped_encoder_by_default_says_whether_it_helped_and_keeps_the_better()
    {
        var db = await ScannedLibraryAsync();
        string shipped;
        using (var catalog = CatalogStore.Open(db))
        {
            shipped = catalog.CurrentModel("audio")!.Version; // the scan embedded the library with the shipped encoder
            Assert.StartsWith("pretrained-", shipped, StringComparison.Ordinal);
            Assert.Equal(6, catalog.LoadTrackVectors("audio").Count);
        }
        var r = await CliRunner.RunAsync("--db", db, "--json", "train", "audio", "--epochs", "2", "--threads", "1", "--batch-size", "3", "--validation", "0.34");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains($"starting from the shipped encoder {shipped}", r.Err);
        using var json = JsonDocument.Parse(r.Out);
        var verdict = json.RootElement.GetProperty("fineTuning").GetString()!;
        Assert.Contains("the library's validation split", verdict);
        bool helped = !verdict.Contains("did not help", StringComparison.Ordinal);
        var kept = json.RootElement.GetProperty("kept").GetString();
        Assert.Equal(helped ? json.RootElement.GetProperty("model").GetString() : shipped, kept);
        using (var catalog = CatalogStore.Open(db))
        {
            Assert.Equal(kept, catalog.CurrentModel("audio")!.Version);
            Assert.Equal(6, catalog.LoadTrackVectors("audio").Count);
        }
        Assert.Equal(2, (await CliRunner.RunAsync("--db", db, "train", "audio", "--init", "somewhere")).ExitCode);
    }

    [FfmpegFact]
    public async Task Objectives_without_their_targets_and_bad_options_are_usage_errors()
    {
        var db = await ScannedLibraryAsync();
        var cf = await CliRunner.RunAsync("--db", db, "train", "audio", "--objective", "cf", "--threads", "1");
        Assert.Equal(2, cf.ExitCode);
        Assert.Contains("cf model", cf.Err);
        Assert.Equal(2, (await CliRunner.RunAsync("--db", db, "train", "audio", "--objective", "popularity")).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("--db", db, "train", "audio", "--seconds", "0.5")).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("--db", db, "train", "audio", "--batch-norm", "sometimes")).ExitCode);
    }

    [FfmpegFact]
    public async Task Embed_places_a_library_scanned_without_embedding_with_the_shipped_encoder_and_force_embeds_again()
    {
        var library = await SynthLibrary.WriteAsync(_dir.File("lib"), (SynthStyle.AmbientPad, null), (SynthStyle.DrumAndBass, null), (SynthStyle.Chiptune, null));
        var bare = _dir.File("bare.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--db", bare, "--no-descriptors", "--no-embed", library)).ExitCode);
        var embed = await CliRunner.RunAsync("--db", bare, "--json", "embed", "--threads", "1");
        Assert.True(embed.ExitCode == 0, embed.Err);
        Assert.Equal(6, JsonDocument.Parse(embed.Out).RootElement.GetProperty("embedded").GetInt32());
        Assert.StartsWith("pretrained-", JsonDocument.Parse(embed.Out).RootElement.GetProperty("model").GetString(), StringComparison.Ordinal);
        // --force embeds every track again; without it nothing is left to do
        Assert.Equal(0, JsonDocument.Parse((await CliRunner.RunAsync("--db", bare, "--json", "embed", "--threads", "1")).Out).RootElement.GetProperty("embedded").GetInt32());
        var forced = await CliRunner.RunAsync("--db", bare, "--json", "embed", "--force", "--threads", "1");
        Assert.True(forced.ExitCode == 0, forced.Err);
        Assert.Equal(6, JsonDocument.Parse(forced.Out).RootElement.GetProperty("embedded").GetInt32());
        using (var catalog = CatalogStore.Open(bare)) Assert.Equal(6, catalog.LoadTrackVectors("audio").Count);
    }
}
