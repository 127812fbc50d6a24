using System.CommandLine;
using Earworm.App.Training;
using Earworm.Evaluation.Reports;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm train</c>: a container of one subcommand per thing Earworm learns (<c>cf</c> here; others in
/// their own files, added to <see cref="Subcommands"/>).</summary>
internal static class TrainCommand
{
    private static IEnumerable<Command> Subcommands(Func<ParseResult, CliContext> context) =>
    [
        TrainCfCommand.Create(context),
        TrainAudioCommand.Create(context),
        TrainSequenceCommand.Create(context),
        TrainTagsCommand.Create(context),
    ];

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("train", "Learn from the catalog: `train cf` (collaborative filtering from listening data), `train audio` (the content model, from the audio itself), " +
                                       "`train sequence` (SASRec or GRU4Rec, next-item models from sessions and playlists), " +
                                       "`train tags` (a tagger hearing the library's own tags in the audio); " +
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
                      "space track2vec), itemknn (item neighbours, no vectors), hybrid (LightFM-style: each item's vector its own plus its tags', " +
                      "so an artist or track with tags and no plays still gets one; space cf; --loss, --identity-dropout)",
        DefaultValueFactory = _ => "als",
        HelpName = "NAME",
    };

    private static readonly CfOptionSet Shared = new();
    private static readonly TuneOptionSet Tune = new();
    private static readonly Option<int> Neighbours = new("--neighbours") { Description = "item-kNN: neighbours kept per item", DefaultValueFactory = _ => 20 };
    private static readonly Option<string> Similarity = new("--similarity") { Description = "item-kNN: bm25 or cosine", DefaultValueFactory = _ => "bm25" };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the initial factors and samplers", DefaultValueFactory = _ => 42 };
    private static readonly Option<int> Threads = new("--threads") { Description = "Worker threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<bool> Force = new("--force") { Description = "Train even when a model with these parameters on this data exists" };

    /// <summary>The models each model-specific option is read by: one given for another model is refused, not ignored.</summary>
    private static readonly (Option Option, string[] Models)[] ReadBy =
    [
        (Shared.Factors, ["als", "bpr", "track2vec", "hybrid"]),
        (Shared.Iterations, ["als", "bpr"]),
        (Shared.Epochs, ["bpr", "track2vec", "hybrid"]),
        (Shared.Alpha, ["als"]),
        (Shared.Regularization, ["als", "bpr", "hybrid"]),
        (Shared.Scaling, ["als"]),
        (Shared.LearningRate, ["bpr", "track2vec", "hybrid"]),
        (Shared.Window, ["track2vec"]),
        (Shared.MinCount, ["track2vec"]),
        (Shared.SessionGap, ["track2vec"]),
        (Shared.Loss, ["hybrid"]),
        (Shared.IdentityDropout, ["hybrid"]),
        (Neighbours, ["itemknn"]),
        (Similarity, ["itemknn"]),
    ];

    /// <exception cref="UsageException">an option given that <paramref name="model"/> does not read.</exception>
    private static void CheckReadBy(ParseResult parse, string model)
    {
        foreach (var (option, models) in ReadBy)
            parse.RefuseUnread(option, models.Contains(model), $"goes with --model {string.Join(" or ", models)}; --model {model} does not read it");
    }

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("cf", "Collaborative filtering from the imported listening data: trains (progress and loss per " +
                                    "iteration), saves the model beside the catalog (catalog.models/), makes it the current model of " +
                                    "its space and stores its item vectors; says so and does nothing when the same model on the same " +
                                    "data exists (--force to retrain)")
        {
            ModelOption, Neighbours, Similarity, Seed, Threads, Force,
        };
        foreach (var o in Shared.All) cmd.Options.Add(o);
        foreach (var o in Tune.All) cmd.Options.Add(o);
        cmd.SetAction((parse, ct) =>
        {
            var ctx = context(parse);
            var model = parse.GetValue(ModelOption)!.Trim().ToLowerInvariant();
            if (CfSettings.Models.Contains(model)) CheckReadBy(parse, model);   // an unknown model is said by Validated
            var settings = Shared.Read(parse, new CfSettings
            {
                Model = model,
                Neighbours = parse.GetValue(Neighbours),
                Similarity = parse.GetValue(Similarity)!.Trim().ToLowerInvariant(),
                Seed = parse.GetValue(Seed),
                Threads = parse.GetValue(Threads),
            }).Validated();
            var tune = Tune.Read(parse, Shared.ChosenBySearch);
            var result = new CfTraining(ctx.Location).Train(settings, parse.GetValue(Force), ctx.ErrLines, ct, tune);
            if (ctx.Json) ctx.WriteJson(result);
            else
            {
                if (result.Search is { } search) ctx.Out.WriteLine(SearchReport.Markdown([search]));
                ctx.Out.WriteLine(result.Summary);
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
