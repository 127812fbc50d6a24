using System.CommandLine;
using Earworm.Content.Sequences;

namespace Earworm.Cli.Commands;

/// <summary>The options of the neural next-item models, shared by <c>train sequence</c> and <c>evaluate</c>.</summary>
/// <param name="prefixed">name epochs and learning rate <c>--seq-epochs</c>, <c>--seq-learning-rate</c> (beside the
/// collaborative models' own, in <c>evaluate</c>); else <c>--epochs</c>, <c>--learning-rate</c>.</param>
internal sealed class SequenceOptionSet(bool prefixed)
{
    private static readonly SequenceModelOptions Defaults = new();

    public Option<int> Embedding { get; } = new("--embedding") { Description = "sasrec/gru4rec: embedding and hidden size", DefaultValueFactory = _ => Defaults.EmbeddingSize };
    public Option<int> Layers { get; } = new("--layers") { Description = "sasrec: self-attention blocks; gru4rec: GRU layers", DefaultValueFactory = _ => Defaults.Layers };
    public Option<int> Heads { get; } = new("--heads") { Description = "sasrec: attention heads (dividing --embedding)", DefaultValueFactory = _ => Defaults.Heads };
    public Option<int> MaxLength { get; } = new("--max-length") { Description = "sasrec/gru4rec: the longest history read", DefaultValueFactory = _ => Defaults.MaxLength };
    public Option<double> Dropout { get; } = new("--dropout") { Description = "sasrec/gru4rec: dropout rate", DefaultValueFactory = _ => Defaults.Dropout };
    public Option<int?> Negatives { get; } = new("--negatives") { Description = "sasrec/gru4rec with a sampled loss: negatives per positive (default 16 for sasrec, 64 for gru4rec)" };
    public Option<int> SeqEpochs { get; } = new(prefixed ? "--seq-epochs" : "--epochs") { Description = "sasrec/gru4rec: training epochs", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<double?> Minutes { get; } = new("--minutes") { Description = "sasrec/gru4rec: stop after the epoch that passes this many minutes" };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "sasrec/gru4rec: windows per batch", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<double> LearningRate { get; } = new(prefixed ? "--seq-learning-rate" : "--learning-rate") { Description = "sasrec/gru4rec: Adam's step", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<string?> Loss { get; } = new(prefixed ? "--seq-loss" : "--loss") { Description = "sasrec/gru4rec: full (softmax over every item of the vocabulary, the default), or against sampled negatives: bce (SASRec's paper), bpr-max (GRU4Rec's) or softmax (sampled)", HelpName = "LOSS" };
    public Option<int> MinCount { get; } = new(prefixed ? "--seq-min-count" : "--min-count") { Description = "sasrec/gru4rec: the output vocabulary's cut-off: items played fewer times in training are no targets or negatives and rank below the rest (still read as input)", DefaultValueFactory = _ => Defaults.MinCount };
    public Option<string> Init { get; } = new(prefixed ? "--seq-init" : "--init") { Description = "sasrec/gru4rec: how item embeddings start: random, or cooccurrence (the SVD of the items' PMI within 10 places in the training sequences)", DefaultValueFactory = _ => Defaults.Init.ToString().ToLowerInvariant(), HelpName = "INIT" };
    public Option<string> Target { get; } = new(prefixed ? "--seq-target" : "--target") { Description = "sasrec/gru4rec: what each position learns to predict: next (the next played entry), or window (every played entry among the next --window, for continuing playlists; needs the full softmax)", DefaultValueFactory = _ => Defaults.Target.ToString().ToLowerInvariant(), HelpName = "TARGET" };
    public Option<int> Window { get; } = new(prefixed ? "--seq-window" : "--window") { Description = "sasrec/gru4rec with --target window: how many entries after a position are its targets", DefaultValueFactory = _ => Defaults.Window };
    public Option<int?> ReadLast { get; } = new(prefixed ? "--seq-read" : "--read") { Description = "sasrec/gru4rec: items are scored by the mean of the outputs at the history's last this many positions (default: the last one for the next track, all of them for the rest of a playlist)" };
    public Option<string> Schedule { get; } = new(prefixed ? "--seq-schedule" : "--schedule") { Description = "sasrec/gru4rec: the step over training: constant, or cosine (linear warm-up over the first epoch, then a cosine decay to zero at the last)", DefaultValueFactory = _ => Defaults.Schedule.ToString().ToLowerInvariant(), HelpName = "SCHEDULE" };
    public Option<double> Validation { get; } = new(prefixed ? "--seq-validation" : "--validation") { Description = "sasrec/gru4rec: share of the training sequences held out to choose the epoch by NDCG@10 of every played entry after the first (0: none, the last epoch is kept)", DefaultValueFactory = _ => Defaults.Validation };
    public Option<int> Patience { get; } = new(prefixed ? "--seq-patience" : "--patience") { Description = "sasrec/gru4rec with a validation share: epochs without a better validation NDCG@10 before stopping", DefaultValueFactory = _ => Defaults.Patience };
    public Option<bool> SideFeatures { get; } = new(prefixed ? "--seq-side-features" : "--side-features") { Description = "sasrec/gru4rec: add each track's artist and album embeddings to its own, in and out, so a track heard once or never sits beside its album and artist (false: the tracks alone)", DefaultValueFactory = _ => Defaults.SideFeatures };
    public Option<double> OwnDropout { get; } = new(prefixed ? "--seq-own-dropout" : "--own-dropout") { Description = "sasrec/gru4rec with side features: the share of input tracks read by their artist and album alone in training (1: all of them; the tracks' own input embeddings keep their start and join at use)", DefaultValueFactory = _ => Defaults.OwnDropout };
    public Option<int?> Threads { get; } = new("--torch-threads") { Description = "sasrec/gru4rec: libtorch's threads (default: its own choice)" };

    public IEnumerable<Option> All => [Embedding, Layers, Heads, MaxLength, Dropout, Negatives, SeqEpochs, Minutes, BatchSize, LearningRate, Loss, MinCount, Init, Target, Window, ReadLast, Schedule, Validation, Patience, SideFeatures, OwnDropout, Threads];

    /// <exception cref="UsageException">a value out of range, or an option given that these options leave unread.</exception>
    public SequenceModelOptions Read(ParseResult parse, SequenceArchitecture architecture, int seed)
    {
        var options = Options(parse, architecture, seed).Validated(OptionOf);
        // an option the other options leave unread is refused, not ignored
        parse.RefuseUnread(Negatives, options.EffectiveLoss != SequenceLoss.FullSoftmax,
            $"goes with a sampled loss ({Loss.Name} bce, bpr-max or softmax): the full softmax, the default, scores every item");
        parse.RefuseUnread(Window, options.Target == SequenceTarget.Window, $"goes with {Target.Name} window");
        parse.RefuseUnread(Patience, options.Validation > 0, $"goes with a validation share ({Validation.Name})");
        parse.RefuseUnread(OwnDropout, options.SideFeatures, $"goes with side features ({SideFeatures.Name})");
        parse.RefuseUnread(Heads, architecture == SequenceArchitecture.SasRec, "is SASRec's: gru4rec has no attention");
        return options;
    }

    private SequenceModelOptions Options(ParseResult parse, SequenceArchitecture architecture, int seed) => new SequenceModelOptions
    {
        Architecture = architecture,
        EmbeddingSize = parse.GetValue(Embedding),
        Layers = parse.GetValue(Layers),
        Heads = parse.GetValue(Heads),
        MaxLength = parse.GetValue(MaxLength),
        Dropout = parse.GetValue(Dropout),
        Negatives = parse.GetValue(Negatives),
        Epochs = parse.GetValue(SeqEpochs),
        Minutes = parse.GetValue(Minutes),
        BatchSize = parse.GetValue(BatchSize),
        LearningRate = parse.GetValue(LearningRate),
        Loss = parse.GetValue(Loss) is { } loss ? SequenceModelOptions.ParseLoss(loss) : null,
        MinCount = parse.GetValue(MinCount),
        Init = SequenceModelOptions.ParseInit(parse.GetValue(Init)!),
        Target = SequenceModelOptions.ParseTarget(parse.GetValue(Target)!),
        Window = parse.GetValue(Window),
        Read = parse.GetValue(ReadLast),
        Schedule = SequenceModelOptions.ParseSchedule(parse.GetValue(Schedule)!),
        Validation = parse.GetValue(Validation),
        Patience = parse.GetValue(Patience),
        SideFeatures = parse.GetValue(SideFeatures),
        OwnDropout = parse.GetValue(OwnDropout),
        Threads = parse.GetValue(Threads),
        Seed = seed,
    };

    /// <summary>The option (as this set names it: <c>--seq-epochs</c> in <c>evaluate</c>) that sets a property of
    /// <see cref="SequenceModelOptions"/>, for its checks' messages.</summary>
    private string OptionOf(string property) => property switch
    {
        nameof(SequenceModelOptions.EmbeddingSize) => Embedding.Name,
        nameof(SequenceModelOptions.Layers) => Layers.Name,
        nameof(SequenceModelOptions.Heads) => Heads.Name,
        nameof(SequenceModelOptions.MaxLength) => MaxLength.Name,
        nameof(SequenceModelOptions.Dropout) => Dropout.Name,
        nameof(SequenceModelOptions.Negatives) => Negatives.Name,
        nameof(SequenceModelOptions.Epochs) => SeqEpochs.Name,
        nameof(SequenceModelOptions.Minutes) => Minutes.Name,
        nameof(SequenceModelOptions.BatchSize) => BatchSize.Name,
        nameof(SequenceModelOptions.LearningRate) => LearningRate.Name,
        nameof(SequenceModelOptions.Loss) => Loss.Name,
        nameof(SequenceModelOptions.MinCount) => MinCount.Name,
        nameof(SequenceModelOptions.Target) => Target.Name,
        nameof(SequenceModelOptions.Window) => Window.Name,
        nameof(SequenceModelOptions.Read) => ReadLast.Name,
        nameof(SequenceModelOptions.Validation) => Validation.Name,
        nameof(SequenceModelOptions.Patience) => Patience.Name,
        nameof(SequenceModelOptions.OwnDropout) => OwnDropout.Name,
        nameof(SequenceModelOptions.Threads) => Threads.Name,
        _ => property,
    };
}

/// <summary><c>earworm train sequence</c>: SASRec or GRU4Rec from the catalog's sessions and playlists.</summary>
internal static class TrainSequenceCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "sasrec (self-attention, Kang & McAuley 2018) or gru4rec (GRU, Hidasi et al. 2016/2018)", DefaultValueFactory = _ => "sasrec", HelpName = "NAME" };
    private static readonly Option<double> SessionGap = new("--session-gap") { Description = "Minutes of silence that end a listening session", DefaultValueFactory = _ => 30 };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the weights, the order of training and the negatives", DefaultValueFactory = _ => 1 };
    private static readonly Option<bool> Force = new("--force") { Description = "Train even when a model with these options on this data exists" };
    private static readonly SequenceOptionSet Options = new(prefixed: false);

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("sequence", "A next-item model from the listening sessions (skips as flagged input, never targets) and playlists: " +
                                          "trains (a line per epoch), checkpoints every epoch (the same command resumes after a kill), saves it " +
                                          "beside the catalog and makes it the current model of the `sequence` space")
        {
            Model, SessionGap, Seed, Force,
        };
        foreach (var o in Options.All) cmd.Options.Add(o);
        cmd.SetAction((parse, ct) =>
        {
            var ctx = context(parse);
            var options = Options.Read(parse, SequenceModelOptions.ParseArchitecture(parse.GetValue(Model)!), parse.GetValue(Seed));
            var outcome = new App.Training.SequenceTraining(ctx.Location)
                .Train(options, TimeSpan.FromMinutes(parse.GetValue(SessionGap)), parse.GetValue(Force), ctx.ErrLines, ct);
            if (ctx.Json) ctx.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(outcome, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
            else ctx.Out.WriteLine(outcome.Summary);
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
