using System.Globalization;
using Earworm.Catalog;
using Earworm.Content.Embedding;
using Earworm.Content.Network;
using Earworm.Content.Training;

namespace Earworm.App.Training;

/// <summary>Batch normalisation after each convolution: as the objective wants it (<see cref="Auto"/>), or forced.</summary>
public enum BatchNormChoice { Auto, On, Off }

/// <summary>Where <c>train audio</c> starts: the encoder Earworm ships (fine-tuning it on the library), or random weights.</summary>
public enum AudioInit { Pretrained, Scratch }

/// <summary><c>train audio</c> as a front end asks for it.</summary>
public sealed record AudioTrainingRequest
{
    /// <summary>How to train; its <see cref="AudioTrainingOptions.Objective"/> and the network's batch norm are set from
    /// <see cref="Objective"/> and <see cref="BatchNorm"/>.</summary>
    public AudioTrainingOptions Options { get; init; } = new();

    /// <summary>null: <see cref="AudioModelTraining.ResolveObjective"/> picks (cf, else track2vec, else contrastive).</summary>
    public AudioObjective? Objective { get; init; }

    /// <summary>Auto: on for contrastive (same-soundtrack neighbours on real music 0.31 → 0.41), off for the regression
    /// objectives, as the paper.</summary>
    public BatchNormChoice BatchNorm { get; init; } = BatchNormChoice.Auto;

    /// <summary>Pretrained (default): the network is the shipped encoder's (its channels, crop length and batch norm replace
    /// the options'), started from its weights; falls back to scratch, saying so, when the program has none.</summary>
    public AudioInit Init { get; init; } = AudioInit.Pretrained;

    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Train even when the catalog already holds this model.</summary>
    public bool Force { get; init; }

    /// <summary>Embed the library with the model afterwards (how: <see cref="Embedding"/>).</summary>
    public bool Embed { get; init; } = true;

    public LibraryEmbeddingRequest Embedding { get; init; } = new();

    /// <exception cref="UsageException">a value out of range.</exception>
    public AudioTrainingRequest Validated()
    {
        if (Threads < 1) throw new UsageException("--threads must be at least 1");
        try
        {
            Options.Validate();
        }
        catch (ArgumentException e)
        {
            throw UsageException.From(e);
        }
        Embedding.Validated();
        return this;
    }
}

/// <summary>What <c>train audio</c> did: the training (or the model found up to date) and the embedding after it.</summary>
/// <param name="FineTuning">Started from the shipped encoder: whether fine-tuning helped on the library's validation split,
/// in a sentence; null from scratch.</param>
/// <param name="Kept">The model the <c>audio</c> space now holds: the trained one, or the shipped encoder when fine-tuning
/// did not beat it.</param>
public sealed record AudioTrainingReport(AudioModelOutcome Training, EmbeddingSummary? Embedded, string? FineTuning, ModelRecord Kept);

/// <summary>
/// <c>train audio</c>: picks the objective and the batch normalisation, trains the content network on the excerpt cache
/// (<see cref="AudioModelTraining.Run"/>: versioned from the whole options record, checkpointed, resumable), reports its
/// progress to the file the web app's status reads, then embeds the library with it (<see cref="LibraryEmbedding"/>).
/// </summary>
public sealed class AudioTraining(CatalogLocation location)
{
    /// <param name="messages">Sentences for the person waiting (the objective chosen, the excerpts loaded, a resume).</param>
    /// <param name="progress">Every training batch.</param>
    /// <param name="embedding">Tracks embedded after training.</param>
    public AudioTrainingReport Train(AudioTrainingRequest request, IProgress<string>? messages, IProgress<AudioTrainingProgress>? progress,
        IProgress<(int Done, int Total)>? embedding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validated();
        using var catalog = location.OpenExisting();
        var objective = AudioModelTraining.ResolveObjective(catalog, request.Objective);
        bool batchNorm = request.BatchNorm switch
        {
            BatchNormChoice.On => true,
            BatchNormChoice.Off => false,
            _ => objective == AudioObjective.Contrastive,
        };
        var options = request.Options with { Objective = objective, Network = request.Options.Network with { BatchNorm = batchNorm } };
        var shipped = request.Init == AudioInit.Pretrained ? StartFromShipped(catalog, ref options, messages) : null;
        messages?.Report($"training the audio model, objective {objective.ToString().ToLowerInvariant()}, {request.Threads} thread(s)");
        using var report = new Catalog.TrainingProgressFile(location.CatalogPath, LibraryEmbedder.Space);
        var reporting = new Reporting(progress, report);
        var outcome = AudioModelTraining.Run(catalog, location.CatalogPath, options, request.Threads, messages, reporting, cancellationToken, request.Force);
        var kept = outcome.Model;
        string? verdict = null;
        if (shipped is not null)
        {
            verdict = FineTuningVerdict(outcome);
            // the shipped encoder's own loss is only comparable when the head it was trained with is the one fine-tuned
            if (objective == AudioObjective.Contrastive && !outcome.Result.Improved)
                kept = ShippedEncoder.Register(catalog, location.CatalogPath, makeCurrent: true);
            messages?.Report(verdict);
        }
        var embedded = request.Embed
            ? new LibraryEmbedding(location).Embed(catalog, kept, request.Embedding, request.Threads, embedding, cancellationToken)
            : null;
        return new AudioTrainingReport(outcome, embedded, verdict, kept);
    }

    /// <summary>Sets the options to fine-tune the shipped encoder (its network, its weights as the start); the catalog's
    /// record of it, or null (said) when the program ships none.</summary>
    private ModelRecord? StartFromShipped(ICatalog catalog, ref AudioTrainingOptions options, IProgress<string>? messages)
    {
        if (!ShippedEncoder.Available())
        {
            messages?.Report($"the shipped encoder is missing from {ShippedEncoder.Folder}: training from scratch");
            return null;
        }
        var shipped = ShippedEncoder.Register(catalog, location.CatalogPath, makeCurrent: false);
        var folder = Path.GetDirectoryName(shipped.FilePath)!;
        var network = AudioModelInfo.Load(folder).Network;
        // a regression objective gets a fresh output layer of its target's size (AudioTrainer sets it)
        options = options with { Network = network, InitialModel = folder, InitialModelVersion = shipped.Version };
        messages?.Report($"starting from the shipped encoder {shipped.Version} (channels {string.Join('/', network.Channels)}, " +
                         string.Create(CultureInfo.InvariantCulture, $"{network.Frames} frames; `--init scratch` trains a network of its own)"));
        return shipped;
    }

    /// <summary>Whether fine-tuning made the network better on the library's validation split than the shipped weights were.</summary>
    private static string FineTuningVerdict(AudioModelOutcome outcome)
    {
        var r = outcome.Result;
        if (r.Initial is not { } start || r.BestLoss is not { } best)
            return "fine-tuned from the shipped encoder; no validation split to say whether it helped (too few tracks)";
        var c = CultureInfo.InvariantCulture;
        if (outcome.Objective != AudioObjective.Contrastive)
            return string.Create(c, $"fine-tuned from the shipped encoder's convolutions with a new {outcome.Objective.ToString().ToLowerInvariant()} head: ") +
                   string.Create(c, $"validation loss {start.Loss:0.0000} at the start, {best:0.0000} at the best epoch");
        return r.Improved
            ? string.Create(c, $"fine-tuning helped on the library's validation split: NT-Xent loss {start.Loss:0.0000} with the shipped weights, {best:0.0000} fine-tuned; keeping the fine-tuned model")
            : string.Create(c, $"fine-tuning did not help on the library's validation split: NT-Xent loss {start.Loss:0.0000} with the shipped weights, {best:0.0000} at best; keeping the shipped encoder");
    }

    /// <summary>The caller's progress, and every batch to the training progress file.</summary>
    private sealed class Reporting(IProgress<AudioTrainingProgress>? inner, Catalog.TrainingProgressFile file) : IProgress<AudioTrainingProgress>
    {
        public void Report(AudioTrainingProgress p)
        {
            file.Report(p.Epoch - 1 + (double)p.Step / Math.Max(1, p.StepsPerEpoch), p.MaxEpochs, string.Create(CultureInfo.InvariantCulture,
                $"audio model: epoch {p.Epoch}/{p.MaxEpochs}, loss {p.RunningLoss:0.0000}, ETA {Durations.Clock(p.Remaining?.TotalSeconds)}"));
            inner?.Report(p);
        }
    }
}
