using System.Globalization;
using Earworm.App.Training;
using Earworm.Catalog;
using Earworm.Content.Training;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Evaluation.Tuning;
using Earworm.Learning;
using Earworm.Learning.Factorization;
using Earworm.Learning.Hybrid;

namespace Earworm.App.Evaluate;

/// <summary><c>evaluate</c> as a front end asks for it.</summary>
/// <param name="Dataset">A HetRec Last.fm 2K folder (or its user_artists.dat); null: the catalog's listening data.</param>
/// <param name="Models">als, als-tuned, bpr, itemknn, itemknn-cosine, track2vec, pop, random; with cold start also
/// <see cref="ColdStartModels.Names"/>.</param>
/// <param name="AudioMinutes">The cold-start audio model's time budget per training run.</param>
/// <param name="ReportFolder">Where report.md, report.json and the plots go (a sub-folder per protocol when several).</param>
/// <param name="Tune">When given, ALS tuned by this search on each split's training part is evaluated too, as
/// <see cref="TunedAlsTrainer.TunedName"/> beside <c>als</c> (also when <paramref name="Models"/> names it).</param>
public sealed record EvaluationRequest(string? Dataset, IReadOnlyList<EvaluationProtocol> Protocols, IReadOnlyList<string> Models,
    EvaluationOptions Options, CfSettings Settings, double AudioMinutes = 5, string? ReportFolder = null, CfTuning? Tune = null);

/// <summary>One protocol's report and the folder it was written to (null when none was asked for).</summary>
public sealed record ProtocolReport(EvaluationProtocol Protocol, EvaluationReport Report, string? Folder);

/// <summary>
/// <c>evaluate</c>: the collaborative-filtering models beside the baselines (and, under cold start, the content models
/// that predict factors from the audio or the descriptors), trained on each split and ranked for every test user
/// (<see cref="ProtocolRunner"/>), one report per protocol.
/// </summary>
public sealed class EvaluationService(CatalogLocation location)
{
    /// <summary>What the cold-start table means, printed under it and appended to its report.</summary>
    public const string ColdStartNote =
        "**Cold start and pure CF.** A cold item has no interaction in training, so a collaborative model has nothing to place it by: " +
        "ALS solves its factors from no data (zero, so every cold item scores 0 and the order is the random tie-break), " +
        "BPR only ever draws it as a negative (it learns to rank it low, for everyone alike), popularity counts zero users for all of them, " +
        "item-kNN and track2vec have no neighbours or vector for it and return no cold item at all (every metric 0). " +
        "So every pure-CF model sits at the random baseline here, by construction. Closing that gap is the content models' job: " +
        "audio-predicted factors, the cold-start bridge of `earworm recommend`, and the hybrid model, which places a cold item by its tags.";

    /// <param name="say">What is evaluated on what, and each model's training as it starts.</param>
    /// <exception cref="UsageException">an unknown model, a content model outside cold start, a temporal protocol on
    /// data without times, or no listening data.</exception>
    /// <returns>Each protocol's report as it is done (a front end shows one while the next runs).</returns>
    public IEnumerable<ProtocolReport> Run(EvaluationRequest request, IProgress<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(say);
        if (request.Protocols.Count == 0) throw new UsageException("--protocol names no protocol");
        request = WithTunedAls(request);
        var data = Load(request.Dataset, request.Settings.SessionGap, features: request.Models.Contains("hybrid"));
        request = AlsDefaultsFor(request, data, say);
        var content = ContentModels(request, data);
        using var catalogForContent = content?.Catalog;
        var tuned = new List<TunedAlsTrainer>();
        var trainers = Trainers(request, data, content?.Models, tuned, say);
        // reported on the runner's threads and said at once (a line posted later could outlive the front end's writer)
        var gate = new Lock();
        var progress = new InlineProgress<EvaluationProgress>(p =>
        {
            if (p.Stage != EvaluationStage.Fit || p.Training is not null || p.Done != 0) return;
            lock (gate) say.Report($"evaluate: seed {p.Seed} ({p.RunIndex + 1}/{p.RunCount}), training {p.Model}…");
        });
        foreach (var protocol in request.Protocols)
        {
            RequireTimes(protocol, data, request.Dataset is null);
            say.Report($"evaluate: {protocol.Name} protocol on {data.Source}");
            tuned.Clear();
            var report = ProtocolRunner.Run(data.Dataset, trainers, protocol, request.Options, progress, cancellationToken);
            if (tuned.Count > 0) report = report with { Searches = [.. tuned.SelectMany(t => t.Searches)] };
            var folder = request.ReportFolder is null ? null : request.Protocols.Count == 1 ? request.ReportFolder : Path.Combine(request.ReportFolder, protocol.Name);
            if (folder is not null)
            {
                ReportWriter.Write(report, folder);
                if (protocol.RanksColdItemsOnly) File.AppendAllText(Path.Combine(folder, ReportWriter.MarkdownFile), Environment.NewLine + ColdStartNote + Environment.NewLine);
            }
            yield return new ProtocolReport(protocol, report, folder is null ? null : Path.GetFullPath(folder));
        }
    }

    /// <summary>The listening data evaluated on: its interactions, sessions and playlists (track2vec), where it comes from.</summary>
    private sealed record Data(InteractionDataset Dataset, IReadOnlyList<(int, int[])> Sessions, IReadOnlyList<(int?, int[])> Playlists,
        string Source, CatalogListening? Listening, ItemFeatures? Features = null);

    /// <param name="features">whether to read the items' tags too (the hybrid model's features).</param>
    private Data Load(string? path, TimeSpan sessionGap, bool features)
    {
        if (path is not null)
        {
            var file = Directory.Exists(path) ? Path.Combine(path, "user_artists.dat") : path;
            if (!File.Exists(file)) throw new UsageException($"no listening data at {path} (expected a HetRec folder with user_artists.dat)");
            var lastfm = LastFmUserArtists.ReadFile(file);
            return new Data(lastfm.Dataset, [], [], "lastfm-2k", null,
                features ? ItemTagFeatures.FromLastFm2k(Path.GetDirectoryName(Path.GetFullPath(file))!, lastfm) : null);
        }
        using var catalog = location.OpenExisting();
        var listening = CatalogListening.Load(catalog, sessionGap);
        if (listening.Interactions.Count == 0)
            throw new UsageException($"the catalog {location.CatalogPath} holds no listening data: import some (`earworm import --help`) or pass --dataset");
        return new Data(listening.ToDataset("catalog"), listening.Sessions, listening.Playlists, "the catalog", listening,
            features ? ItemTagFeatures.FromCatalog(catalog, listening) : null);
    }

    /// <summary>The cold-start content models' factory, with the catalog it reads tracks from (null with --dataset); null
    /// when no content model is asked for.</summary>
    private (ColdStartModels Models, ICatalog? Catalog)? ContentModels(EvaluationRequest request, Data data)
    {
        if (!request.Models.Any(ColdStartModels.Names.Contains)) return null;
        if (request.Protocols.Any(p => !p.RanksColdItemsOnly))
            throw new UsageException($"{string.Join(", ", ColdStartModels.Names)} are cold-start models: use them with --protocol cold-start only");
        if (!(request.AudioMinutes > 0)) throw new UsageException("--audio-minutes must be positive");
        var catalog = data.Listening is null ? null : location.OpenExisting();
        var audio = new AudioTrainingOptions
        {
            Objective = AudioObjective.Cf, TimeBudget = TimeSpan.FromMinutes(request.AudioMinutes), CropsPerTrack = 4,
            // one fit per split and seed: a shorter run than `train audio`'s (the regression loss is steadier than contrastive's)
            MaxEpochs = 40, EarlyStoppingPatience = 6,
        };
        return (new ColdStartModels(data.Dataset, data.Listening, catalog, data.Listening is null ? null : location.CatalogPath, request.Settings, audio), catalog);
    }

    /// <summary>With a search asked for, the tuned ALS in the models: after the untuned one, or first without it.</summary>
    private static EvaluationRequest WithTunedAls(EvaluationRequest request)
    {
        if (request.Tune is null || request.Models.Contains(TunedAlsTrainer.TunedName)) return request;
        var models = request.Models.ToList();
        models.Insert(models.IndexOf("als") + 1, TunedAlsTrainer.TunedName);
        return request with { Models = models };
    }

    /// <summary>The ALS defaults that suit the data (binary or play counts), said when ALS takes any of them.</summary>
    private static EvaluationRequest AlsDefaultsFor(EvaluationRequest request, Data data, IProgress<string> say)
    {
        var settings = request.Settings.ForData(InteractionMatrix.FromInteractions(data.Dataset.Interactions, data.Dataset.UserCount, data.Dataset.ItemCount));
        if (settings.UsesAlsDefaults && request.Models.Contains("als"))
            say.Report("evaluate: " + settings.AlsDefaults.Statement);
        return request with { Settings = settings };
    }

    /// <summary>The trainers of a seed; unknown names and a model named twice (itemknn and itemknn-bm25 are one) fail here,
    /// before any work, and what track2vec and the content models learn from is said once. Every tuned ALS made is added to <paramref name="tuned"/> (its searches go in the report).</summary>
    private static Func<int, IReadOnlyList<IRecommenderTrainer>> Trainers(EvaluationRequest request, Data data, ColdStartModels? content,
        List<TunedAlsTrainer> tuned, IProgress<string> say)
    {
        SequenceTrack2VecTrainer? seq = null;
        bool binary = request.Settings.AlsDefaults == AlsDataDefaults.Binary;
        IRecommenderTrainer Tuned(int seed)
        {
            // each split's search is seeded by the split, as the models are
            var options = (request.Tune ?? new CfTuning()).Options(binary, seed);
            var trainer = new TunedAlsTrainer(request.Settings.Als() with { Seed = seed, CalculateTrainingLoss = false }, options,
                new InlineProgress<AlsSearchRow>(row => say.Report("  " + row.Line(options.K))));
            tuned.Add(trainer);
            return trainer;
        }
        IReadOnlyList<IRecommenderTrainer> TrainersFor(int seed) => request.Models.Select(n => content is not null && ColdStartModels.Names.Contains(n)
            ? content.Trainer(n, seed)
            : n == TunedAlsTrainer.TunedName ? Tuned(seed)
            : CfSettings.EvaluationTrainer(n, request.Settings, seed, o => seq = new SequenceTrack2VecTrainer(o, data.Sessions, data.Playlists), data.Features)).ToList();
        if (TrainersFor(1).GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new UsageException($"--models names {twice.Key} twice");
        tuned.Clear();
        if (content is not null && request.Models.Any(n => ColdStartModels.Names.Contains(n) && n != "true-factors"))
            say.Report($"evaluate: {content.MatchedItems} of {data.Dataset.ItemCount} listened items are library tracks; the others have no audio or descriptors (predicted as zero, so ranked at random)");
        if (data.Features is { } f && request.Models.Contains("hybrid"))
            say.Report($"evaluate: the hybrid model learns from {f.FeatureCount} tags on {Enumerable.Range(0, f.ItemCount).Count(f.Has)} of {f.ItemCount} items ({f.NonZeros} item–tag pairs; tags on one item only left out)");
        if (seq is { HasSequences: false })
            say.Report($"evaluate: {data.Source} has no listening sessions (timed plays) and no playlists, so track2vec learns from each user's set of training items (item2vec, the window widened to the whole set)");
        else if (seq is not null)
            say.Report($"evaluate: track2vec learns from {data.Sessions.Count} sessions and {data.Playlists.Count} playlists, each cut to the split's training data");
        return TrainersFor;
    }

    private static void RequireTimes(EvaluationProtocol protocol, Data data, bool fromCatalog)
    {
        int undated = data.Dataset.Interactions.Count(x => x.TimestampUnixSeconds is null);
        if (protocol.Kind != ProtocolKind.Temporal || undated == 0) return;
        string why = fromCatalog ? "aggregate play counts" : "HetRec's user_artists.dat holds play counts per artist, never when";
        throw new UsageException(string.Create(CultureInfo.InvariantCulture,
            $"{data.Source}: {undated} of {data.Dataset.Interactions.Count} interactions have no time ({why}), so there is no \"most recent\" to hold out: ") +
            "the temporal protocol needs timed listens (import ListenBrainz, Spotify, Last.fm scrobbles or a CSV with a timestamp column)");
    }
}
