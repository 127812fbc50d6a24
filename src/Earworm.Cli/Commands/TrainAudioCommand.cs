using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Earworm.App;
using Earworm.App.Training;
using Earworm.Content.Network;
using Earworm.Content.Training;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm train audio</c>: the content network (Dieleman 2014) trained on the excerpt cache, recorded as
/// the current <c>audio</c> model, then the library embedded with it.</summary>
internal static class TrainAudioCommand
{
    private static readonly Option<string> Objective = new("--objective")
    {
        Description = "auto (cf when a cf model covers ≥ 20 tracks of the library, else track2vec on the same condition, else " +
                      "contrastive), cf (regress the CF item factors, MSE), track2vec (cosine proximity to track2vec vectors), " +
                      "contrastive (self-supervised NT-Xent on augmented crops: needs no listening data)",
        DefaultValueFactory = _ => "auto",
        HelpName = "NAME",
    };

    private static readonly Option<string> Network = new("--network")
    {
        Description = "small (default: channels 64/128/128/256, dense 512×2, ~0.9 M parameters) or full (Dieleman's size: " +
                      "256/256/512/512, dense 2048×2, 9.4 M parameters; ~10× slower)",
        DefaultValueFactory = _ => "small",
    };

    private static readonly Option<double> Seconds = new("--seconds") { Description = "Length of a training crop in seconds (T frames = seconds × 22050 / 512)", DefaultValueFactory = _ => 4.0 };
    private static readonly Option<int> Dims = new("--dims") { Description = "Output dimensions for contrastive (cf and track2vec use their target's)", DefaultValueFactory = _ => 64 };
    private static readonly Option<string> BatchNorm = new("--batch-norm")
    {
        Description = "Batch normalisation after each convolution: on, off, or auto (on for contrastive, where it lifted the learned space's " +
                      "same-soundtrack neighbours on real music from 0.31 to 0.41; off for cf and track2vec, as the paper)",
        DefaultValueFactory = _ => "auto",
    };
    private static readonly Option<int> Epochs = new("--epochs") { Description = "Most epochs (early stopping usually ends training well before)", DefaultValueFactory = _ => 100 };
    private static readonly Option<double?> Minutes = new("--minutes") { Description = "Time budget: no epoch starts that would end past it (the best model so far is kept)" };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Tracks per batch", DefaultValueFactory = _ => 32 };
    private static readonly Option<string> Optimizer = new("--optimizer") { Description = "adam or sgd (SGD with Nesterov momentum 0.9)", DefaultValueFactory = _ => "adam" };
    private static readonly Option<double?> LearningRate = new("--learning-rate") { Description = "Initial learning rate (default 0.001 Adam, 0.01 SGD); halved after --lr-patience epochs without a better validation loss" };
    private static readonly Option<int> Patience = new("--patience") { Description = "Early stopping: epochs without a better validation loss (the contrastive validation loss is noisy: with 6 the real-music model stopped early, 0.37 instead of 0.42 same-soundtrack neighbours)", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> LearningRatePatience = new("--lr-patience") { Description = "Learning-rate schedule: halve it after this many epochs without a better validation loss", DefaultValueFactory = _ => 2 };
    private static readonly Option<double> Validation = new("--validation") { Description = "Fraction of tracks held out for validation", DefaultValueFactory = _ => 0.15 };
    private static readonly Option<double> Temperature = new("--temperature") { Description = "NT-Xent temperature (contrastive)", DefaultValueFactory = _ => 0.1 };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the split, crops, augmentation, initialisation and dropout", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Threads = new("--threads") { Description = "Torch intra-op threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<string> Aggregate = new("--aggregate") { Description = "How the embedding after training combines window vectors: mean or tfidf (see `earworm embed --help`)", DefaultValueFactory = _ => "mean" };
    private static readonly Option<bool> Force = new("--force") { Description = "Train even when the catalog already holds this model (same options, tracks and target)" };
    private static readonly Option<string> Init = new("--init")
    {
        Description = "pretrained: fine-tune the encoder Earworm ships (its network replaces --network, --seconds and --batch-norm), " +
                      "say whether that helped on the library's validation split and keep the better; scratch: a network of its own from random weights",
        DefaultValueFactory = _ => "pretrained",
    };
    private static readonly Option<bool> NoEmbed = new("--no-embed") { Description = "Do not embed the library after training" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("audio", "The audio model: a convolutional network over log-mel excerpts (Dieleman 2014) that places " +
                                       "every track in the `audio` space, even with no listening data. Trains on the excerpt cache with a " +
                                       "validation split, early stopping and a learning-rate schedule; checkpoints every epoch into " +
                                       "catalog.models/ (run the same command again after Ctrl-C or a kill to resume); writes the training " +
                                       "curves (curves.png); records the model and embeds the library")
        {
            Objective, Network, Seconds, Dims, BatchNorm, Epochs, Minutes, BatchSize, Optimizer, LearningRate, Patience, LearningRatePatience, Validation,
            Temperature, Seed, Threads, Aggregate, Force, NoEmbed, Init,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var request = new AudioTrainingRequest
            {
                Options = Options(parse),
                Objective = ParseObjective(parse.GetValue(Objective)!),
                BatchNorm = parse.GetValue(BatchNorm)!.ToLowerInvariant() switch
                {
                    "on" or "true" => BatchNormChoice.On,
                    "off" or "false" => BatchNormChoice.Off,
                    "auto" => BatchNormChoice.Auto,
                    var other => throw new UsageException($"--batch-norm must be on, off or auto, not '{other}'"),
                },
                Init = parse.GetValue(Init)!.ToLowerInvariant() switch
                {
                    "pretrained" => AudioInit.Pretrained,
                    "scratch" => AudioInit.Scratch,
                    var other => throw new UsageException($"--init must be pretrained or scratch, not '{other}'"),
                },
                Threads = parse.GetValue(Threads),
                Force = parse.GetValue(Force),
                Embed = !parse.GetValue(NoEmbed),
                Embedding = new LibraryEmbeddingRequest { Aggregation = EmbedCommand.ParseAggregation(parse.GetValue(Aggregate)!) },
            }.Validated();
            var messages = new InlineProgress<string>(m => ctx.Err.WriteLine($"earworm: {m}"));
            AudioTrainingReport report;
            try
            {
                report = await Task.Run(() => new AudioTraining(ctx.Location).Train(request, messages, EpochLines(ctx), EmbedCommand.Lines(ctx), ct), ct)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                ctx.Err.WriteLine("earworm: training interrupted; its last checkpoint is kept: run the same command to resume");
                throw;
            }
            Print(ctx, report);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>A line at the end of each epoch, and one every 10 seconds within.</summary>
    private static InlineProgress<AudioTrainingProgress> EpochLines(CliContext ctx)
    {
        var lastLine = Stopwatch.StartNew();
        return new InlineProgress<AudioTrainingProgress>(p =>
        {
            bool epochEnd = p.LastEpoch is { } e && e.Epoch == p.Epoch && p.Step == p.StepsPerEpoch;
            if (!epochEnd && lastLine.Elapsed.TotalSeconds < 10) return;
            lastLine.Restart();
            ctx.Err.WriteLine(epochEnd ? EpochLine(p) : string.Create(CultureInfo.InvariantCulture,
                $"  epoch {p.Epoch}/{p.MaxEpochs}: step {p.Step}/{p.StepsPerEpoch}, loss {p.RunningLoss:0.0000}, ETA {Durations.Clock(p.Remaining?.TotalSeconds)}"));
        });
    }

    private static void Print(CliContext ctx, AudioTrainingReport report)
    {
        var outcome = report.Training;
        var r = outcome.Result;
        var best = r.History.FirstOrDefault(h => h.Epoch == r.BestEpoch);
        if (outcome.UpToDate)
            ctx.Err.WriteLine($"earworm: audio model {outcome.Model.Version} is up to date (same options, tracks and target, trained " +
                              $"{outcome.Model.CreatedAt:yyyy-MM-dd HH:mm}); --force retrains");
        else
            ctx.Err.WriteLine($"earworm: {r.StopReason}; best epoch {r.BestEpoch} of {r.History.Count}; model {outcome.Model.Version} " +
                              $"({r.Network.ParameterCount:N0} parameters) in {outcome.Folder}; curves {outcome.CurvesPath}");
        var embedded = report.Embedded;
        if (ctx.Json)
            ctx.WriteJson(new
            {
                model = outcome.Model.Version,
                objective = outcome.Objective.ToString().ToLowerInvariant(),
                target = outcome.TargetVersion,
                parameters = r.Network.ParameterCount,
                epochs = r.History.Count,
                bestEpoch = r.BestEpoch,
                stop = r.StopReason,
                resumed = r.Resumed,
                upToDate = outcome.UpToDate,
                trainTracks = r.TrainTracks,
                validationTracks = r.ValidationTracks,
                validationLoss = best?.ValidationLoss,
                validationMetric = best?.ValidationMetric,
                folder = outcome.Folder,
                curves = outcome.CurvesPath,
                embedded = embedded?.Embedded,
                fineTuning = report.FineTuning,
                kept = report.Kept.Version,
            });
        else
            ctx.Out.WriteLine($"audio model {outcome.Model.Version}: {outcome.Objective.ToString().ToLowerInvariant()}, best epoch {r.BestEpoch}" +
                              (best?.ValidationMetric is { } m ? string.Create(CultureInfo.InvariantCulture, $", validation {(outcome.Objective == AudioObjective.Contrastive ? "pair accuracy" : "cosine")} {m:0.000}") : "") +
                              (report.Kept.Version != outcome.Model.Version ? $"; the audio space keeps {report.Kept.Version}" : "") +
                              (embedded is { } em ? $"; {Counted.Of(em.Embedded, "track")} embedded" : ""));
    }

    private static string EpochLine(AudioTrainingProgress p)
    {
        var e = p.LastEpoch!;
        var c = CultureInfo.InvariantCulture;
        return $"  epoch {e.Epoch}/{p.MaxEpochs}: loss {e.TrainLoss.ToString("0.0000", c)}" +
            (e.ValidationLoss is { } vl ? $", validation loss {vl.ToString("0.0000", c)}" : "") +
            (e.ValidationMetric is { } vm ? $", validation metric {vm.ToString("0.000", c)}" : "") +
            $", lr {e.LearningRate.ToString("0.######", c)}, {e.Seconds.ToString("0.0", c)} s, ETA {Durations.Clock(p.Remaining?.TotalSeconds)}";
    }

    private static AudioObjective? ParseObjective(string value) => value.ToLowerInvariant() switch
    {
        "auto" => null,
        "cf" => AudioObjective.Cf,
        "track2vec" => AudioObjective.Track2Vec,
        "contrastive" => AudioObjective.Contrastive,
        _ => throw new UsageException($"--objective must be auto, cf, track2vec or contrastive, not '{value}'"),
    };

    private static AudioTrainingOptions Options(ParseResult parse)
    {
        var network = parse.GetValue(Network)!.ToLowerInvariant() switch
        {
            "small" => new AudioNetworkOptions(),
            "full" => AudioNetworkOptions.Full,
            var other => throw new UsageException($"--network must be small or full, not '{other}'"),
        };
        double seconds = parse.GetValue(Seconds);
        int frames = (int)Math.Round(seconds * 22050 / 512);
        network = network with { Frames = frames, OutputDims = parse.GetValue(Dims) };
        if (frames < network.MinimumFrames)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--seconds {seconds} is too short for the network's convolutions and pools: at least {Math.Ceiling(network.MinimumFrames * 512 / 22050.0 * 10) / 10} s"));
        var optimizer = parse.GetValue(Optimizer)!.ToLowerInvariant() switch
        {
            "adam" => OptimizerKind.Adam,
            "sgd" or "sgd-nesterov" => OptimizerKind.SgdNesterov,
            var other => throw new UsageException($"--optimizer must be adam or sgd, not '{other}'"),
        };
        var minutes = parse.GetValue(Minutes);
        if (minutes is <= 0) throw new UsageException("--minutes must be positive");
        var options = new AudioTrainingOptions
        {
            Network = network, Optimizer = optimizer, LearningRate = parse.GetValue(LearningRate), MaxEpochs = parse.GetValue(Epochs),
            BatchSize = parse.GetValue(BatchSize), EarlyStoppingPatience = parse.GetValue(Patience),
            LearningRatePatience = parse.GetValue(LearningRatePatience),
            ValidationFraction = parse.GetValue(Validation), Temperature = parse.GetValue(Temperature), Seed = parse.GetValue(Seed),
            TimeBudget = minutes is { } m ? TimeSpan.FromMinutes(m) : null,
        };
        try { options.Validate(); }
        catch (ArgumentException e) { throw UsageException.From(e); }
        return options;
    }
}
