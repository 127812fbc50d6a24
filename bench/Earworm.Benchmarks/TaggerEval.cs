using System.Globalization;
using Earworm.App.Training;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Catalog.Tags;
using Earworm.Content.Tagging;
using Earworm.Learning.Tagging;

namespace Earworm.Benchmarks;

/// <summary>
/// <c>tagger-eval</c>: saved tag networks measured on a folder (or a list of files) of a scanned catalog whose tracks carry their true tags
/// (imported, as <c>instrument-set</c>'s <c>labels.csv</c>): each tag's ROC-AUC and the mean over the tags with at least
/// <c>--min-positives</c> positives among them (by default the model card's rule: the instrument tagger's test figure), for each network and, given
/// several, for the mean of their probabilities (an ensemble). Each track is read as tagging reads it (its cached
/// windows, the highest probability over them), so a network's row repeats its training report's test figures.
/// </summary>
internal static class TaggerEval
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        string db = a.Get("--db") ?? throw new ArgumentException("--db CATALOG (scanned, with the tracks' true tags imported)");
        var list = a.Get("--files") is { } file ? File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => Path.GetFullPath(l)).ToHashSet(StringComparer.Ordinal) : null;
        string under = Path.GetFullPath(a.Get("--under") ?? (list is null ? throw new ArgumentException("--under DIR (the labelled tracks' folder) or --files LIST (their paths, one a line)") : "/")).TrimEnd('/') + "/";
        var folders = (a.Get("--models") ?? throw new ArgumentException("--models DIR[,DIR…] (tag network folders: tagger.json, tagger.dat)")).Split(',');
        int minPositives = a.Int("--min-positives", TagModelCard.MinTestPositives);
        if (!File.Exists(db)) throw new FileNotFoundException($"no catalog at {db}");
        foreach (var folder in folders)
            if (!TagNetworkModel.IsIn(folder)) throw new DirectoryNotFoundException($"no tag network (tagger.json and tagger.dat) in {folder}");

        using var catalog = CatalogStore.Open(db);
        var store = new ExcerptStore(ExcerptStore.DefaultFor(db));
        var tracks = catalog.ListTracks(TrackStatus.Analysed)
            .Where(t => t.Path.StartsWith(under, StringComparison.Ordinal) && (list is null || list.Contains(t.Path)) && t.ContentHash is not null && store.Contains(t.ContentHash))
            .OrderBy(t => t.Path, StringComparer.Ordinal).ToList();
        if (tracks.Count == 0) throw new ArgumentException($"no analysed track with cached excerpts under {under} in {db}");
        var ids = tracks.Select(t => t.Id).ToHashSet();
        var truth = tracks.ToDictionary(t => t.Id, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var t in catalog.AllTrackTags())
            if (t.Source != TagSource.Audio && ids.Contains(t.TrackId)) truth[t.TrackId].Add(t.Tag);
        var excerpts = tracks.Select(t => store.TryRead(t.ContentHash!)!).ToList();

        var models = folders.Select(f => TagNetworkModel.Load(f)).ToList();
        try
        {
            var tags = models[0].Tags;
            foreach (var (model, folder) in models.Zip(folders))
                if (!model.Tags.Order(StringComparer.Ordinal).SequenceEqual(tags.Order(StringComparer.Ordinal)))
                    throw new ArgumentException($"{folder} gives other tags than {folders[0]}");
            var labels = tags.Select(tag => tracks.Select(t => truth[t.Id].Contains(tag)).ToArray()).ToArray();
            var measured = Enumerable.Range(0, tags.Count).Where(k => labels[k].Count(x => x) >= minPositives).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{tracks.Count} tracks under {under}; ROC-AUC over the {measured.Count} tags with at least {minPositives} positives ({string.Join(", ", measured.Select(k => $"{tags[k]} {labels[k].Count(x => x)}"))})"));
            // probabilities[model][tag][track], in the first model's tag order
            var probabilities = models.Select(model =>
            {
                var rows = excerpts.Select((set, i) => model.Probabilities(set) ?? throw new InvalidDataException($"{tracks[i].Path}: no log-mel frames in its cached excerpts")).ToList();
                return tags.Select(tag => { int k = model.Tags.ToList().IndexOf(tag); return rows.Select(r => r[k]).ToArray(); }).ToArray();
            }).ToList();
            var table = new List<(string Name, float[][] Scores)>(folders.Zip(probabilities));
            if (models.Count > 1)
                table.Add(($"the mean of the {models.Count}", [.. tags.Select((_, k) => Enumerable.Range(0, tracks.Count).Select(i => probabilities.Average(p => p[k][i])).ToArray())]));
            Console.WriteLine($"| tagger | mean | {string.Join(" | ", measured.Select(k => tags[k]))} |");
            Console.WriteLine($"| --- | ---: | {string.Join(" | ", measured.Select(_ => "---:"))} |");
            foreach (var (name, scores) in table)
            {
                var auc = measured.Select(k => TagMetrics.RocAuc(scores[k], labels[k])).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | **{auc.Average():0.000}** | {string.Join(" | ", auc.Select(x => x.ToString("0.000", CultureInfo.InvariantCulture)))} |"));
            }
            return 0;
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }
}
