using System.CommandLine;
using System.Globalization;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Evaluation.Tuning;
using Earworm.Learning;
using Earworm.Learning.Factorization;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm evaluate</c>: offline metrics of the collaborative-filtering models beside the baselines.</summary>
internal static class EvaluateCommand
{
    private static readonly Option<string?> Dataset = new("--dataset")
    {
        Description = "Listening data to evaluate on: a HetRec Last.fm 2K folder (user_artists.dat) or that file; " +
                      "without it, the catalog's imported listening data (sessions and playlists feed track2vec)",
        HelpName = "PATH",
    };

    private static readonly Option<string> Protocol = new("--protocol")
    {
        Description = "warm (per-user 80/20 holdout), leave-one-out, temporal (last listen per user; needs timestamps), " +
                      "cold-start (10% of items held out with all their listens); several, comma-separated, run one after another",
        DefaultValueFactory = _ => "warm",
        HelpName = "NAME[,NAME]",
    };

    private static readonly Option<string> Models = new("--models")
    {
        Description = "Comma-separated: als, als-tuned (ALS with --tune's search on each split's training part), bpr, itemknn (BM25 neighbours; itemknn-cosine for cosine), track2vec, pop, random; " +
                      "with --protocol cold-start also audio (the audio network trained to predict the training tracks' ALS factors from " +
                      "their excerpts), descriptors (ridge regression from the descriptor space to the factors) and true-factors " +
                      "(ALS trained with the held-out tracks: the upper bound)",
        DefaultValueFactory = _ => "als,bpr,itemknn,pop,random",
        HelpName = "LIST",
    };

    private static readonly Option<int> K = new("--k") { Description = "Cut-off of the metrics", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Seeds = new("--seeds") { Description = "Splits (and model seeds) to average over", DefaultValueFactory = _ => 3 };
    private static readonly CfOptionSet Cf = new();
    private static readonly TuneOptionSet Tune = new();
    private static readonly Option<double> AudioMinutes = new("--audio-minutes")
    {
        Description = "cold-start audio model: time budget of each training run (one per seed), minutes", DefaultValueFactory = _ => 5,
    };

    private static readonly Option<string?> Report = new("--report") { Description = "Folder for report.md, report.json and the PNG plots (one sub-folder per protocol when several)", HelpName = "DIR" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("evaluate", "Offline evaluation: split the listening data (per protocol and seed), train each model on the " +
                                          "training part, rank for every test user and report precision, recall, F1, NDCG, MAP, MRR, hit rate, " +
                                          "AUC, coverage, novelty and popularity at K, as mean ± std over seeds.")
        {
            Dataset, Protocol, Models, K, Seeds, AudioMinutes, Report,
        };
        foreach (var o in Cf.All) cmd.Options.Add(o);
        foreach (var o in Tune.All) cmd.Options.Add(o);
        cmd.SetAction((parse, ct) =>
        {
            var ctx = context(parse);
            var protocols = parse.GetValue(Protocol)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(EvaluationProtocol.Parse).ToList();
            if (protocols.Count == 0) throw new UsageException("--protocol names no protocol");
            var settings = Cf.Read(parse, new CfSettings()).Validated();
            var names = parse.GetValue(Models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => n.ToLowerInvariant()).ToList();
            var tune = Tune.Read(parse);
            if (tune is not null && !names.Contains(TunedAlsTrainer.TunedName))
                names.Insert(names.IndexOf("als") + 1, TunedAlsTrainer.TunedName);   // beside the untuned ALS, or first without it
            var (data, sessions, playlists, source, listening) = Load(ctx, parse.GetValue(Dataset), settings.SessionGap);
            bool binary = AlsDataDefaults.IsBinary(InteractionMatrix.FromInteractions(data.Interactions, data.UserCount, data.ItemCount));
            var tuned = new List<TunedAlsTrainer>();
            var searchLines = new Progress<AlsSearchRow>(row => ctx.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {row.Label}: validation NDCG@10 {row.ValidationNdcg:0.0000} ({row.Seconds:0.0} s)")));
            IRecommenderTrainer Tuned(int seed)
            {
                var trainer = new TunedAlsTrainer(settings.Als() with { Seed = seed, CalculateTrainingLoss = false },
                    (tune ?? new TuneOptionSet.Request(null, 1)).Options(binary, seed), ctx.Json ? null : searchLines);
                tuned.Add(trainer);
                return trainer;
            }
            var content = names.Any(ColdStartModels.Names.Contains) ? ContentModels(ctx, parse, protocols, data, listening, settings) : ((ColdStartModels Models, Earworm.Catalog.CatalogStore? Catalog)?)null;
            using var catalogForContent = content?.Catalog;
            IRecommenderTrainer? seq = null;
            IReadOnlyList<IRecommenderTrainer> TrainersFor(int seed) => names.Select(n => content is not null && ColdStartModels.Names.Contains(n)
                ? content.Value.Models.Trainer(n, seed)
                : n == TunedAlsTrainer.TunedName ? Tuned(seed)
                : CfSettings.EvaluationTrainer(n, settings, seed, o => seq = new SequenceTrack2VecTrainer(o, sessions, playlists))).ToList();
            _ = TrainersFor(1); // unknown names fail before any work
            tuned.Clear();
            if (content is { } c && names.Any(n => n is "audio" or "descriptors"))
                ctx.Err.WriteLine($"evaluate: {c.Models.MatchedItems} of {data.ItemCount} listened items are library tracks; the others have no audio or descriptors (predicted as zero, so ranked at random)");
            if (seq is SequenceTrack2VecTrainer { HasSequences: false })
                ctx.Err.WriteLine($"evaluate: {source} has no listening sessions (timed plays) and no playlists, so track2vec learns from each user's set of training items (item2vec, the window widened to the whole set)");
            else if (seq is not null)
                ctx.Err.WriteLine($"evaluate: track2vec learns from {sessions.Count} sessions and {playlists.Count} playlists, each cut to the split's training data");
            int undated = data.Interactions.Count(x => x.TimestampUnixSeconds is null);
            var options = new EvaluationOptions { K = parse.GetValue(K), Seeds = parse.GetValue(Seeds) };
            var progress = new Progress<EvaluationProgress>(p =>
            {
                if (p.Stage == EvaluationStage.Fit && p.Training is null && p.Done == 0)
                    ctx.Err.WriteLine($"evaluate: seed {p.Seed} ({p.RunIndex + 1}/{p.RunCount}), training {p.Model}…");
            });
            var dir = parse.GetValue(Report);
            var json = new List<string>();
            foreach (var protocol in protocols)
            {
                if (protocol.Kind == ProtocolKind.Temporal && undated > 0)
                {
                    string why = parse.GetValue(Dataset) is null ? "aggregate play counts" : "HetRec's user_artists.dat holds play counts per artist, never when";
                    throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                        $"{source}: {undated} of {data.Interactions.Count} interactions have no time ({why}), so there is no \"most recent\" to hold out: ") +
                        "the temporal protocol needs timed listens (import ListenBrainz, Spotify, Last.fm scrobbles or a CSV with a timestamp column)");
                }
                ctx.Err.WriteLine($"evaluate: {protocol.Name} protocol on {source}");
                tuned.Clear();
                var report = ProtocolRunner.Run(data, TrainersFor, protocol, options, progress, ct);
                if (tuned.Count > 0) report = report with { Searches = [.. tuned.SelectMany(t => t.Searches)] };
                var folder = dir is null ? null : protocols.Count == 1 ? dir : Path.Combine(dir, protocol.Name);
                if (folder is not null)
                {
                    ReportWriter.Write(report, folder);
                    if (protocol.RanksColdItemsOnly) File.AppendAllText(Path.Combine(folder, ReportWriter.MarkdownFile), Environment.NewLine + ColdStartNote + Environment.NewLine);
                }
                if (ctx.Json) json.Add(JsonReport.Write(report));
                else
                {
                    ctx.Out.WriteLine(MarkdownReport.Write(report));
                    if (protocol.RanksColdItemsOnly) ctx.Out.WriteLine(ColdStartNote);
                    if (folder is not null) ctx.Console.MarkupLine($"Report, JSON and plots in [bold]{Markup.Escape(Path.GetFullPath(folder))}[/]");
                }
            }
            if (ctx.Json) ctx.Out.WriteLine(json.Count == 1 ? json[0] : "[" + string.Join(",\n", json) + "]");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>What the cold-start table means, printed under it.</summary>
    internal const string ColdStartNote =
        "**Cold start and pure CF.** A cold item has no interaction in training, so a collaborative model has nothing to place it by: " +
        "ALS solves its factors from no data (zero, so every cold item scores 0 and the order is the random tie-break), " +
        "BPR only ever draws it as a negative (it learns to rank it low, for everyone alike), popularity counts zero users for all of them, " +
        "item-kNN and track2vec have no neighbours or vector for it and return no cold item at all (every metric 0). " +
        "So every pure-CF model sits at the random baseline here, by construction. Closing that gap is the content model's job: " +
        "audio-predicted factors, the cold-start bridge of `earworm recommend`.";

    /// <summary>The cold-start content models' factory, with the catalog it reads tracks from (null with --dataset).</summary>
    private static (ColdStartModels Models, Earworm.Catalog.CatalogStore? Catalog) ContentModels(CliContext ctx, ParseResult parse,
        List<EvaluationProtocol> protocols, InteractionDataset data, CatalogListening? listening, CfSettings settings)
    {
        if (protocols.Any(p => !p.RanksColdItemsOnly))
            throw new UsageException($"{string.Join(", ", ColdStartModels.Names)} are cold-start models: use them with --protocol cold-start only");
        double minutes = parse.GetValue(AudioMinutes);
        if (!(minutes > 0)) throw new UsageException("--audio-minutes must be positive");
        var catalog = listening is null ? null : ctx.OpenExistingCatalog();
        var audio = new Earworm.Content.Training.AudioTrainingOptions
        {
            Objective = Earworm.Content.Training.AudioObjective.Cf, TimeBudget = TimeSpan.FromMinutes(minutes), CropsPerTrack = 4,
            // one fit per split and seed: a shorter run than `train audio`'s (the regression loss is steadier than contrastive's)
            MaxEpochs = 40, EarlyStoppingPatience = 6,
        };
        return (new ColdStartModels(data, listening, catalog, listening is null ? null : ctx.CatalogPath(), settings, audio), catalog);
    }

    private static (InteractionDataset Data, IReadOnlyList<(int, int[])> Sessions, IReadOnlyList<(int?, int[])> Playlists, string Source, CatalogListening? Listening) Load(
        CliContext ctx, string? path, TimeSpan sessionGap)
    {
        if (path is not null)
        {
            var file = Directory.Exists(path) ? Path.Combine(path, "user_artists.dat") : path;
            if (!File.Exists(file)) throw new UsageException($"no listening data at {path} (expected a HetRec folder with user_artists.dat)");
            return (LastFmUserArtists.ReadFile(file).Dataset, [], [], "lastfm-2k", null);
        }
        using var catalog = ctx.OpenExistingCatalog();
        var listening = CatalogListening.Load(catalog, sessionGap);
        if (listening.Interactions.Count == 0)
            throw new UsageException($"the catalog {ctx.CatalogPath()} holds no listening data: import some (`earworm import --help`) or pass --dataset");
        return (listening.ToDataset("catalog"), listening.Sessions, listening.Playlists, "the catalog", listening);
    }
}
