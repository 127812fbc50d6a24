using System.Globalization;
using Earworm.App.Training;
using Earworm.Audio.Excerpts;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Catalog.Tags;
using Earworm.Content.Data;
using Earworm.Content.Tagging;
using Earworm.Learning.Tagging;
using static TorchSharp.torch;

namespace Earworm.Benchmarks;

/// <summary>
/// <c>tagger-eval</c>: saved tag networks measured on a folder (or a list of files) of a scanned catalog whose tracks carry their true tags
/// (imported, as <c>instrument-set</c>'s <c>labels.csv</c>): each tag's ROC-AUC and the mean over the tags with at least
/// <c>--min-positives</c> positives among them (by default the model card's rule: the instrument tagger's test figure), for each network and, given
/// several, for the mean of their probabilities (an ensemble). Each track is read as tagging reads it (its cached
/// windows, the highest probability over them), so a network's row repeats its training report's test figures.
/// Two other ways of reading a held-out sound, to measure whether they help: <c>--adapt-under DIR</c> first estimates
/// the batch norms' statistics afresh on the (unlabelled) tracks under DIR; <c>--tta N</c> reads each window N more
/// times altered (an equalisation of up to ±<c>--tta-eq</c> dB, default 3, and a pitch shift of up to ±<c>--tta-pitch</c>
/// mel bands, default 1) and averages the logits. <c>--scores FILE</c> writes every track's probability of every tag
/// (CSV: path, tagger, tag, probability, true) for readings by instrument. <c>--read-frames N</c> reads every window in
/// crops of N frames instead of as each tagger does (0: whole).
/// <c>tagger-reread</c> measures a saved tagger again as it reads with <c>--read-frames N</c> (0: whole), on validation
/// and test folders of a scanned labelled catalog: each tag's threshold chosen afresh (best F1 on validation), its
/// validation and test ROC-AUC, written with the weights unchanged into <c>--out DIR</c>.
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
        int altered = a.Int("--tta", 0);
        int? readFrames = a.Get("--read-frames") is null ? null : a.Int("--read-frames", 0);
        var alteration = new AugmentationOptions
        {
            GainDb = 0, TimeShiftFrames = 0,
            EqualisationDb = a.Double("--tta-eq", 3),
            PitchShiftBands = a.Double("--tta-pitch", 1),
        };
        if (!File.Exists(db)) throw new FileNotFoundException($"no catalog at {db}");
        foreach (var folder in folders)
            if (!TagNetworkModel.IsIn(folder)) throw new DirectoryNotFoundException($"no tag network (tagger.json and tagger.dat) in {folder}");

        using var catalog = CatalogStore.Open(db);
        var store = new ExcerptStore(ExcerptStore.DefaultFor(db));
        var (tracks, truth) = Labelled(catalog, store, db, under, list);
        var excerpts = tracks.Select(t => store.TryRead(t.ContentHash!)!).ToList();

        var models = folders.Select(f => ReadingIn(TagNetworkModel.Load(f), readFrames)).ToList();
        if (a.Get("--adapt-under") is { } adaptUnder)
        {
            adaptUnder = Path.GetFullPath(adaptUnder).TrimEnd('/') + "/";
            var unlabelled = catalog.ListTracks(TrackStatus.Analysed)
                .Where(t => t.Path.StartsWith(adaptUnder, StringComparison.Ordinal) && t.ContentHash is not null && store.Contains(t.ContentHash))
                .Select(t => store.TryRead(t.ContentHash!)!).ToList();
            if (unlabelled.Count == 0) throw new ArgumentException($"no analysed track with cached excerpts under {adaptUnder} in {db}");
            Console.WriteLine($"batch norms adapted to the {unlabelled.Count} tracks under {adaptUnder}");
            foreach (var model in models) Adapt(model, unlabelled, a.Int("--adapt-crop", 215), a.Int("--adapt-passes", 3));
        }
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
                var rows = excerpts.Select((set, i) => (altered > 0 ? ReadAltered(model, set, altered, alteration, i) : model.Probabilities(set)) ?? throw new InvalidDataException($"{tracks[i].Path}: no log-mel frames in its cached excerpts")).ToList();
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
            if (a.Get("--scores") is { } scoresFile)
            {
                // every track's probability of every tag, by every tagger of the table: what a per-instrument reading needs
                using var w = new StreamWriter(scoresFile);
                w.WriteLine("path,tagger,tag,probability,true");
                foreach (var (name, scores) in table)
                    for (int k = 0; k < tags.Count; k++)
                        for (int i = 0; i < tracks.Count; i++)
                            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"\"{tracks[i].Path.Replace("\"", "\"\"", StringComparison.Ordinal)}\",\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{tags[k]},{scores[k][i]:0.######},{(labels[k][i] ? 1 : 0)}"));
                Console.WriteLine($"scores: {scoresFile}");
            }
            return 0;
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }

    /// <summary><c>tagger-reread</c>: see the class.</summary>
    public static int Reread(string[] argv)
    {
        var a = new Args(argv);
        string db = a.Get("--db") ?? throw new ArgumentException("--db CATALOG (scanned, with the tracks' true tags imported)");
        string folder = a.Get("--models") ?? throw new ArgumentException("--models DIR (a tag network folder)");
        string output = a.Get("--out") ?? throw new ArgumentException("--out DIR (where the tagger measured again is written)");
        int frames = a.Int("--read-frames", 0);
        string Under(string option) => Path.GetFullPath(a.Get(option) ?? throw new ArgumentException($"{option} DIR")).TrimEnd('/') + "/";
        var (validationUnder, testUnder) = (Under("--validation-under"), Under("--test-under"));
        if (Path.GetFullPath(output).TrimEnd('/') == Path.GetFullPath(folder).TrimEnd('/')) throw new ArgumentException("--out must be another folder than --models");
        using var catalog = CatalogStore.Open(db);
        var store = new ExcerptStore(ExcerptStore.DefaultFor(db));
        using var model = ReadingIn(TagNetworkModel.Load(folder), frames);
        var tags = model.Tags;
        (float[] Scores, List<bool[]> Labels) Read(string under)
        {
            var (tracks, truth) = Labelled(catalog, store, db, under, null);
            var scores = tracks.SelectMany(t => model.Probabilities(store.TryRead(t.ContentHash!)!) ?? throw new InvalidDataException($"{t.Path}: no log-mel frames")).ToArray();
            return (scores, [.. tracks.Select(t => tags.Select(truth[t.Id].Contains).ToArray())]);
        }
        var validation = Read(validationUnder);
        var test = Read(testUnder);
        var (thresholds, validationAuc, testAuc, testPositives) = TagScores.Measure(tags, validation.Scores, validation.Labels, test.Scores, test.Labels);
        // a tag the tagger did not give (heard too poorly on validation: threshold above every probability) stays so
        thresholds = [.. thresholds.Select((x, k) => model.Thresholds[k] > 1 ? model.Thresholds[k] : x)];
        var report = (model.Report ?? throw new InvalidDataException($"{folder}: the tagger has no report to measure again")) with
        {
            ValidationExamples = validation.Labels.Count, ValidationAuc = validationAuc, TestAuc = testAuc, TestPositives = testPositives,
        };
        new TagNetworkModel(model.Network, tags, thresholds, report, model.ReadFrames).Save(output);
        Console.WriteLine(TagTraining.AucTable(report));
        var counted = testAuc!.Where(x => x.Value is not null && testPositives!.GetValueOrDefault(x.Key) >= TagModelCard.MinTestPositives).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"read in {(frames > 0 ? $"crops of {frames} frames" : "whole windows")}: mean validation ROC-AUC {validationAuc.Values.Average(v => v ?? 0):0.000}; mean test ROC-AUC {counted.Average(x => x.Value!.Value):0.000} over the {counted.Count} tags with at least {TagModelCard.MinTestPositives} test positives; written to {output} ({TagNetworkModel.Version(output)})"));
        return 0;
    }

    /// <summary>The analysed tracks under <paramref name="under"/> (and in <paramref name="list"/>, when given) with
    /// cached excerpts, by path, and each one's true tags (every source but the audio).</summary>
    private static (List<TrackRecord> Tracks, Dictionary<long, HashSet<string>> Truth) Labelled(CatalogStore catalog, ExcerptStore store,
        string db, string under, ISet<string>? list)
    {
        var tracks = catalog.ListTracks(TrackStatus.Analysed)
            .Where(t => t.Path.StartsWith(under, StringComparison.Ordinal) && (list is null || list.Contains(t.Path)) && t.ContentHash is not null && store.Contains(t.ContentHash))
            .OrderBy(t => t.Path, StringComparer.Ordinal).ToList();
        if (tracks.Count == 0) throw new ArgumentException($"no analysed track with cached excerpts under {under} in {db}");
        var truth = tracks.ToDictionary(t => t.Id, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var t in catalog.AllTrackTags())
            if (t.Source != TagSource.Audio && truth.TryGetValue(t.TrackId, out var tags)) tags.Add(t.Tag);
        return (tracks, truth);
    }

    /// <summary><paramref name="model"/> reading windows in crops of <paramref name="frames"/> (0: whole), or as it
    /// does when null; the same network.</summary>
    private static TagNetworkModel ReadingIn(TagNetworkModel model, int? frames) =>
        frames is not { } f ? model : new TagNetworkModel(model.Network, model.Tags, model.Thresholds, model.Report, f > 0 ? f : null);

    /// <summary>AdaBN (Li et al. 2016): the batch norms' running statistics estimated afresh on <paramref name="sets"/>
    /// (unlabelled: a random crop of <paramref name="cropFrames"/> from each window, as training crops them, in batches of
    /// 32, <paramref name="passes"/> times over).</summary>
    private static void Adapt(TagNetworkModel model, IReadOnlyList<ExcerptSet> sets, int cropFrames, int passes)
    {
        var network = model.Network;
        int bands = model.Options.MelBands;
        var bank = new WindowBank(bands);
        for (int t = 0; t < sets.Count; t++) bank.Add(t, sets[t]);
        using (no_grad())
            foreach (var (name, buffer) in network.named_buffers())
                if (name.EndsWith("running_mean", StringComparison.Ordinal)) buffer.zero_();
                else if (name.EndsWith("running_var", StringComparison.Ordinal)) buffer.fill_(1);
        network.train();
        var rng = new Random(1);
        for (int pass = 0; pass < passes; pass++)
        {
            var crops = new List<float[]>();
            for (int track = 0; track < bank.Count; track++)
                for (int window = 0; window < bank.WindowCount(track); window++)
                {
                    var crop = new float[bands * cropFrames];
                    bank.Crop(track, window, bank.RandomStart(track, window, cropFrames, rng), cropFrames, crop);
                    crops.Add(crop);
                }
            rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(crops));
            using var noGrad = no_grad();
            for (int i = 0; i < crops.Count; i += 32)
            {
                var batch = crops.Skip(i).Take(32).ToList();
                if (batch.Count < 8) break;   // a batch norm's statistics from a handful of crops mislead
                using var scope = NewDisposeScope();
                network.forward(tensor(batch.SelectMany(x => x).ToArray(), [batch.Count, bands, cropFrames]));
            }
        }
        network.eval();
    }

    /// <summary>A track's probabilities with each window read <paramref name="altered"/> more times, altered as
    /// <paramref name="options"/> say (each crop's logits averaged over the readings), the highest over windows and crops
    /// as tagging takes it.</summary>
    private static float[]? ReadAltered(TagNetworkModel model, ExcerptSet set, int altered, AugmentationOptions options, int seed)
    {
        int bands = model.Options.MelBands;
        var rng = new Random(seed);
        var windows = set.Excerpts.Where(e => e.Frames > 0).ToList();
        if (windows.Count == 0) return null;
        return TagNetworkModel.HighestOver(windows.SelectMany(e =>
        {
            List<float[]>? mean = null;   // per crop, as the tagger reads the window
            for (int v = 0; v <= altered; v++)
            {
                var x = (float[])e.LogMelDb.Clone();
                if (v > 0) Augmentation.Apply(x, bands, e.Frames, options, rng);
                var crops = model.WindowLogits(x, e.Frames);
                mean ??= [.. crops.Select(c => new float[c.Length])];
                for (int c = 0; c < crops.Count; c++)
                    for (int k = 0; k < crops[c].Length; k++) mean[c][k] += crops[c][k] / (altered + 1);
            }
            return mean!;
        }));
    }
}
