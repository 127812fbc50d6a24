using System.CommandLine;
using Earworm.App.Training;
using Earworm.Content.Tagging;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm train tags</c>: a tag head for the library's own tags, on the audio space.</summary>
internal static class TrainTagsCommand
{
    private static readonly TagHeadOptions Defaults = new();
    private static readonly TagTrainingRequest RequestDefaults = new();
    private static readonly Option<int> MinExamples = new("--min-examples") { Description = "Learn a tag only when at least this many tagged tracks carry it (and as many do not); the others are listed as left out", DefaultValueFactory = _ => RequestDefaults.MinExamples };
    private static readonly Option<double> MinAuc = new("--min-auc") { Description = "Give a tag only when the head hears it at least this well on the validation tracks (ROC-AUC); the others are listed as not given", DefaultValueFactory = _ => RequestDefaults.MinValidationAuc };
    private static readonly Option<double> ValidationShare = new("--validation-share") { Description = "Share of the tagged tracks held out to choose the epoch and each tag's threshold (best F1)", DefaultValueFactory = _ => RequestDefaults.ValidationShare };
    private static readonly Option<string?> ValidationUnder = new("--validation-under") { Description = "The tracks under this folder are the validation tracks (instead of a random share)", HelpName = "DIR" };
    private static readonly Option<string?> TestUnder = new("--test-under") { Description = "The tracks under this folder are only measured (ROC-AUC per tag), never trained or validated on", HelpName = "DIR" };
    private static readonly Option<string?> Out = new("--out") { Description = "Also write the head (head.json) and report.json into this folder (how models/autotag is made)", HelpName = "DIR" };
    private static readonly Option<int> Hidden = new("--hidden") { Description = "Hidden ReLU units of the head (0: logistic regression per tag)", DefaultValueFactory = _ => Defaults.Hidden };
    private static readonly Option<double> Dropout = new("--dropout") { Description = "Dropout on the hidden layer (half of it on the input)", DefaultValueFactory = _ => Defaults.Dropout };
    private static readonly Option<int> Epochs = new("--epochs") { Description = "At most this many epochs (the best by mean validation ROC-AUC is kept)", DefaultValueFactory = _ => Defaults.Epochs };
    private static readonly Option<double> LearningRate = new("--learning-rate") { Description = "AdamW's step", DefaultValueFactory = _ => Defaults.LearningRate };
    private static readonly Option<double> WeightDecay = new("--weight-decay") { Description = "AdamW's weight decay", DefaultValueFactory = _ => Defaults.WeightDecay };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the weights, batches, dropout and the validation share", DefaultValueFactory = _ => Defaults.Seed };
    private static readonly Option<bool> Force = new("--force") { Description = "Train even when a head with these options on these tags exists" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("tags", "A tagger for the library's own tags (file, import and user tags that enough tracks carry): a multi-label head " +
                                      "(a sigmoid per tag) on the audio space's vectors, trained in TorchSharp, with a threshold per tag chosen on " +
                                      "validation tracks; recorded in the catalog and applied at once, beside the shipped instrument tagger: " +
                                      "every track in the audio space gets the tags it hears, as `audio` tags with their probability")
        {
            MinExamples, MinAuc, ValidationShare, ValidationUnder, TestUnder, Out, Hidden, Dropout, Epochs, LearningRate, WeightDecay, Seed, Force,
        };
        cmd.SetAction((parse, ct) =>
        {
            var ctx = context(parse);
            var request = new TagTrainingRequest
            {
                MinExamples = parse.GetValue(MinExamples),
                MinValidationAuc = parse.GetValue(MinAuc),
                ValidationShare = parse.GetValue(ValidationShare),
                ValidationUnder = parse.GetValue(ValidationUnder),
                TestUnder = parse.GetValue(TestUnder),
                Out = parse.GetValue(Out),
                Force = parse.GetValue(Force),
                Head = new TagHeadOptions
                {
                    Hidden = parse.GetValue(Hidden), Dropout = parse.GetValue(Dropout), Epochs = parse.GetValue(Epochs),
                    LearningRate = parse.GetValue(LearningRate), WeightDecay = parse.GetValue(WeightDecay), Seed = parse.GetValue(Seed),
                },
            };
            var outcome = new TagTraining(ctx.Location).Train(request, ctx.ErrLines, ct);
            if (ctx.Json) ctx.WriteJson(outcome);
            else ctx.Out.WriteLine(outcome.Summary);
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
