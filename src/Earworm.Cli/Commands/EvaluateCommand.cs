using System.CommandLine;
using Earworm.App.Evaluate;
using Earworm.App.Training;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Evaluation.Sequences;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm evaluate</c>: offline metrics of the collaborative-filtering models beside the baselines.</summary>
internal static class EvaluateCommand
{
    private static readonly Option<string?> Dataset = new("--dataset")
    {
        Description = "Listening data to evaluate on: a HetRec Last.fm 2K folder (user_artists.dat) or that file; " +
                      "without it, the catalog's imported listening data (sessions and playlists feed track2vec). For next-item and " +
                      "playlist-continuation also Million Playlist Dataset slices (mpd.slice.*.json, a file or folder, read without " +
                      "importing) or `markov` (sessions and playlists drawn from a Markov chain over topics: order matters)",
        HelpName = "PATH",
    };

    private static readonly Option<string> Protocol = new("--protocol")
    {
        Description = "warm (per-user 80/20 holdout), leave-one-out, temporal (last listen per user; needs timestamps), " +
                      "cold-start (10% of items held out with all their listens); next-item (20% of listening sessions held out: the " +
                      "last played track of each from what came before; HR, MRR, NDCG) and playlist-continuation (20% of playlists " +
                      "held out: the rest from the first 1, 5, 10, 25 tracks; R-precision, NDCG, clicks) for the next-item models; " +
                      "several, comma-separated, run one after another; " +
                      "or off-policy (target policies estimated from logged propensities: with --simulate or --log)",
        DefaultValueFactory = _ => "warm",
        HelpName = "NAME[,NAME]",
    };

    private static readonly Option<string> Models = new("--models")
    {
        Description = "Comma-separated: als, als-tuned (ALS tuned by --tune's search on each split's training part; --tune adds it), bpr, " +
                      "itemknn (BM25 neighbours; itemknn-cosine for cosine), track2vec, pop, random, hybrid (LightFM-style, from the items' tags: " +
                      "a Last.fm 2K folder's tags.dat, or the catalog's imported tags; it ranks cold items by their tags); " +
                      "with --protocol cold-start also audio (ridge regression, λ by cross-validation, from the library's audio space — the " +
                      "shipped encoder's embedding — to the training tracks' ALS factors), descriptors (the same from the descriptor space), " +
                      "audio+descriptors (from both), audio-cnn (the whole audio network trained to predict the factors from the excerpts) " +
                      "and true-factors (ALS trained with the held-out tracks: the upper bound). With next-item and playlist-continuation: " +
                      "sasrec, gru4rec (trained on each split: --embedding, --layers, --seq-epochs… as `train sequence`), sknn (session kNN), " +
                      "sr (sequential rules), track2vec (the last track's nearest), pop (default: all of them)",
        DefaultValueFactory = _ => "als,bpr,itemknn,pop,random",
        HelpName = "LIST",
    };

    private static readonly Option<int> K = new("--k") { Description = "Cut-off of the metrics", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Seeds = new("--seeds") { Description = "Splits (and model seeds) to average over", DefaultValueFactory = _ => 3 };
    private static readonly Option<int> FirstSeed = new("--first-seed") { Description = "The first split's seed: the runs use this one and the next --seeds − 1 (so seeds can run in separate processes)", DefaultValueFactory = _ => 1 };
    private static readonly Option<bool> EveryPosition = new("--every-position")
    {
        Description = "next-item: ask for every played track of a held-out session after its first, not only the last",
    };
    private static readonly Option<string> FirstTracks = new("--first")
    {
        Description = "playlist-continuation: numbers of seed tracks given, one report each", DefaultValueFactory = _ => "1,5,10,25", HelpName = "N[,N]",
    };
    private static readonly CfOptionSet Cf = new();
    private static readonly TuneOptionSet Tune = new();
    private static readonly SequenceOptionSet Neural = new(prefixed: true);
    private static readonly Option<double> AudioMinutes = new("--audio-minutes")
    {
        Description = "cold-start audio-cnn model: time budget of each training run (one per seed), minutes", DefaultValueFactory = _ => 5,
    };

    private static readonly Option<bool> Simulate = new("--simulate")
    {
        Description = "off-policy: the built-in simulator (listeners with hidden tastes, a softmax logging policy with known propensities, " +
                      "the targets also run on-policy for the truth): bias and coverage per estimator over --seeds seeds, and a drift race (figure)",
    };

    private static readonly Option<string?> Log = new("--log") { Description = "off-policy: a decision log to estimate the targets from (JSON Lines, one decision a line with its candidates and propensity; --save-log writes one)", HelpName = "FILE" };

    private static readonly Option<string[]> Policy = new("--policy")
    {
        Description = "off-policy: target policies (greedy, epsilon-greedy[:ε], softmax[:τ], thompson[:γ], linucb[:α]); several, or comma-separated; " +
                      "default greedy, epsilon-greedy:0.1, softmax:0.5, thompson, linucb:0.3",
        HelpName = "NAME",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string?> SaveLog = new("--save-log") { Description = "off-policy with --simulate: also write seed 1's log to FILE (the format --log reads)", HelpName = "FILE" };

    private static readonly Option<string?> Report = new("--report") { Description = "Folder for report.md, report.json and the PNG plots (one sub-folder per protocol when several)", HelpName = "DIR" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("evaluate", "Offline evaluation: split the listening data (per protocol and seed), train each model on the " +
                                          "training part, rank for every test user and report precision, recall, F1, NDCG, MAP, MRR, hit rate, " +
                                          "AUC, coverage, novelty and popularity at K, as mean ± std over seeds.")
        {
            Dataset, Protocol, Models, K, Seeds, FirstSeed, EveryPosition, FirstTracks, AudioMinutes, Report, Simulate, Log, Policy, SaveLog,
        };
        foreach (var o in Cf.All) cmd.Options.Add(o);
        foreach (var o in Tune.All) cmd.Options.Add(o);
        foreach (var o in Neural.All) cmd.Options.Add(o);
        cmd.SetAction((parse, ct) =>
        {
            var ctx = context(parse);
            var protocols = parse.GetValue(Protocol)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var name in protocols.Where(p => !SequenceProtocol.IsName(p) && !p.Equals("off-policy", StringComparison.OrdinalIgnoreCase)))
            {
                try
                {
                    _ = EvaluationProtocol.Parse(name);
                }
                catch (UsageException)
                {
                    // every protocol this verb runs, not only the set models' ones
                    throw new UsageException($"unknown protocol \"{name}\": expected one of " +
                                             string.Join(", ", [.. EvaluationProtocol.Names, .. SequenceProtocol.Names, "off-policy"]));
                }
            }
            if (protocols.GroupBy(p => p.ToLowerInvariant()).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new UsageException($"--protocol names {twice.Key} twice");   // it ran twice, into the same report folder
            // an option of one protocol given without it is refused, not ignored
            foreach (var (option, protocol) in new (Option, string)[] { (EveryPosition, "next-item"), (FirstTracks, "playlist-continuation") })
                parse.RefuseUnread(option, protocols.Contains(protocol, StringComparer.OrdinalIgnoreCase), $"belongs to --protocol {protocol}");
            if (protocols.Any(p => p.Equals("off-policy", StringComparison.OrdinalIgnoreCase)))
                return Task.FromResult(OffPolicy(parse, ctx, protocols, ct));
            if (parse.GetValue(Simulate) || parse.GetValue(Log) is not null || parse.GetValue(Policy) is { Length: > 0 })
                throw new UsageException("--simulate, --log and --policy belong to --protocol off-policy");
            if (protocols.Any(SequenceProtocol.IsName))
            {
                if (!protocols.All(SequenceProtocol.IsName))
                    throw new UsageException("next-item and playlist-continuation evaluate other models than the other protocols: run them in a command of their own");
                return Task.FromResult(RunSequences(parse, ctx, protocols, ct));
            }
            var request = new EvaluationRequest(
                parse.GetValue(Dataset),
                [.. protocols.Select(EvaluationProtocol.Parse)],
                [.. parse.GetValue(Models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant())],
                Measuring(parse),
                Cf.Read(parse, new CfSettings()).Validated(),
                parse.GetValue(AudioMinutes),
                ReportFolder(parse),
                Tune.Read(parse));
            var reports = new EvaluationService(ctx.Location).Run(request, ctx.ErrLines, ct);
            if (ctx.Json)
            {
                var json = reports.Select(r => JsonReport.Write(r.Report)).ToList();
                ctx.Out.WriteLine(json.Count == 1 ? json[0] : "[" + string.Join(",\n", json) + "]");
                return Task.FromResult(ExitCodes.Ok);
            }
            foreach (var r in reports)
            {
                ctx.Out.WriteLine(MarkdownReport.Write(r.Report));
                if (r.Protocol.RanksColdItemsOnly) ctx.Out.WriteLine(EvaluationService.ColdStartNote);
                if (r.Folder is not null) ctx.Console.MarkupLine($"Report, JSON and plots in [bold]{Markup.Escape(r.Folder)}[/]");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>--report's folder, refused before any work when a file holds its place (the reports could not be written
    /// after the whole evaluation ran).</summary>
    private static string? ReportFolder(ParseResult parse) => parse.GetValue(Report) is { } folder && File.Exists(folder)
        ? throw new UsageException($"--report {folder} is a file: give a folder (report.md, report.json and the plots go in it)")
        : parse.GetValue(Report);

    /// <summary>--k, --seeds and --first-seed as the runners take them; a cut-off or a number of splits under 1 is bad usage
    /// before any data is read.</summary>
    private static EvaluationOptions Measuring(ParseResult parse)
    {
        foreach (var option in new[] { K, Seeds })
            if (parse.GetValue(option) is var value and < 1) throw new UsageException($"{option.Name} must be at least 1, got {value}");
        return new EvaluationOptions { K = parse.GetValue(K), Seeds = parse.GetValue(Seeds), FirstSeed = parse.GetValue(FirstSeed) };
    }

    private static int OffPolicy(ParseResult parse, CliContext ctx, string[] protocols, CancellationToken ct)
    {
        if (protocols.Length != 1) throw new UsageException("--protocol off-policy runs alone, not with other protocols");
        var policies = (parse.GetValue(Policy) ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var result = OffPolicyEvaluationService.Run(new OffPolicyRequest(parse.GetValue(Simulate), parse.GetValue(Log), policies,
            parse.GetValue(Seeds), ReportFolder(parse), parse.GetValue(SaveLog)), ctx.ErrLines, ct);
        if (ctx.Json)
        {
            ctx.Out.WriteLine(OffPolicyReports.Json(result.Report));
            return ExitCodes.Ok;
        }
        ctx.Out.WriteLine(OffPolicyReports.Markdown(result.Report));
        if (result.Folder is not null) ctx.Console.MarkupLine($"Report, JSON and figure in [bold]{Markup.Escape(result.Folder)}[/]");
        return ExitCodes.Ok;
    }

    private static int RunSequences(ParseResult parse, CliContext ctx, IReadOnlyList<string> names, CancellationToken ct)
    {
        var firsts = parse.GetValue(FirstTracks)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => int.TryParse(n, out int v) && v > 0 ? v : throw new UsageException($"--first: \"{n}\" is not a positive number")).ToList();
        var protocols = names.Select(SequenceProtocol.Parse)
            .Select(p => p with { EveryPosition = parse.GetValue(EveryPosition), SeedCounts = firsts }).ToList();
        var models = parse.Gave(Models)
            ? parse.GetValue(Models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToList()
            : [.. SequenceModels.Names];
        var request = new SequenceEvaluationRequest(parse.GetValue(Dataset), protocols, models,
            Measuring(parse), Cf.Read(parse, new CfSettings()).Validated(), ReportFolder(parse),
            Neural.Read(parse, Content.Sequences.SequenceArchitecture.SasRec, seed: 1));
        var reports = new SequenceEvaluationService(ctx.Location).Run(request, ctx.ErrLines, ct);
        if (ctx.Json)
        {
            var json = reports.Select(r => JsonReport.Write(r.Report)).ToList();
            ctx.Out.WriteLine(json.Count == 1 ? json[0] : "[" + string.Join(",\n", json) + "]");
            return ExitCodes.Ok;
        }
        foreach (var r in reports)
        {
            ctx.Out.WriteLine(MarkdownReport.Write(r.Report));
            if (r.Folder is not null) ctx.Console.MarkupLine($"Report, JSON and plots in [bold]{Markup.Escape(r.Folder)}[/]");
        }
        return ExitCodes.Ok;
    }
}
