using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Protocols;
using Earworm.Learning;
using Earworm.Learning.Embeddings;
using Earworm.Learning.Factorization;
using Earworm.Learning.Neighbours;
using Earworm.Learning.Persistence;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm train</c>: a container of one subcommand per thing Earworm learns (<c>cf</c> here; others in
/// their own files, added to <see cref="Subcommands"/>).</summary>
internal static class TrainCommand
{
    private static IEnumerable<Command> Subcommands(Func<ParseResult, CliContext> context) =>
    [
        TrainCfCommand.Create(context),
        TrainAudioCommand.Create(context),
    ];

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("train", "Learn from the catalog: `train cf` (collaborative filtering from listening data), `train audio` (the content model, from the audio itself); " +
                                       "`earworm train SUBCOMMAND --help` explains each");
        foreach (var sub in Subcommands(context)) cmd.Add(sub);
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            ctx.Out.WriteLine("earworm train SUBCOMMAND: what to learn.");
            foreach (var sub in cmd.Subcommands) ctx.Out.WriteLine($"  {sub.Name,-8} {sub.Description}");
            ctx.Out.WriteLine("`earworm train SUBCOMMAND --help` for its options.");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

/// <summary><c>earworm train cf</c>: ALS, BPR, track2vec or item-kNN from the catalog's listening data, saved as a
/// model file, recorded in the catalog and (ALS, BPR, track2vec) written as item vectors of its space.</summary>
internal static class TrainCfCommand
{
    private static readonly Option<string> ModelOption = new("--model")
    {
        Description = "als (implicit ALS, space cf), bpr (BPR-MF, space cf), track2vec (skip-gram over sessions and playlists, " +
                      "space track2vec), itemknn (item neighbours, no vectors)",
        DefaultValueFactory = _ => "als",
        HelpName = "NAME",
    };

    private static readonly CfOptionSet Shared = new();
    private static readonly Option<float?> Alpha = new("--alpha") { Description = "ALS confidence weight α in c = 1 + α·log(1 + r) (or 1 + α·r with --scaling linear); default 10" };
    private static readonly Option<float?> Regularization = new("--regularization") { Description = "L2 penalty λ (ALS default 0.05, BPR 0.01)" };
    private static readonly Option<string> Scaling = new("--scaling") { Description = "ALS confidence scaling: log or linear", DefaultValueFactory = _ => "log" };
    private static readonly Option<float?> LearningRate = new("--learning-rate") { Description = "BPR step (default 0.05) or track2vec initial rate (default 0.025)" };
    private static readonly Option<int> Neighbours = new("--neighbours") { Description = "item-kNN: neighbours kept per item", DefaultValueFactory = _ => 20 };
    private static readonly Option<string> Similarity = new("--similarity") { Description = "item-kNN: bm25 or cosine", DefaultValueFactory = _ => "bm25" };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the initial factors and samplers", DefaultValueFactory = _ => 42 };
    private static readonly Option<int> Threads = new("--threads") { Description = "Worker threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<bool> Force = new("--force") { Description = "Train even when a model with these parameters on this data exists" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("cf", "Collaborative filtering from the imported listening data: trains (progress and loss per " +
                                    "iteration), saves the model beside the catalog (catalog.models/), makes it the current model of " +
                                    "its space and stores its item vectors; says so and does nothing when the same model on the same " +
                                    "data exists (--force to retrain)")
        {
            ModelOption, Alpha, Regularization, Scaling, LearningRate, Neighbours, Similarity, Seed, Threads, Force,
        };
        foreach (var o in Shared.All) cmd.Options.Add(o);
        cmd.SetAction((parse, ct) =>
        {
            var ctx = context(parse);
            var settings = Shared.Read(parse, new CfSettings
            {
                Model = parse.GetValue(ModelOption)!.Trim().ToLowerInvariant(),
                Alpha = parse.GetValue(Alpha),
                Regularization = parse.GetValue(Regularization),
                Scaling = parse.GetValue(Scaling)!.Trim().ToLowerInvariant(),
                LearningRate = parse.GetValue(LearningRate),
                Neighbours = parse.GetValue(Neighbours),
                Similarity = parse.GetValue(Similarity)!.Trim().ToLowerInvariant(),
                Seed = parse.GetValue(Seed),
                Threads = parse.GetValue(Threads),
            }).Validated();
            using var catalog = ctx.OpenExistingCatalog();
            var result = Train(catalog, ctx.CatalogPath(), settings, parse.GetValue(Force), line => ctx.Err.WriteLine(line), ct);
            if (ctx.Json) ctx.WriteJson(result);
            else ctx.Out.WriteLine(result.Summary);
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>What a training run did (the JSON of <c>train cf --json</c>).</summary>
    internal sealed record Outcome(string Model, string Space, string Version, string File, bool UpToDate, int Users, int Items,
        int Interactions, int Sequences, int Vectors, double? TrainSeconds, double? Loss, string Summary);

    internal static Outcome Train(CatalogStore catalog, string catalogPath, CfSettings settings, bool force, Action<string> say,
        CancellationToken ct)
    {
        var dataVersion = catalog.ListeningDataVersion();
        var paramsJson = settings.ParamsJson();
        var version = settings.Model + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(paramsJson + "\n" + dataVersion)))[..12];
        var current = catalog.CurrentModel(settings.Space);
        if (!force && current is { } c && c.Version == version && c.FilePath is { } f && File.Exists(f))
        {
            return new Outcome(settings.Model, settings.Space, version, f, true, 0, 0, 0, 0, 0, null, null,
                $"{settings.Space} model {version} is up to date (same parameters, listening data unchanged since {c.CreatedAt:yyyy-MM-dd HH:mm}); --force retrains");
        }

        var data = CatalogListening.Load(catalog, settings.SessionGap);
        if (data.Interactions.Count == 0 && (settings.Model != "track2vec" || data.Playlists.Count == 0))
            throw new UsageException("the catalog holds no listening data: import some first (`earworm import --help`)");
        var matrix = data.ToMatrix();
        say(string.Create(CultureInfo.InvariantCulture,
            $"train cf: {settings.Model} on {data.Users.Count} users × {data.InteractionItemCount} items, {data.Interactions.Count} interactions ({data.TimedInteractions} timed), {data.Skips} skips left out"));
        using var report = new TrainingProgressFile(catalogPath, settings.Space);
        var progress = new LineProgress(say, report);
        var clock = Stopwatch.StartNew();
        IRecommenderModel model;
        int sequences = 0;
        long[] userIds = [.. data.Users.Ids];
        switch (settings.Model)
        {
            case "als":
                model = new AlsTrainer(settings.Als()).Fit(matrix, progress, ct);
                break;
            case "bpr":
                model = new BprTrainer(settings.Bpr()).Fit(matrix, progress, ct);
                break;
            case "track2vec":
                var seqs = data.Sequences;
                sequences = seqs.Count;
                var trainer = new Track2VecTrainer(settings.Track2Vec());
                if (seqs.Count > 0)
                {
                    say($"train cf: track2vec over {data.Sessions.Count} listening sessions (cut at {settings.SessionGapMinutes:0.##} min) and {data.Playlists.Count} playlists");
                    model = trainer.FitSequences(seqs, data.Items.Count, progress, ct);
                    userIds = [];
                }
                else
                {
                    say("train cf: no timed plays and no playlists, so no order to learn from: track2vec learns from each user's set of items (item2vec, the window widened to the whole set)");
                    model = SequenceTrack2VecTrainer.ItemSets(settings.Track2Vec(), matrix).Fit(matrix, progress, ct);
                    sequences = matrix.Rows;
                }
                break;
            default:
                model = new ItemKnnTrainer(settings.ItemKnn()).Fit(matrix, progress, ct);
                break;
        }
        double seconds = clock.Elapsed.TotalSeconds;

        var folder = CatalogStore.ModelFolderFor(catalogPath);
        var file = Path.Combine(folder, $"{version}.ewm");
        var meta = new Dictionary<string, string> { ["dataVersion"] = dataVersion, ["params"] = paramsJson, ["version"] = version };
        ModelFile.Save(file, new SavedModel(model, userIds, [.. data.Items.Ids], meta));
        var metrics = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["trainSeconds"] = Math.Round(seconds, 3),
            ["users"] = data.Users.Count,
            ["items"] = data.InteractionItemCount,
            ["interactions"] = data.Interactions.Count,
            ["threads"] = settings.Threads,
        };
        if (progress.Last?.Loss is double loss) metrics["loss"] = loss;
        if (progress.Last?.SampledAccuracy is double acc) metrics["sampledAccuracy"] = acc;
        if (sequences > 0) metrics["sequences"] = sequences;
        var record = catalog.SaveModel(settings.Space, model.Name, version, paramsJson, dataVersion, file, JsonSerializer.Serialize(metrics));

        var vectors = ItemVectors(model, data).ToList();
        if (settings.Space != "itemknn")
            catalog.ReplaceItemVectors(settings.Space, record.Id, vectors.Count == 0 ? settings.Factors : vectors[0].Vector.Length, vectors);
        string lossText = progress.Last?.Loss is double l ? string.Create(CultureInfo.InvariantCulture, $", final loss {l:0.######}") : "";
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Trained {model.Name} ({version}) in {seconds:0.0} s{lossText}: {vectors.Count} item vectors in space {settings.Space}, model file {file}");
        if (settings.Space == "itemknn") summary = string.Create(CultureInfo.InvariantCulture,
            $"Trained {model.Name} ({version}) in {seconds:0.0} s: neighbour lists of {model.ItemCount} items, model file {file} (item-kNN fills no vector space)");
        return new Outcome(settings.Model, settings.Space, version, file, false, data.Users.Count, data.InteractionItemCount,
            data.Interactions.Count, sequences, vectors.Count, Math.Round(seconds, 3), progress.Last?.Loss, summary);
    }

    /// <summary>The vectors a model gives the catalog's items: factors of the items with plays (ALS, BPR; BPR's bias is
    /// left out), or the vectors of the items track2vec kept.</summary>
    private static IEnumerable<(long ItemId, float[] Vector)> ItemVectors(IRecommenderModel model, CatalogListening data)
    {
        switch (model)
        {
            case MatrixFactorizationModel f:
                for (int i = 0; i < data.InteractionItemCount; i++) yield return (data.Items[i], f.ItemFactors(i).ToArray());
                break;
            case Track2VecModel t:
                for (int i = 0; i < t.ItemCount; i++)
                    if (t.HasVector(i)) yield return (data.Items[i], t.Vector(i).ToArray());
                break;
        }
    }

    /// <summary>One line per iteration (BPR and track2vec: at most about 20 lines), synchronously.</summary>
    private sealed class LineProgress(Action<string> say, TrainingProgressFile report) : IProgress<TrainingProgress>
    {
        public TrainingProgress? Last { get; private set; }

        public void Report(TrainingProgress p)
        {
            Last = p;
            report.Report(p.Iteration, p.Iterations, string.Create(CultureInfo.InvariantCulture,
                $"{p.Model}: {p.Iteration}/{p.Iterations}{(p.Loss is double l ? $", loss {l:0.####}" : "")}"));
            int every = Math.Max(1, p.Iterations / 20);
            if (p.Iteration % every != 0 && p.Iteration != p.Iterations) return;
            var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"  {p.Model} {p.Iteration}/{p.Iterations}"));
            if (p.Loss is double loss) sb.Append(CultureInfo.InvariantCulture, $"  loss {loss:0.######}");
            if (p.SampledAccuracy is double a) sb.Append(CultureInfo.InvariantCulture, $"  sampled AUC {a:0.####}");
            sb.Append(CultureInfo.InvariantCulture, $"  {p.Elapsed.TotalSeconds:0.0} s");
            say(sb.ToString());
        }
    }
}
