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
    private static readonly Option<string?> Out = new("--out") { Description = "Also write the tagger (head.json, or tagger.json and tagger.dat for a network), report.json and MODEL_CARD.md into this folder (how models/autotag is made)", HelpName = "DIR" };
    private static readonly Option<int> Hidden = new("--hidden") { Description = "Hidden ReLU units of the head (0: logistic regression per tag)", DefaultValueFactory = _ => Defaults.Hidden };
    private static readonly Option<double> Dropout = new("--dropout") { Description = "Dropout on the hidden layer (half of it on the input)", DefaultValueFactory = _ => Defaults.Dropout };
    private static readonly TagNetworkTrainingOptions NetworkDefaults = new();
    private static readonly Option<bool> Network = new("--network") { Description = "Train a convolutional network on the tracks' cached log-mel (timbre filters, pooling over time) instead of a head on the audio space's vectors: it hears what the audio space may not keep (instruments); slower (minutes per epoch for a thousand tracks on two cores), checkpointed and resumed" };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = $"At most this many epochs (the best by mean validation ROC-AUC is kept); default {Defaults.Epochs} for a head, {NetworkDefaults.Epochs} for a network" };
    private static readonly Option<int> Patience = new("--patience") { Description = "A network stops after this many epochs without a better mean validation ROC-AUC", DefaultValueFactory = _ => NetworkDefaults.Patience };
    private static readonly Option<double> CropSeconds = new("--crop-seconds") { Description = "A network trains on random crops of this many seconds (validation and tagging read each cached window in crops of this length, the highest)", DefaultValueFactory = _ => Math.Round(NetworkDefaults.CropFrames * 512 / 22050.0, 1) };
    private static readonly Option<double> Mixup = new("--mixup") { Description = "A network mixes this share of its training crops with a crop of another track (summed in power, labels joined): each instrument heard in more company", DefaultValueFactory = _ => 0 };
    private static readonly Option<bool> Cosine = new("--cosine") { Description = "A network's step follows half a cosine down to 1 % over --epochs (instead of staying constant)" };
    private static readonly Option<double> AugmentDb = new("--augment-db") { Description = "A network's training crops get a random gain and equalisation (tilt and a bell) of up to this many dB", DefaultValueFactory = _ => 6 };
    private static readonly Option<double> PitchShift = new("--pitch-shift") { Description = "A network's training crops are moved in pitch by up to this many mel bands (2 ≈ ±1 semitone)", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> FrequencyMasks = new("--frequency-masks") { Description = "A network's training crops get this many SpecAugment frequency masks (up to 12 bands each)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> InputNorm = new("--input-norm") { Description = "A network levels each input itself: level (its mean taken away) or band (each band's mean over time taken away)", HelpName = "level|band" };
    private static readonly Option<int> Filters = new("--filters") { Description = "A network's timbre filters per branch", DefaultValueFactory = _ => new TagNetworkOptions().Filters };
    private static readonly Option<string?> InitFrom = new("--init-from") { Description = "A network starts from the weights of the tagger in this folder (tagger.json, tagger.dat: the same shape; the tags it gives keep their weights, in any order, and new ones start afresh) instead of random ones", HelpName = "DIR" };
    private static readonly Option<FileInfo?> CardNotes = new("--card-notes") { Description = "Markdown about the corpus for the model card --out writes (MODEL_CARD.md)", HelpName = "FILE" };
    private static readonly Option<double> LearningRate = new("--learning-rate") { Description = "AdamW's step", DefaultValueFactory = _ => Defaults.LearningRate };
    private static readonly Option<double> WeightDecay = new("--weight-decay") { Description = "AdamW's weight decay", DefaultValueFactory = _ => Defaults.WeightDecay };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the weights, batches, dropout and the validation share", DefaultValueFactory = _ => Defaults.Seed };
    private static readonly Option<bool> Force = new("--force") { Description = "Train even when a head with these options on these tags exists" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("tags", "A tagger for the library's own tags (file, import and user tags that enough tracks carry): a multi-label head " +
                                      "(a sigmoid per tag) on the audio space's vectors, or with --network a convolutional network on the log-mel, trained in TorchSharp, with a threshold per tag chosen on " +
                                      "validation tracks; recorded in the catalog and applied at once, beside the shipped instrument tagger: " +
                                      "every track in the audio space gets the tags it hears, as `audio` tags with their probability")
        {
            MinExamples, MinAuc, ValidationShare, ValidationUnder, TestUnder, Out, CardNotes, Network, Hidden, Dropout, Epochs, Patience, CropSeconds, Mixup,
            Cosine, AugmentDb, PitchShift, FrequencyMasks, InputNorm, Filters, InitFrom, LearningRate, WeightDecay, Seed, Force,
        };
        cmd.SetAction((parse, ct) =>
        {
            // an option the other options leave unread is refused, not ignored: a network's without --network, the head's with it
            bool network = parse.GetValue(Network);
            foreach (var option in new Option[] { Patience, CropSeconds, Mixup, Cosine, AugmentDb, PitchShift, FrequencyMasks, InputNorm, Filters, InitFrom })
                parse.RefuseUnread(option, network, "is a network's option: add --network (without it, train tags learns a head on the audio space's vectors)");
            parse.RefuseUnread(Hidden, !network, "is the head's option: a network (--network) has its own shape (--filters)");
            var ctx = context(parse);
            var notes = parse.GetValue(CardNotes);
            if (notes is not null && !notes.Exists) throw new UsageException($"--card-notes: no such file: {notes.FullName}");
            var request = new TagTrainingRequest
            {
                MinExamples = parse.GetValue(MinExamples),
                MinValidationAuc = parse.GetValue(MinAuc),
                ValidationShare = parse.GetValue(ValidationShare),
                ValidationUnder = parse.GetValue(ValidationUnder),
                TestUnder = parse.GetValue(TestUnder),
                Out = parse.GetValue(Out),
                Force = parse.GetValue(Force),
                CardNotes = notes is null ? null : File.ReadAllText(notes.FullName),
                Head = new TagHeadOptions
                {
                    Hidden = parse.GetValue(Hidden), Dropout = parse.GetValue(Dropout), Epochs = parse.GetValue(Epochs) ?? Defaults.Epochs,
                    LearningRate = parse.GetValue(LearningRate), WeightDecay = parse.GetValue(WeightDecay), Seed = parse.GetValue(Seed),
                },
                Network = !network ? null : new TagNetworkTrainingOptions
                {
                    Network = new TagNetworkOptions { Dropout = parse.GetValue(Dropout), InputNorm = parse.GetValue(InputNorm), Filters = parse.GetValue(Filters) },
                    Epochs = parse.GetValue(Epochs) ?? NetworkDefaults.Epochs,
                    Patience = parse.GetValue(Patience),
                    CropFrames = (int)Math.Round(parse.GetValue(CropSeconds) * 22050 / 512),
                    Mixup = parse.GetValue(Mixup),
                    Cosine = parse.GetValue(Cosine),
                    InitFrom = parse.GetValue(InitFrom) is { } init ? Path.GetFullPath(init) : null,
                    AugmentDb = parse.GetValue(AugmentDb),
                    PitchShiftBands = parse.GetValue(PitchShift),
                    FrequencyMasks = parse.GetValue(FrequencyMasks),
                    LearningRate = parse.GetValue(LearningRate),
                    WeightDecay = parse.GetValue(WeightDecay),
                    Seed = parse.GetValue(Seed),
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
