using System.Diagnostics;
using System.Globalization;
using Earworm.App.Training;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Learning;
using Earworm.Learning.Hybrid;

namespace Earworm.Benchmarks;

/// <summary>
/// The hybrid model's settings compared on validation splits only, on HetRec Last.fm 2K with its tags: for each seed,
/// the training part of <c>evaluate</c>'s warm split (the same seed) is split again as the warm protocol splits (20 % of
/// each listener's items held out) and every configuration is fitted on the rest and measured on the held-out items,
/// beside ALS with its defaults on the same split; with <c>--cold</c> also a cold-start split of that training part
/// (10 % of its artists held out with all their listens). The test items of <c>evaluate</c> are never seen, so a
/// setting chosen here is measured honestly there.
/// </summary>
internal static class HybridBenchmark
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        var folder = a.Get("--dataset") ?? throw new ArgumentException("--dataset DIR is required (a HetRec Last.fm 2K folder with tags.dat)");
        int seeds = a.Int("--seeds", 1), first = a.Int("--first-seed", 1), threads = a.Int("--threads", 2);
        bool cold = a.Has("--cold");
        var configs = (a.Get("--configs") ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (configs.Length == 0) configs = [""];
        var lastFm = LastFmUserArtists.ReadFile(Path.Combine(folder, "user_artists.dat"));
        var features = ItemTagFeatures.FromLastFm2k(folder, lastFm) ?? throw new ArgumentException($"{folder} has no tags.dat and user_taggedartists.dat");
        var data = lastFm.Dataset;
        var basis = new CfSettings { Threads = threads }.Hybrid();
        Console.WriteLine($"hybrid validation: {data.Name}, {data.UserCount} users × {data.ItemCount} items; {features.FeatureCount} tags; " +
                          $"seeds {first}–{first + seeds - 1}; {threads} threads; load average {InteractionData.LoadAverage()}");
        Console.WriteLine("| configuration | seed | validation NDCG@10 | AUC | vs ALS | cold NDCG@10 | cold AUC | fit s | load |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int seed = first; seed < first + seeds; seed++)
        {
            var training = EvaluationProtocol.Warm.Split(data, seed).TrainMatrix;
            var inner = new InteractionDataset("training part", training.Rows, training.Columns, [.. training.Entries()]);
            int validationSeed = 1000 + seed;
            var als = Measure(inner, new CfSettings { Threads = threads }.ForData(training).Als() with { Seed = validationSeed, CalculateTrainingLoss = false },
                null, EvaluationProtocol.Warm, validationSeed);
            Console.WriteLine(Inv($"| ALS (defaults) | {seed} | {als.Ndcg:0.0000} | {als.Auc:0.000} | 1.000 | | | {als.Seconds:0} | {InteractionData.LoadAverage()} |"));
            foreach (var spec in configs)
            {
                var options = Parse(spec, basis with { Seed = validationSeed });
                var warm = Measure(inner, null, new HybridTrainer(features, options), EvaluationProtocol.Warm, validationSeed);
                var c = cold ? Measure(inner, null, new HybridTrainer(features, options), EvaluationProtocol.ColdStart, validationSeed) : default;
                Console.WriteLine(Inv($"| {(spec.Length == 0 ? "defaults" : spec)} | {seed} | {warm.Ndcg:0.0000} | {warm.Auc:0.000} | {warm.Ndcg / als.Ndcg:0.000} | ") +
                                  (cold ? Inv($"{c.Ndcg:0.0000} | {c.Auc:0.000} | ") : "| | ") + Inv($"{warm.Seconds:0} | {InteractionData.LoadAverage()} |"));
            }
        }
        return 0;
    }

    private static (double Ndcg, double Auc, double Seconds) Measure(InteractionDataset data, Earworm.Learning.Factorization.AlsOptions? als,
        IRecommenderTrainer? trainer, EvaluationProtocol protocol, int seed)
    {
        trainer ??= new Earworm.Learning.Factorization.AlsTrainer(als!);
        var clock = Stopwatch.StartNew();
        var report = ProtocolRunner.Run(data, [trainer], protocol, new EvaluationOptions { Seeds = 1, FirstSeed = seed, CurveMaxK = 10 });
        var m = report.Models[0];
        return (m.Get(MetricNames.Ndcg)!.Mean, m.Get(MetricNames.Auc)!.Mean, clock.Elapsed.TotalSeconds);
    }

    /// <summary>"max-sampled=50,factors=128" over <paramref name="basis"/>.</summary>
    private static HybridOptions Parse(string spec, HybridOptions basis)
    {
        var o = basis;
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) throw new ArgumentException($"'{part}': use key=value");
            string v = kv[1];
            float F() => float.Parse(v, CultureInfo.InvariantCulture);
            int I() => int.Parse(v, CultureInfo.InvariantCulture);
            o = kv[0] switch
            {
                "factors" => o with { Factors = I() },
                "epochs" => o with { Epochs = I() },
                "max-sampled" => o with { MaxSampled = I() },
                "learning-rate" => o with { LearningRate = F() },
                "regularization" => o with { Regularization = F() },
                "damping" => o with { FeatureDamping = F() },
                "count-weighting" => o with { CountWeighting = bool.Parse(v) },
                "loss" => o with { Loss = v == "bpr" ? HybridLoss.Bpr : HybridLoss.Warp },
                _ => throw new ArgumentException($"unknown key '{kv[0]}'"),
            };
        }
        o.Validate();
        return o;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
