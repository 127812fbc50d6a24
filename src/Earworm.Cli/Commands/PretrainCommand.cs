using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Earworm.App;
using Earworm.App.Pretraining;
using Earworm.Catalog.Scanning;
using Earworm.Content.Pretraining;
using Earworm.Content.Training;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm pretrain --corpus DIR --out DIR</c>: the shipped audio encoder, from a corpus to weights, report and
/// model card (<see cref="EncoderPretraining"/>).</summary>
internal static class PretrainCommand
{
    private static readonly Option<string?> Corpus = new("--corpus") { Description = "The corpus folder (scripts/fetch-training-corpus.sh writes one: music and manifest.csv)", HelpName = "DIR" };
    private static readonly Option<string?> Out = new("--out") { Description = "Where the encoder goes: model.dat, model.json, report.json, MODEL_CARD.md", HelpName = "DIR" };
    private static readonly Option<string?> WriteRecipe = new("--write-recipe") { Description = "Write the recipe (the built-in one, or --recipe's, with --seed) to FILE and stop: a start for a trial", HelpName = "FILE" };
    private static readonly Option<string?> Catalog = new("--catalog") { Description = "The corpus's own catalog (default: DIR/.earworm/catalog.db; the scan skips hidden folders)", HelpName = "PATH" };
    private static readonly Option<string?> Recipe = new("--recipe") { Description = "A recipe JSON file (the model card's \"Recipe\" block) instead of the built-in recipe", HelpName = "FILE" };
    private static readonly Option<int?> Seed = new("--seed") { Description = "The seed of the split, crops, augmentation and initialisation (default: the recipe's)" };
    private static readonly Option<int> Folds = new("--folds") { Description = "Folds of packages held out to measure how the encoder generalises (0: none)", DefaultValueFactory = _ => 3 };
    private static readonly Option<int?> Fold = new("--fold") { Description = "Run only this fold (1 … --folds)" };
    private static readonly Option<bool> NoFinal = new("--no-final") { Description = "Measure the folds only; train no encoder on every package (a trial)" };
    private static readonly Option<double?> Minutes = new("--minutes") { Description = "Time budget per encoder trained (the best epoch so far is kept)" };
    private static readonly Option<string?> Name = new("--name") { Description = "The run's name in report.json (a trial's name in the card's table)" };
    private static readonly Option<string?> Trials = new("--trials") { Description = "A folder of trial reports (*.json) listed in the model card (default: OUT/trials when it exists)", HelpName = "DIR" };
    private static readonly Option<int> Threads = new("--threads") { Description = "Torch intra-op threads", DefaultValueFactory = _ => Environment.ProcessorCount };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("pretrain", "Pretrain the audio encoder Earworm ships: scan a corpus into its own catalog, measure the recipe on " +
                                          "packages held out fold by fold (same-soundtrack and same-composer neighbours of music the encoder never " +
                                          "heard, beside the descriptors), train the encoder on every package, and write its weights, report.json and " +
                                          "MODEL_CARD.md. Checkpoints every epoch under the catalog's folder: the same command resumes after a kill")
        {
            Corpus, Out, Catalog, Recipe, WriteRecipe, Seed, Folds, Fold, NoFinal, Minutes, Name, Trials, Threads, ScanCommand.Workers,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var recipe = LoadRecipe(parse);
            if (parse.GetValue(WriteRecipe) is { } recipeFile)
            {
                File.WriteAllText(recipeFile, JsonSerializer.Serialize(recipe, PretrainingRecipe.Json) + Environment.NewLine);
                ctx.Err.WriteLine($"earworm: wrote the recipe to {recipeFile}");
                return ExitCodes.Ok;
            }
            var corpusDir = Path.GetFullPath(parse.GetValue(Corpus) ?? throw new UsageException("--corpus DIR is required"));
            var outDir = Path.GetFullPath(parse.GetValue(Out) ?? throw new UsageException("--out DIR is required"));
            var plan = new PretrainingPlan(parse.GetValue(Folds), parse.GetValue(Fold), !parse.GetValue(NoFinal));
            if (plan.Folds == 1 || plan.Folds < 0) throw new UsageException("--folds must be 0 (none) or at least 2");
            if (plan.OnlyFold is { } only && (only < 1 || only > plan.Folds)) throw new UsageException($"--fold must lie in 1 … {plan.Folds}");
            if (!plan.Final && !plan.FoldsToRun.Any()) throw new UsageException("nothing to do: --no-final with --folds 0");
            int threads = parse.GetValue(Threads);
            if (threads < 1) throw new UsageException("--threads must be at least 1");
            var manifest = CorpusManifest.Read(corpusDir);
            if (manifest.Count == 0) throw new UsageException($"the corpus at {corpusDir} holds no music");
            var catalogPath = Path.GetFullPath(parse.GetValue(Catalog) ?? Path.Combine(corpusDir, ".earworm", "catalog.db"));
            Directory.CreateDirectory(Path.GetDirectoryName(catalogPath)!);

            var clock = Stopwatch.StartNew();
            var scan = await ScanCommand.RunScanAsync(ctx, catalogPath, [corpusDir], new ScanOptions
            {
                Workers = parse.GetValue(ScanCommand.Workers), Excerpts = new Audio.Excerpts.ExcerptOptions { BudgetSeconds = recipe.CacheSeconds },
            }, ct)
                .ConfigureAwait(false);
            if (scan.Interrupted) return ExitCodes.Interrupted;
            double scanSeconds = clock.Elapsed.TotalSeconds;
            ctx.Err.WriteLine($"earworm: corpus scanned ({scan.Analysed} analysed, {scan.Discovery.Unchanged} already done, {scan.Failed} failed) in {Durations.Clock(scanSeconds)}");
            var request = new PretrainingRequest(manifest, recipe, plan, outDir)
            {
                TrialsFolder = parse.GetValue(Trials), Name = parse.GetValue(Name) ?? "", ScanSeconds = scanSeconds, Threads = threads,
                Command = "./earworm pretrain " + string.Join(' ', Environment.GetCommandLineArgs().SkipWhile(a => a != "pretrain").Skip(1)),
            };
            var messages = new InlineProgress<string>(m => ctx.Err.WriteLine($"earworm: {m}"));
            var report = await Task.Run(() => new EncoderPretrainingService(new CatalogLocation(catalogPath)).Run(request, messages, EpochLines(ctx), ct), ct)
                .ConfigureAwait(false);
            foreach (var f in report.Folds) ctx.Out.WriteLine(f.Summary());
            if (report.Final is { } final)
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"encoder: {Counted.Of(final.Tracks, "track")}, {final.Epochs} epochs in {Durations.Clock(final.Seconds)} → {outDir} ({ModelCard.FileName}, report.json)"));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static PretrainingRecipe LoadRecipe(ParseResult parse)
    {
        var recipe = new PretrainingRecipe();
        if (parse.GetValue(Recipe) is { } file)
        {
            if (!File.Exists(file)) throw new UsageException($"no recipe file at {file}");
            try { recipe = JsonSerializer.Deserialize<PretrainingRecipe>(File.ReadAllText(file), PretrainingRecipe.Json) ?? recipe; }
            catch (JsonException e) { throw new UsageException($"{file}: {e.Message}"); }
        }
        if (parse.GetValue(Seed) is { } seed) recipe = recipe.WithSeed(seed);
        if (parse.GetValue(Minutes) is { } minutes)
        {
            if (minutes <= 0) throw new UsageException("--minutes must be positive");
            recipe = recipe with { Training = recipe.Training with { TimeBudget = TimeSpan.FromMinutes(minutes) } };
        }
        try { recipe.Validate(); }
        catch (ArgumentException e) { throw UsageException.From(e, "recipe: "); }
        return recipe;
    }

    private static InlineProgress<AudioTrainingProgress> EpochLines(CliContext ctx)
    {
        var c = CultureInfo.InvariantCulture;
        return new InlineProgress<AudioTrainingProgress>(p =>
        {
            if (p.LastEpoch is not { } e || e.Epoch != p.Epoch || p.Step != p.StepsPerEpoch) return;
            ctx.Err.WriteLine($"  epoch {e.Epoch}/{p.MaxEpochs}: loss {e.TrainLoss.ToString("0.0000", c)}" +
                              (e.ValidationLoss is { } vl ? $", validation loss {vl.ToString("0.0000", c)}" : "") +
                              (e.ValidationMetric is { } vm ? $", pair accuracy {vm.ToString("0.000", c)}" : "") +
                              $", lr {e.LearningRate.ToString("0.######", c)}, {e.Seconds.ToString("0", c)} s, ETA {Durations.Clock(p.Remaining?.TotalSeconds)}");
        });
    }
}
