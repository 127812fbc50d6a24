using System.CommandLine;
using System.Globalization;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Learning;
using Earworm.Learning.Baselines;
using Earworm.Learning.Factorization;
using Earworm.Learning.Neighbours;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm evaluate</c>: offline metrics of the collaborative-filtering models beside the baselines.</summary>
internal static class EvaluateCommand
{
    private static readonly Option<string> Dataset = new("--dataset")
    {
        Description = "Listening data to evaluate on: a HetRec Last.fm 2K folder (user_artists.dat) or that file",
        Required = true,
        HelpName = "PATH",
    };

    private static readonly Option<string> Protocol = new("--protocol")
    {
        Description = "warm (per-user 80/20 holdout), leave-one-out, temporal (last listen per user; needs timestamps), " +
                      "cold-start (10% of items held out with all their listens)",
        DefaultValueFactory = _ => "warm",
        HelpName = "NAME",
    };

    private static readonly Option<string> Models = new("--models")
    {
        Description = "Comma-separated: als, bpr, itemknn (cosine), itemknn-bm25, pop, random",
        DefaultValueFactory = _ => "als,bpr,itemknn-bm25,pop,random",
        HelpName = "LIST",
    };

    private static readonly Option<int> K = new("--k") { Description = "Cut-off of the metrics", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Seeds = new("--seeds") { Description = "Splits (and model seeds) to average over", DefaultValueFactory = _ => 3 };
    private static readonly Option<int> Factors = new("--factors") { Description = "Latent factors of ALS and BPR", DefaultValueFactory = _ => 64 };
    private static readonly Option<int> Iterations = new("--iterations") { Description = "ALS iterations (BPR: epochs = 10 × this)", DefaultValueFactory = _ => 15 };
    private static readonly Option<string?> Report = new("--report") { Description = "Folder for report.md, report.json and the PNG plots", HelpName = "DIR" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("evaluate", "Offline evaluation: split the listening data (per protocol and seed), train each model on the " +
                                          "training part, rank for every test user and report precision, recall, F1, NDCG, MAP, MRR, hit rate, " +
                                          "AUC, coverage, novelty and popularity at K, as mean ± std over seeds.")
        {
            Dataset, Protocol, Models, K, Seeds, Factors, Iterations, Report,
        };
        cmd.SetAction((parse, ct) =>
        {
            var ctx = context(parse);
            var path = parse.GetValue(Dataset)!;
            var file = Directory.Exists(path) ? Path.Combine(path, "user_artists.dat") : path;
            if (!File.Exists(file)) throw new UsageException($"no listening data at {path} (expected a HetRec folder with user_artists.dat)");
            var data = LastFmUserArtists.ReadFile(file).Dataset;
            EvaluationProtocol protocol;
            try
            {
                protocol = EvaluationProtocol.Parse(parse.GetValue(Protocol)!);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            int factors = parse.GetValue(Factors), iterations = parse.GetValue(Iterations);
            var names = parse.GetValue(Models)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            IReadOnlyList<IRecommenderTrainer> TrainersFor(int seed) => names.Select(n => Trainer(n, seed, factors, iterations)).ToList();
            _ = TrainersFor(1); // unknown names fail before any work
            var options = new EvaluationOptions { K = parse.GetValue(K), Seeds = parse.GetValue(Seeds) };
            var progress = new Progress<EvaluationProgress>(p =>
            {
                if (p.Stage == EvaluationStage.Fit && p.Training is null)
                    ctx.Err.WriteLine($"evaluate: seed {p.Seed} ({p.RunIndex + 1}/{p.RunCount}), training {p.Model}…");
            });
            var report = ProtocolRunner.Run(data, TrainersFor, protocol, options, progress, ct);
            var dir = parse.GetValue(Report);
            if (dir is not null) ReportWriter.Write(report, dir);
            if (ctx.Json) ctx.Out.WriteLine(JsonReport.Write(report));
            else
            {
                ctx.Out.WriteLine(MarkdownReport.Write(report));
                if (dir is not null) ctx.Console.MarkupLine($"Report, JSON and plots in [bold]{Markup.Escape(Path.GetFullPath(dir))}[/]");
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static IRecommenderTrainer Trainer(string name, int seed, int factors, int iterations) => name switch
    {
        // Play counts run to hundreds of thousands: log scaling keeps one obsessive listen from drowning the rest.
        "als" => new AlsTrainer(new AlsOptions
        {
            Factors = factors, Iterations = iterations, Seed = seed, Scaling = ConfidenceScaling.Log, Alpha = 10f, Regularization = 0.05f,
        }),
        "bpr" => new BprTrainer(new BprOptions { Factors = factors, Epochs = 10 * iterations, Seed = seed, LearningRate = 0.05f }),
        "itemknn" => new ItemKnnTrainer(new ItemKnnOptions()),
        "itemknn-bm25" => new ItemKnnTrainer(new ItemKnnOptions { Similarity = ItemSimilarity.Bm25 }),
        "pop" => new PopularityTrainer(),
        "random" => new RandomTrainer(seed),
        _ => throw new UsageException($"unknown model '{name}': use als, bpr, itemknn, itemknn-bm25, pop or random"),
    };
}
