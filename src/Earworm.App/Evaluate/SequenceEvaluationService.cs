using Earworm.App.Training;
using Earworm.Catalog.Import;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Evaluation.Sequences;
using Earworm.Learning.Sequences;

namespace Earworm.App.Evaluate;

/// <summary><c>evaluate --protocol next-item|playlist-continuation</c> as a front end asks for it.</summary>
/// <param name="Dataset">null: the catalog's sessions and playlists; <c>markov</c>: sessions and playlists drawn from a
/// Markov chain over topics (<see cref="MarkovSequences"/>); else Million Playlist Dataset slice files (a file or a
/// folder), read directly without importing.</param>
/// <param name="Models"><see cref="SequenceModels.Names"/>.</param>
public sealed record SequenceEvaluationRequest(string? Dataset, IReadOnlyList<SequenceProtocol> Protocols, IReadOnlyList<string> Models,
    EvaluationOptions Options, CfSettings Settings, string? ReportFolder = null, Content.Sequences.SequenceModelOptions? Neural = null);

/// <summary>One report of a sequence protocol and the folder it was written to (null when none was asked for).</summary>
public sealed record SequenceReport(EvaluationReport Report, string? Folder);

/// <summary>
/// The sequence protocols: every next-item model (<see cref="SequenceModels"/>) trained on each split's training
/// sequences and asked the protocol's questions (<see cref="SequenceRunner"/>); one report per protocol, and for
/// playlist continuation one per number of seed tracks.
/// </summary>
public sealed class SequenceEvaluationService(CatalogLocation location)
{
    /// <exception cref="UsageException">an unknown model, or data without the sequences the protocol holds out.</exception>
    public IEnumerable<SequenceReport> Run(SequenceEvaluationRequest request, IProgress<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(say);
        if (request.Protocols.Count == 0) throw new UsageException("--protocol names no protocol");
        if (request.Models.Count == 0) throw new UsageException("--models names no model");
        foreach (var m in request.Models) SequenceModels.Check(m);
        if (request.Models.GroupBy(m => m, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new UsageException($"--models names {twice.Key} twice");
        var data = Load(request.Dataset, request.Settings.SessionGap);
        say.Report($"evaluate: {data.Name}: {data.Sessions.Count} sessions ({data.Skips} skips), {data.Playlists.Count} playlists, {data.ItemCount} items");
        var gate = new Lock();
        var progress = new InlineProgress<EvaluationProgress>(p =>
        {
            if (p.Stage != EvaluationStage.Fit) return;
            if (p.Training is { Iterations: > 1 } t)
            {
                // the networks' epochs: loss, validation NDCG@10 when there is a validation share
                lock (gate) say.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"evaluate: seed {p.Seed}, {p.Model} epoch {t.Iteration}/{t.Iterations}{(t.Loss is { } loss ? $": loss {loss:0.####}" : "")}{(t.ValidationNdcg is { } v ? $", validation NDCG@10 {v:0.####}" : "")} ({t.Elapsed.TotalSeconds:0} s)"));
                return;
            }
            if (p.Training is not null || p.Done != 0) return;
            lock (gate) say.Report($"evaluate: seed {p.Seed} ({p.RunIndex + 1}/{p.RunCount}), training {p.Model}…");
        });
        foreach (var protocol in request.Protocols)
        {
            say.Report($"evaluate: {protocol.Name} protocol on {data.Name}");
            // the networks read a playlist's rest as its options say, by default at every given position (a set); the
            // next item at the last one
            var neural = request.Neural ?? new Content.Sequences.SequenceModelOptions();
            neural = protocol.Kind == SequenceProtocolKind.PlaylistContinuation ? neural with { Read = neural.ReadOfRest } : neural;
            var reports = SequenceRunner.Run(data, seed => [.. request.Models.Select(m => SequenceModels.Trainer(m, request.Settings, neural, seed, data.Features))],
                protocol, request.Options, progress, cancellationToken);
            foreach (var report in reports)
            {
                string? folder = null;
                if (request.ReportFolder is not null)
                {
                    bool alone = request.Protocols.Count == 1 && reports.Count == 1;
                    folder = alone ? request.ReportFolder : Path.Combine(request.ReportFolder, report.Protocol.Replace(", first ", "-first-", StringComparison.Ordinal));
                    ReportWriter.Write(report, folder);
                }
                yield return new SequenceReport(report, folder is null ? null : Path.GetFullPath(folder));
            }
        }
    }

    private SequenceDataset Load(string? dataset, TimeSpan sessionGap)
    {
        if (dataset is null)
        {
            using var catalog = location.OpenExisting();
            return SequenceDataset.Load(catalog, sessionGap);
        }
        if (dataset.Equals("markov", StringComparison.OrdinalIgnoreCase))
        {
            var sessions = MarkovSequences.Generate(new MarkovSequenceOptions { Sequences = 2000, Skip = 0.1, Seed = 1 }, out int items);
            var playlists = MarkovSequences.Generate(new MarkovSequenceOptions { Sequences = 1000, MinLength = 20, MaxLength = 60, Seed = 2 }, out _);
            return new SequenceDataset("markov", DenseIds(items), sessions, playlists);
        }
        // MPD slices straight from their files: items by track URI
        var sources = ImportReader.Read(ImportFormat.MpdJson, [dataset], new ImportOptions());
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new List<IReadOnlyList<string?>>();
        int Item(ItemRef item)
        {
            int id = Id(ids, ItemKeys.For(item)!);
            if (id == keys.Count) keys.Add(ItemKeys.Features(item.Artist, item.Album));
            return id;
        }
        var lists = sources.SelectMany(s => s.Playlists)
            .Select(p => new Sequence([.. p.Entries.Select(e => Item(e.Item))]))
            .Where(s => s.Length > 0).ToList();
        return new SequenceDataset(Path.GetFileName(Path.TrimEndingDirectorySeparator(dataset)), DenseIds(ids.Count), [], lists, ItemFeatures.FromKeys(keys));
    }

    private static int Id(Dictionary<string, int> ids, string key)
    {
        if (!ids.TryGetValue(key, out int id)) ids[key] = id = ids.Count;
        return id;
    }

    private static DenseIdMap<long> DenseIds(int count) => DenseIdMaps.Range(count);
}
