using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Earworm.Audio.Descriptors;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Training;
using Earworm.Learning.Projection;
using Earworm.Recommend;

namespace Earworm.Content.Pretraining;

/// <summary>The corpus as training sees it: the excerpts of every analysed file (index i of the bank), the manifest row
/// and descriptors of the same file.</summary>
public sealed record PretrainingCorpus(WindowBank Bank, IReadOnlyList<CorpusTrack> Tracks, IReadOnlyList<TrackDescriptors?> Descriptors)
{
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Bank);
        if (Tracks.Count != Bank.Count || Descriptors.Count != Bank.Count)
            throw new ArgumentException($"{Bank.Count} tracks of excerpts, {Tracks.Count} manifest rows, {Descriptors.Count} descriptor sets");
    }
}

/// <summary>What to run: the validation folds (all of <see cref="Folds"/>, or only <see cref="OnlyFold"/>) and/or the
/// final model on every package.</summary>
public sealed record PretrainingPlan(int Folds = 3, int? OnlyFold = null, bool Final = true)
{
    public IEnumerable<int> FoldsToRun => Folds < 2 ? [] : OnlyFold is { } f ? [f - 1] : Enumerable.Range(0, Folds);
}

/// <summary>
/// Pretrains the shipped encoder and measures how it generalises. For each fold of packages
/// (<see cref="PackageFolds"/>), an encoder trained with the recipe on the other packages places the fold's tracks —
/// music it never heard — and the share of each track's k nearest neighbours from the same soundtrack and by the same
/// composer is measured among those tracks, beside the descriptor space's on the same tracks and random neighbours'.
/// Then the final encoder is trained on every package. Everything lands in a work folder named by the recipe (a kill
/// resumes: finished folds are read back, the one in flight resumes from its checkpoint).
/// </summary>
public static class EncoderPretraining
{
    public static PretrainingReport Run(PretrainingCorpus corpus, PretrainingRecipe recipe, PretrainingPlan plan, string workFolder,
        IProgress<string>? messages = null, IProgress<AudioTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(plan);
        corpus.Validate();
        recipe.Validate();
        var work = Path.Combine(workFolder, "recipe-" + RecipeHash(recipe, corpus));
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "recipe.json"), JsonSerializer.Serialize(recipe, PretrainingRecipe.Json));
        var folds = new List<FoldFigures>();
        if (plan.Folds >= 2)
        {
            var assignment = PackageFolds.Assign(corpus.Tracks, plan.Folds);
            foreach (int f in plan.FoldsToRun)
                folds.Add(Fold(corpus, recipe, assignment, f, Path.Combine(work, $"fold-{f + 1}-of-{plan.Folds}"), messages, progress, cancellationToken));
        }
        TrainedEncoder? final = null;
        if (plan.Final)
        {
            messages?.Report($"final encoder: every package, {corpus.Bank.Count} tracks");
            final = EncoderTraining.Train(corpus.Bank, recipe, Path.Combine(work, "final"), Groups(corpus.Tracks), progress, cancellationToken);
        }
        return new PretrainingReport
        {
            Recipe = recipe, Packages = PackageSummary.Of(corpus.Tracks), Folds = folds,
            Final = final is null ? null : FinalModel.Of(final), WorkFolder = work,
        };
    }

    /// <summary>One fold: train without its packages, then the neighbour figures on its tracks.</summary>
    private static FoldFigures Fold(PretrainingCorpus corpus, PretrainingRecipe recipe, IReadOnlyDictionary<string, int> assignment, int fold,
        string folder, IProgress<string>? messages, IProgress<AudioTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var figuresPath = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture,
            $"figures-{recipe.Layer.ToString().ToLowerInvariant()}-{recipe.Readout.ToString().ToLowerInvariant()}{recipe.ReadoutDims}-k{recipe.NeighboursK}-w{recipe.EvaluationWindows}-crops{recipe.CropsPerWindow?.ToString(CultureInfo.InvariantCulture) ?? "all"}.json"));
        if (File.Exists(figuresPath) && JsonSerializer.Deserialize<FoldFigures>(File.ReadAllText(figuresPath), PretrainingRecipe.Json) is { } done)
        {
            messages?.Report($"fold {fold + 1}: already measured ({figuresPath})");
            return done;
        }
        var heldOut = Enumerable.Range(0, corpus.Bank.Count).Where(i => assignment[corpus.Tracks[i].Package] == fold).ToArray();
        var train = Enumerable.Range(0, corpus.Bank.Count).Where(i => assignment[corpus.Tracks[i].Package] != fold).ToArray();
        var packages = assignment.Where(kv => kv.Value == fold).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        messages?.Report($"fold {fold + 1}: training on {train.Length} tracks, holding out {heldOut.Length} of {string.Join(", ", packages)}");
        var encoder = EncoderTraining.Train(corpus.Bank.Subset(train), recipe, Path.Combine(folder, "model"),
            Groups(train.Select(i => corpus.Tracks[i]).ToList()), progress, cancellationToken);
        float[][] vectors;
        using (var embedder = AudioEmbedder.Load(encoder.Folder))
            vectors = EncoderTraining.Embed(embedder, corpus.Bank.Subset(heldOut).EvenWindows(recipe.EvaluationWindows), cancellationToken);
        var figures = Measure(heldOut.Select(i => corpus.Tracks[i]).ToList(), vectors, heldOut.Select(i => corpus.Descriptors[i]).ToList(),
            recipe.NeighboursK) with
        {
            Fold = fold + 1, HeldOutPackages = packages, TrainTracks = train.Length, Training = encoder with { Folder = "" },
        };
        File.WriteAllText(figuresPath, JsonSerializer.Serialize(figures, PretrainingRecipe.Json));
        messages?.Report(figures.Summary());
        return figures;
    }

    /// <summary>The neighbour figures of a set of tracks: audio (cosine between <paramref name="vectors"/>), descriptors
    /// (the descriptor space's own search, standardised on these tracks as a library of them would be) and random.
    /// Tracks without descriptors are left out of all three, so the three are measured on the same tracks.</summary>
    public static FoldFigures Measure(IReadOnlyList<CorpusTrack> tracks, IReadOnlyList<float[]> vectors, IReadOnlyList<TrackDescriptors?> descriptors, int k)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var keep = Enumerable.Range(0, tracks.Count).Where(i => descriptors[i] is not null).ToArray();
        var soundtracks = keep.Select(i => (string?)tracks[i].Soundtrack).ToList();
        var composers = keep.Select(i => (string?)tracks[i].Composer).ToList();
        var audio = NeighbourLabels.CosineNeighbours(keep.Select(i => vectors[i]).ToList(), keep.Length);
        var similarity = new DescriptorSimilarity(keep.Select((i, j) => (Key: (long)j, Value: descriptors[i]!)).ToDictionary(p => p.Key, p => p.Value));
        var described = keep.Select((i, j) => (IReadOnlyList<int>)similarity.Similar(descriptors[i]!, keep.Length, o => o == j)
            .Select(n => (int)n.TrackId).ToList()).ToList();
        return new FoldFigures
        {
            Tracks = keep.Length, Soundtracks = soundtracks.Distinct().Count(),
            TracksWithComposer = composers.Count(c => !string.IsNullOrEmpty(c)),
            Composers = composers.Where(c => !string.IsNullOrEmpty(c)).Distinct().Count(),
            AudioSoundtrack = NeighbourLabels.Precision(audio, soundtracks, k),
            DescriptorsSoundtrack = NeighbourLabels.Precision(described, soundtracks, k),
            RandomSoundtrack = NeighbourLabels.Expected(soundtracks),
            AudioComposer = NeighbourLabels.Precision(audio, composers, k),
            DescriptorsComposer = NeighbourLabels.Precision(described, composers, k),
            RandomComposer = NeighbourLabels.Expected(composers),
        };
    }

    /// <summary>The soundtrack of each track as a number (the groups of the recipe's supervised term).</summary>
    private static int[] Groups(IReadOnlyList<CorpusTrack> tracks)
    {
        var index = tracks.Select(t => t.Soundtrack).Distinct().Order(StringComparer.Ordinal).Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        return tracks.Select(t => index[t.Soundtrack]).ToArray();
    }

    /// <summary>Identifies a recipe's training on a corpus: its training options and the files trained on (how the
    /// model is read does not change the network: those trials share the training).</summary>
    private static string RecipeHash(PretrainingRecipe recipe, PretrainingCorpus corpus)
    {
        var text = JsonSerializer.Serialize(recipe.Training, PretrainingRecipe.Json) + "|" + string.Join('\n', corpus.Tracks.Select(t => t.Path));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }
}
