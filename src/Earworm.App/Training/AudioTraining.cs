using System.Globalization;
using Earworm.Content.Embedding;
using Earworm.Content.Network;
using Earworm.Content.Training;

namespace Earworm.App.Training;

/// <summary>Batch normalisation after each convolution: as the objective wants it (<see cref="Auto"/>), or forced.</summary>
public enum BatchNormChoice { Auto, On, Off }

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
            throw new UsageException(e.Message);
        }
        Embedding.Validated();
        return this;
    }
}

/// <summary>What <c>train audio</c> did: the training (or the model found up to date) and the embedding after it.</summary>
public sealed record AudioTrainingReport(AudioModelOutcome Training, EmbeddingSummary? Embedded);

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
        messages?.Report($"training the audio model, objective {objective.ToString().ToLowerInvariant()}, {request.Threads} thread(s)");
        using var report = new Catalog.TrainingProgressFile(location.CatalogPath, LibraryEmbedder.Space);
        var reporting = new Reporting(progress, report);
        var outcome = AudioModelTraining.Run(catalog, location.CatalogPath, options, request.Threads, messages, reporting, cancellationToken, request.Force);
        var embedded = request.Embed
            ? new LibraryEmbedding(location).Embed(catalog, outcome.Model, request.Embedding, request.Threads, embedding, cancellationToken)
            : null;
        return new AudioTrainingReport(outcome, embedded);
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
