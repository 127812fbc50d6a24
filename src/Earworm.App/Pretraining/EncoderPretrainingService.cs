using System.Text.Json;
using Earworm.Catalog;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Native;
using Earworm.Content.Pretraining;
using Earworm.Content.Training;

namespace Earworm.App.Pretraining;

/// <summary><c>earworm pretrain</c> as a front end asks for it, the corpus already scanned into its catalog.</summary>
/// <param name="Corpus">The corpus's manifest rows (<see cref="CorpusManifest.Read"/>).</param>
/// <param name="OutFolder">Where the encoder, its report and its card go.</param>
/// <param name="TrialsFolder">Trial reports listed in the card (null: OUT/trials when it exists).</param>
public sealed record PretrainingRequest(IReadOnlyList<CorpusTrack> Corpus, PretrainingRecipe Recipe, PretrainingPlan Plan, string OutFolder)
{
    public string? TrialsFolder { get; init; }
    public string Name { get; init; } = "";
    public string Command { get; init; } = "";
    public double ScanSeconds { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Pretrains the shipped encoder from a scanned corpus (<see cref="EncoderPretraining"/>: the folds of held-out
/// packages, then the encoder on every package), in a work folder beside the corpus's catalog
/// (<c>catalog.db.pretrain/</c>: checkpoints, fold models), and writes the encoder (<c>model.dat</c>,
/// <c>model.json</c>), <c>report.json</c> and <c>MODEL_CARD.md</c> to the request's folder.
/// </summary>
public sealed class EncoderPretrainingService(CatalogLocation location)
{
    public PretrainingReport Run(PretrainingRequest request, IProgress<string>? messages, IProgress<AudioTrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Threads < 1) throw new UsageException("--threads must be at least 1");
        TorchRuntime.EnsureLoaded(request.Threads);
        var corpus = Load(request.Corpus, cancellationToken);
        messages?.Report($"{corpus.Bank.Count} of the manifest's {request.Corpus.Count} files have excerpts; " +
                         $"{corpus.Tracks.Select(t => t.Package).Distinct().Count()} packages");
        var report = EncoderPretraining.Run(corpus, request.Recipe, request.Plan, location.CatalogPath + ".pretrain", messages, progress, cancellationToken)
            with { Name = request.Name, ScanSeconds = request.ScanSeconds, Command = request.Command };
        Write(report, request.OutFolder, request.TrialsFolder);
        return report;
    }

    /// <summary>The manifest's files that the scan analysed, with their excerpts and descriptors, in manifest order.</summary>
    private PretrainingCorpus Load(IReadOnlyList<CorpusTrack> manifest, CancellationToken cancellationToken)
    {
        using var catalog = location.OpenExisting();
        var byPath = catalog.ListTracks(TrackStatus.Analysed).ToDictionary(t => Path.GetFullPath(t.Path));
        var rows = manifest.Where(m => byPath.ContainsKey(m.Path)).ToList();
        var (bank, _) = WindowBank.Load(location.Excerpts, rows.Select(r => byPath[r.Path]), cancellationToken: cancellationToken);
        if (bank.Count == 0) throw new UsageException("no file of the corpus has cached excerpts: did the scan fail? (`earworm tracks --status failed`)");
        var rowOf = rows.ToDictionary(r => byPath[r.Path].Id);
        var tracks = bank.TrackIds.Select(id => rowOf[id]).ToList();
        var descriptors = bank.TrackIds.Select(catalog.FindDescriptors).ToList();
        return new PretrainingCorpus(bank, tracks, descriptors);
    }

    /// <summary>The final encoder's files, report.json and the model card (with the trials' reports) into the folder.</summary>
    public static void Write(PretrainingReport report, string outFolder, string? trialsFolder)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(outFolder);
        if (report.Final is not null)
        {
            var final = Path.Combine(report.WorkFolder, "final");
            File.Delete(Path.Combine(outFolder, Whitening.FileName));
            foreach (var file in AudioModelInfo.ModelFiles(final))
                File.Copy(Path.Combine(final, file), Path.Combine(outFolder, file), overwrite: true);
        }
        File.WriteAllText(Path.Combine(outFolder, "report.json"), JsonSerializer.Serialize(report, PretrainingRecipe.Json));
        trialsFolder ??= Path.Combine(outFolder, "trials");
        var trials = Directory.Exists(trialsFolder)
            ? Directory.EnumerateFiles(trialsFolder, "*.json").Where(f => !f.EndsWith(".recipe.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                .Select(f => JsonSerializer.Deserialize<PretrainingReport>(File.ReadAllText(f), PretrainingRecipe.Json)!).ToList()
            : [];
        if (report.Final is not null) File.WriteAllText(Path.Combine(outFolder, ModelCard.FileName), ModelCard.Render(report, trials));
    }
}
