using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Tuning;
using Earworm.Learning;
using Earworm.Learning.Embeddings;
using Earworm.Learning.Factorization;
using Earworm.Learning.Hybrid;
using Earworm.Learning.Neighbours;
using Earworm.Learning.Persistence;

namespace Earworm.App.Training;

/// <summary>What a collaborative-filtering training run did (the JSON of <c>train cf --json</c>).</summary>
/// <param name="Search">the hyper-parameter search that chose the model's values (<c>--tune</c>); null when none ran.</param>
public sealed record CfTrainingOutcome(string Model, string Space, string Version, string File, bool UpToDate, int Users, int Items,
    int Interactions, int Sequences, int Vectors, double? TrainSeconds, double? Loss, string Summary, AlsSearchResult? Search = null);

/// <summary>
/// <c>train cf</c>: ALS, BPR, track2vec or item-kNN learned from the catalog's listening data (skips left out), saved as
/// a model file beside the catalog, recorded as its space's current model and (ALS, BPR, track2vec) written as the
/// item vectors of its space. The model's version is a hash of <see cref="CfSettings.ParamsJson"/> (its whole options
/// record) and the listening data: the same model on the same data is recognised and not trained again unless forced.
/// ALS takes the defaults that suit the data (<see cref="AlsDataDefaults"/>: binary or play counts) for the values not
/// given, or with a <see cref="CfTuning"/> the values its search chooses on a validation split of the data; either way
/// the values used are the model's options, so they are in its file and its version.
/// </summary>
public sealed class CfTraining(CatalogLocation location)
{
    /// <param name="say">Lines for the person waiting: what is learned from what, which defaults and why, each configuration
    /// a search measures, one line per iteration (at most ~20).</param>
    /// <param name="tune">search ALS's hyper-parameters first (ALS only); null trains with <paramref name="settings"/>.</param>
    /// <exception cref="UsageException">the catalog holds no listening data to learn from; a search for another model than ALS.</exception>
    public CfTrainingOutcome Train(CfSettings settings, bool force, IProgress<string> say, CancellationToken cancellationToken, CfTuning? tune = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(say);
        if (tune is not null && settings.Model != "als")
            throw new UsageException($"--tune searches ALS's hyper-parameters, not {settings.Model}'s: use it with --model als");
        using var catalog = location.OpenExisting();
        var dataVersion = catalog.ListeningDataVersion();
        if (settings.Model == "hybrid") dataVersion += "+" + TagsVersion(catalog); // its features are the tags: new tags, a new model
        CatalogListening? data = null;
        AlsSearchResult? search = null;
        if (settings.Model == "als")
        {
            // ALS's defaults and search depend on the data (binary or counts), so it is read before the version is known
            data = LoadListening(catalog, settings, say);
            var matrix = data.ToMatrix();
            settings = settings.ForData(matrix);
            if (tune is not null)
            {
                var tuned = Tune(catalog, settings, tune, dataVersion, matrix, force, say, cancellationToken);
                if (tuned.UpToDate is { } upToDateSearch) return upToDateSearch;
                (settings, search) = (tuned.Settings, tuned.Search);
            }
            else if (settings.UsesAlsDefaults)
                say.Report("train cf: " + settings.AlsDefaults.Statement);
        }
        var version = Version(settings, dataVersion);
        if (!force && UpToDate(catalog, settings, version) is { } upToDate) return upToDate with { Search = search };

        data ??= LoadListening(catalog, settings, say);
        using var report = new TrainingProgressFile(location.CatalogPath, settings.Space);
        var progress = new LineProgress(say, report);
        var clock = Stopwatch.StartNew();
        var features = settings.Model == "hybrid" ? HybridFeatures(catalog, data, say) : null;
        var (model, sequences, userIds) = Fit(settings, data, features, progress, say, cancellationToken);
        double seconds = clock.Elapsed.TotalSeconds;
        var file = Save(catalog, settings, version, dataVersion, model, data, userIds, seconds, sequences, progress.Last, search);
        var vectors = StoreVectors(catalog, settings, model, data, file.Record);
        return new CfTrainingOutcome(settings.Model, settings.Space, version, file.Path, false, data.Users.Count, data.InteractionItemCount,
            data.Interactions.Count, sequences, vectors, Math.Round(seconds, 3), progress.Last?.Loss,
            Summary(settings, model, version, seconds, vectors, file.Path, progress.Last?.Loss, search), search);
    }

    /// <summary>The search of <paramref name="tune"/> on the data, or the current model when it came from the same search on
    /// the same data (unless forced): then nothing is searched.</summary>
    private static (CfSettings Settings, AlsSearchResult? Search, CfTrainingOutcome? UpToDate) Tune(ICatalog catalog, CfSettings settings,
        CfTuning tune, string dataVersion, InteractionMatrix matrix, bool force, IProgress<string> say, CancellationToken cancellationToken)
    {
        bool binary = AlsDataDefaults.IsBinary(matrix);
        string key = tune.Key(settings, binary);
        if (!force && catalog.CurrentModel(settings.Space) is { } c && c.DataVersion == dataVersion && SearchOf(c.ParamsJson) == key
            && c.FilePath is { } f && File.Exists(f))
        {
            return (settings, null, new CfTrainingOutcome(settings.Model, settings.Space, c.Version, f, true, 0, 0, 0, 0, 0, null, null,
                $"{settings.Space} model {c.Version} is up to date (chosen by the same search on listening data unchanged since {c.CreatedAt:yyyy-MM-dd HH:mm}); --force searches and retrains"));
        }
        var options = tune.Options(binary, settings.Seed);
        var grid = options.Grid!;
        say.Report(string.Create(CultureInfo.InvariantCulture,
            $"train cf: searching ALS's hyper-parameters{(binary ? " (the data is binary: every count 1)" : "")}: {grid.Describe()}, each measured by NDCG@{options.K} on " +
            $"{(options.Folds == 1 ? "a validation split" : $"{options.Folds} validation splits")} of {options.ValidationFraction * 100:0.##}% of each listener's items"));
        int done = 0;
        var rows = new InlineProgress<AlsSearchRow>(row => say.Report(string.Create(CultureInfo.InvariantCulture, $"  {++done}/{grid.Count} {row.Line(options.K)}")));
        var search = AlsSearch.Run(matrix, settings.Als() with { CalculateTrainingLoss = false }, options, rows, cancellationToken);
        say.Report(string.Create(CultureInfo.InvariantCulture,
            $"train cf: chose {search.Best.Label} (validation NDCG@{search.K} {search.Best.ValidationNdcg:0.0000}) after {search.TotalSeconds:0.0} s"));
        return (settings.WithTuned(search.Best, key), search, null);
    }

    private static readonly JsonSerializerOptions SearchJson = new(JsonSerializerDefaults.Web);

    /// <summary>The search key recorded in a model's parameters (<see cref="CfSettings.Tuning"/>), null when none.</summary>
    private static string? SearchOf(string paramsJson)
    {
        try
        {
            using var json = JsonDocument.Parse(paramsJson);
            return json.RootElement.TryGetProperty("tuning", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The model's version: its name and a hash of everything that defines it and the data it learns from.</summary>
    public static string Version(CfSettings settings, string dataVersion)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Model + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings.ParamsJson() + "\n" + dataVersion)))[..12];
    }

    private static CfTrainingOutcome? UpToDate(ICatalog catalog, CfSettings settings, string version)
    {
        if (catalog.CurrentModel(settings.Space) is not { } c || c.Version != version || c.FilePath is not { } f || !File.Exists(f)) return null;
        return new CfTrainingOutcome(settings.Model, settings.Space, version, f, true, 0, 0, 0, 0, 0, null, null,
            $"{settings.Space} model {version} is up to date (same parameters, listening data unchanged since {c.CreatedAt:yyyy-MM-dd HH:mm}); --force retrains");
    }

    private static CatalogListening LoadListening(ICatalog catalog, CfSettings settings, IProgress<string> say)
    {
        var data = CatalogListening.Load(catalog, settings.SessionGap);
        if (data.Interactions.Count == 0 && (settings.Model != "track2vec" || data.Playlists.Count == 0))
            throw new UsageException("the catalog holds no listening data: import some first (`earworm import --help`)");
        say.Report(string.Create(CultureInfo.InvariantCulture,
            $"train cf: {settings.Model} on {data.Users.Count} users × {data.InteractionItemCount} items, {data.Interactions.Count} interactions ({data.TimedInteractions} timed), {data.Skips} skips left out"));
        return data;
    }

    /// <summary>The model, how many sequences track2vec learned from, and the user ids of its rows (none for track2vec
    /// over sequences, whose rows are not users).</summary>
    private static (IRecommenderModel Model, int Sequences, long[] UserIds) Fit(CfSettings settings, CatalogListening data, ItemFeatures? features,
        IProgress<TrainingProgress> progress, IProgress<string> say, CancellationToken ct)
    {
        var matrix = data.ToMatrix();
        long[] userIds = [.. data.Users.Ids];
        switch (settings.Model)
        {
            case "als":
                return (new AlsTrainer(settings.Als()).Fit(matrix, progress, ct), 0, userIds);
            case "bpr":
                return (new BprTrainer(settings.Bpr()).Fit(matrix, progress, ct), 0, userIds);
            case "hybrid":
                return (new HybridTrainer(features!, settings.Hybrid()).Fit(matrix, progress, ct), 0, userIds);
            case "track2vec" when data.Sequences.Count > 0:
                say.Report($"train cf: track2vec over {data.Sessions.Count} listening sessions (cut at {settings.SessionGapMinutes:0.##} min) and {data.Playlists.Count} playlists");
                return (new Track2VecTrainer(settings.Track2Vec()).FitSequences(data.Sequences, data.Items.Count, progress, ct), data.Sequences.Count, []);
            case "track2vec":
                say.Report("train cf: no timed plays and no playlists, so no order to learn from: track2vec learns from each user's set of items (item2vec, the window widened to the whole set)");
                return (SequenceTrack2VecTrainer.ItemSets(settings.Track2Vec(), matrix).Fit(matrix, progress, ct), matrix.Rows, userIds);
            default:
                return (new ItemKnnTrainer(settings.ItemKnn()).Fit(matrix, progress, ct), 0, userIds);
        }
    }

    /// <summary>The listening items' tags as the hybrid model's features, said; none is an error that names the imports.</summary>
    private static ItemFeatures HybridFeatures(ICatalog catalog, CatalogListening data, IProgress<string> say)
    {
        var f = ItemTagFeatures.FromCatalog(catalog, data);
        int tagged = Enumerable.Range(0, f.ItemCount).Count(f.Has);
        if (f.FeatureCount == 0)
            throw new UsageException("train cf --model hybrid learns from the listened items' tags and texts and they have none shared by two items: " +
                                     "import some (`earworm import lastfm-2k` brings its artists' tags, `earworm import tags FILE.csv`, " +
                                     "`earworm import text DIR|FILE.csv`), or scan tagged files");
        int terms = f.Names.Count(n => n.StartsWith(ItemTagFeatures.TermPrefix, StringComparison.Ordinal));
        say.Report($"train cf: hybrid features: {f.FeatureCount - terms} tags and {terms} text terms on {tagged} of {f.ItemCount} items ({f.NonZeros} item–feature pairs)");
        return f;
    }

    /// <summary>An identity of every tag a hybrid model could learn from (items' and tracks').</summary>
    private static string TagsVersion(ICatalog catalog)
    {
        var sb = new StringBuilder();
        foreach (var t in catalog.AllItemTags()) sb.Append(CultureInfo.InvariantCulture, $"i{t.ItemId}\t{t.Tag}\t{t.Count}\t{t.Source}\n");
        foreach (var t in catalog.AllTrackTags()) sb.Append(CultureInfo.InvariantCulture, $"t{t.TrackId}\t{t.Tag}\t{t.Score}\t{t.Source}\n");
        foreach (var t in catalog.AllTexts()) sb.Append(CultureInfo.InvariantCulture, $"x{t.Kind}\t{t.Key}\t{t.Body}\n"); // text terms are features too
        return "tags-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
    }

    private (string Path, ModelRecord Record) Save(ICatalog catalog, CfSettings settings, string version, string dataVersion,
        IRecommenderModel model, CatalogListening data, long[] userIds, double seconds, int sequences, TrainingProgress? last, AlsSearchResult? search)
    {
        var paramsJson = settings.ParamsJson();
        var file = Path.Combine(location.ModelFolder, $"{version}.ewm");
        var meta = new Dictionary<string, string> { ["dataVersion"] = dataVersion, ["params"] = paramsJson, ["version"] = version };
        if (search is not null) meta["search"] = JsonSerializer.Serialize(search, SearchJson);
        ModelFile.Save(file, new SavedModel(model, userIds, [.. data.Items.Ids], meta));
        var metrics = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["trainSeconds"] = Math.Round(seconds, 3),
            ["users"] = data.Users.Count,
            ["items"] = data.InteractionItemCount,
            ["interactions"] = data.Interactions.Count,
            ["threads"] = settings.Threads,
        };
        if (last?.Loss is double loss) metrics["loss"] = loss;
        if (last?.SampledAccuracy is double acc) metrics["sampledAccuracy"] = acc;
        if (sequences > 0) metrics["sequences"] = sequences;
        if (search is not null)
        {
            metrics["searchSeconds"] = Math.Round(search.TotalSeconds, 3);
            metrics["validationNdcg"] = search.Best.ValidationNdcg;
        }
        return (file, catalog.SaveModel(settings.Space, model.Name, version, paramsJson, dataVersion, file, JsonSerializer.Serialize(metrics)));
    }

    /// <summary>Writes the model's item vectors as its space (item-kNN fills none); how many.</summary>
    private static int StoreVectors(ICatalog catalog, CfSettings settings, IRecommenderModel model, CatalogListening data, ModelRecord record)
    {
        var vectors = ItemVectors(model, data).ToList();
        if (settings.Space != "itemknn")
            catalog.ReplaceItemVectors(settings.Space, record.Id, vectors.Count == 0 ? settings.Factors : vectors[0].Vector.Length, vectors);
        return vectors.Count;
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

    private static string Summary(CfSettings settings, IRecommenderModel model, string version, double seconds, int vectors, string file, double? loss,
        AlsSearchResult? search)
    {
        if (settings.Space == "itemknn")
            return string.Create(CultureInfo.InvariantCulture,
                $"Trained {model.Name} ({version}) in {seconds:0.0} s: neighbour lists of {model.ItemCount} items, model file {file} (item-kNN fills no vector space)");
        string lossText = loss is double l ? string.Create(CultureInfo.InvariantCulture, $", final loss {l:0.######}") : "";
        string tuned = search is null ? "" : $" with the values its search chose ({search.Best.Label})";
        return string.Create(CultureInfo.InvariantCulture,
            $"Trained {model.Name} ({version}){tuned} in {seconds:0.0} s{lossText}: {vectors} item vectors in space {settings.Space}, model file {file}");
    }

    /// <summary>One line per iteration (BPR and track2vec: at most about 20 lines), synchronously; every iteration goes
    /// to the progress file the web app's status reads.</summary>
    private sealed class LineProgress(IProgress<string> say, TrainingProgressFile report) : IProgress<TrainingProgress>
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
            say.Report(sb.ToString());
        }
    }
}
