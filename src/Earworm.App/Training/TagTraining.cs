using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Earworm.App.Tags;
using Earworm.Catalog;
using Earworm.Catalog.Tags;
using Earworm.Catalog.Scanning;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Tagging;
using Earworm.Learning.Tagging;

namespace Earworm.App.Training;

/// <summary>What <c>train tags</c> is asked to do.</summary>
public sealed record TagTrainingRequest
{
    /// <summary>A tag is learned when at least this many tracks carry it (and as many do not).</summary>
    public int MinExamples { get; init; } = 10;

    /// <summary>A tag is given only when the head heard it this well on the validation tracks (ROC-AUC): a tag it cannot
    /// hear would be noise on every track.</summary>
    public double MinValidationAuc { get; init; } = 0.75;

    /// <summary>Share of the tracks held out to choose the epoch and the thresholds (when no folder is named for it).</summary>
    public double ValidationShare { get; init; } = 0.2;

    /// <summary>Tracks under this folder are the validation tracks (instead of a random share).</summary>
    public string? ValidationUnder { get; init; }

    /// <summary>Tracks under this folder are neither trained nor validated on, only measured: ROC-AUC per tag.</summary>
    public string? TestUnder { get; init; }

    /// <summary>Also write the tagger, its report and its model card into this folder (how <c>models/autotag</c> is made).</summary>
    public string? Out { get; init; }

    /// <summary>Markdown about the corpus for the model card written with <see cref="Out"/> (<c>--card-notes FILE</c>).</summary>
    public string? CardNotes { get; init; }

    public TagHeadOptions Head { get; init; } = new();

    /// <summary>When set, a <see cref="TagNetwork"/> is trained on the tracks' cached log-mel instead of a head on the
    /// audio space's vectors (<c>train tags --network</c>): it hears timbre the audio space may not keep.</summary>
    public TagNetworkTrainingOptions? Network { get; init; }

    /// <summary>Train even when a head with these options on these tags exists.</summary>
    public bool Force { get; init; }

    /// <exception cref="UsageException">a value out of range.</exception>
    public TagTrainingRequest Validated()
    {
        if (MinExamples < 2) throw new UsageException($"--min-examples must be at least 2, got {MinExamples}");
        if (!(MinValidationAuc is >= 0 and <= 1)) throw new UsageException($"--min-auc must lie in [0, 1], got {MinValidationAuc}");
        if (!(ValidationShare is > 0 and < 1)) throw new UsageException($"--validation-share must lie in (0, 1), got {ValidationShare}");
        foreach (var dir in new[] { ValidationUnder, TestUnder })
            if (dir is not null && !Directory.Exists(dir)) throw new UsageException($"no such folder: {dir}");
        Head.Validated();
        Network?.Validated();
        return this;
    }
}

/// <summary>What <c>train tags</c> did (its <c>--json</c>).</summary>
public sealed record TagTrainingOutcome(string Version, string File, bool UpToDate, IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, int> LeftOut, IReadOnlyList<string> NotHeard, TagHeadReport? Report, AudioTaggingSummary? Tagging, string Summary);

/// <summary>
/// <c>train tags</c>: a tagger for the tags of the library — file, import and user tags, never the audio tags it
/// predicts — that enough tracks carry: a <see cref="TagHead"/> on the current audio space's vectors
/// (<see cref="TagHeadTrainer"/>; saved as <c>catalog.models/VERSION/head.json</c>), or with
/// <see cref="TagTrainingRequest.Network"/> a <see cref="TagNetwork"/> on the tracks' cached log-mel
/// (<see cref="TagNetworkTrainer"/>; <c>tagger.json</c> and <c>tagger.dat</c>, checkpointed under <c>tagnet-runs/</c> while
/// it trains). Recorded as the current model of the <see cref="AudioTagging.Space"/> space; then the library is tagged
/// from its audio with it beside the shipped tagger. The version hashes the input (encoder or log-mel), the options, the
/// tags and the labelled tracks' audio (content hashes): unchanged, it is up to date.
/// </summary>
public sealed class TagTraining(CatalogLocation location)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <exception cref="UsageException">no audio space, or no tag with enough examples (the message says which tags came closest).</exception>
    public TagTrainingOutcome Train(TagTrainingRequest request, IProgress<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(say);
        request = request.Validated();
        using var catalog = location.OpenExisting();
        bool network = request.Network is not null;
        var encoder = catalog.CurrentModel(LibraryEmbedder.Space);
        if (encoder is null && !network)
            throw new UsageException("train tags learns from the audio space, and the catalog has none: run `earworm scan DIR` (or `earworm embed`) first");
        var vectors = network ? null : catalog.LoadTrackVectors(LibraryEmbedder.Space);
        var rowOf = new Dictionary<long, int>();
        if (vectors is not null)
        {
            var mine = catalog.TracksWithVectors(LibraryEmbedder.Space, encoder!.Id);
            for (int i = 0; i < vectors.Count; i++) if (mine.Contains(vectors.Ids[i])) rowOf[vectors.Ids[i]] = i;
        }
        var analysed = network ? catalog.ListTracks(TrackStatus.Analysed).Where(t => t.ContentHash is not null).ToDictionary(t => t.Id) : [];
        bool Usable(long track) => network ? analysed.ContainsKey(track) : rowOf.ContainsKey(track);

        var tagsOf = catalog.AllTrackTags().Where(t => t.Source != TagSource.Audio && Usable(t.TrackId))
            .GroupBy(t => t.TrackId).ToDictionary(g => g.Key, g => g.Select(t => t.Tag).ToHashSet());
        var counts = tagsOf.Values.SelectMany(s => s).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        int labelled = tagsOf.Count;
        var vocabulary = counts.Where(c => c.Value >= request.MinExamples && labelled - c.Value >= request.MinExamples)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key).ToList();
        var leftOut = counts.Where(c => !vocabulary.Contains(c.Key)).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(c => c.Key, c => c.Value);
        if (vocabulary.Count == 0)
        {
            var closest = leftOut.Take(5).Select(c => $"{c.Key} ({c.Value})");
            throw new UsageException(labelled == 0
                ? $"train tags needs tagged tracks {(network ? "with cached excerpts" : "in the audio space")}, and none has a file, import or user tag: tag some (`earworm import tags FILE.csv`, `earworm tags TRACK --add TAG`)"
                : $"train tags needs tags that at least {request.MinExamples} of the {labelled} tagged tracks carry (and as many do not); " +
                  $"the most frequent: {string.Join(", ", closest)}. Tag more tracks, or lower --min-examples");
        }

        var encoderKey = network ? "log-mel" : AudioTagging.EncoderKey(encoder!);
        var known = catalog.ListTracks().ToDictionary(t => t.Id);
        // the data is each labelled track's tags and its audio (the content hash): a file re-encoded or rendered again
        // with the same tags is other data, so the tagger is trained again
        string dataText = string.Join("\n", tagsOf.OrderBy(p => p.Key).Select(p =>
            $"{p.Key}@{known.GetValueOrDefault(p.Key)?.ContentHash}:{string.Join(",", p.Value.Where(vocabulary.Contains).Order(StringComparer.Ordinal))}"));
        var validationUnder = request.ValidationUnder is null ? null : Path.GetFullPath(request.ValidationUnder);
        var testUnder = request.TestUnder is null ? null : Path.GetFullPath(request.TestUnder);
        var paramsJson = request.Network is { } networkOptions
            ? JsonSerializer.Serialize(new
            {
                encoder = encoderKey, tags = vocabulary, network = networkOptions with { Threads = null }, request.ValidationShare, request.MinValidationAuc,
                validationUnder, testUnder,
            }, Json)
            : JsonSerializer.Serialize(new
            {
                encoder = encoderKey, tags = vocabulary, head = request.Head with { Threads = null }, request.ValidationShare, request.MinValidationAuc,
                validationUnder, testUnder,
            }, Json);
        var dataVersion = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataText)))[..12];
        var version = (network ? "tagnet-" : "tags-") + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(paramsJson + "\n" + dataVersion)))[..12];
        var folder = Path.Combine(location.ModelFolder, version);
        var file = Path.Combine(folder, network ? TagNetworkModel.InfoFile : TagHead.FileName);
        if (!request.Force && catalog.CurrentModel(AudioTagging.Space) is { } current && current.Version == version && File.Exists(file))
        {
            var tagging = AudioTagging.TagLibrary(catalog, location.CatalogPath, null, cancellationToken);
            IReadOnlyList<string> keptTags;
            TagHeadReport? keptReport;
            if (network)
            {
                using var keptNetwork = TagNetworkModel.Load(folder);
                (keptTags, keptReport) = (keptNetwork.Tags, keptNetwork.Report);
            }
            else
            {
                var kept = TagHead.Load(folder);
                (keptTags, keptReport) = (kept.Tags, kept.Report);
            }
            return new TagTrainingOutcome(version, file, true, keptTags, leftOut, [.. vocabulary.Except(keptTags)], keptReport, tagging,
                $"{(network ? "tag network" : "tag head")} {version} is up to date (same {(network ? "" : "encoder, ")}options, tags and audio); --force retrains\n{tagging.Note}");
        }

        // The split: named folders, else a seeded share of the tracks.
        bool Under(long track, string? dir) => dir is not null && known.TryGetValue(track, out var t) && ChangeDetector.IsUnder(t.Path, dir);
        var train = new List<long>();
        var validation = new List<long>();
        var test = new List<long>();
        foreach (var track in tagsOf.Keys.Order())
        {
            if (Under(track, testUnder)) test.Add(track);
            else if (validationUnder is not null ? Under(track, validationUnder)
                     : Unit(track, request.Network?.Seed ?? request.Head.Seed) < request.ValidationShare) validation.Add(track);
            else train.Add(track);
        }
        if (train.Count < 2 || validation.Count < 1)
            throw new UsageException($"train tags needs training and validation tracks; the split left {train.Count} and {validation.Count}");
        say.Report(string.Create(CultureInfo.InvariantCulture,
            $"train tags: {vocabulary.Count} tags on {(network ? "the tracks' log-mel (a tag network)" : $"{encoderKey}'s audio space")}, {train.Count} training, {validation.Count} validation{(test.Count > 0 ? $", {test.Count} test" : "")} tracks"));
        if (leftOut.Count > 0)
            say.Report($"left out for fewer than {request.MinExamples} examples: {string.Join(", ", leftOut.Take(20).Select(c => $"{c.Key} ({c.Value})"))}{(leftOut.Count > 20 ? $" and {leftOut.Count - 20} more" : "")}");

        if (network)
            return TrainNetwork(catalog, request, vocabulary, tagsOf, analysed, train, validation, test, leftOut, version, folder, paramsJson, dataVersion, say, cancellationToken);

        TagExamples Examples(List<long> tracks) => new(
            [.. tracks.Select(t => vectors!.Row(rowOf[t]).ToArray())],
            [.. tracks.Select(t => vocabulary.Select(tag => tagsOf[t].Contains(tag)).ToArray())]);
        var head = TagHeadTrainer.Train(encoderKey, vocabulary, Examples(train), Examples(validation), request.Head,
            test.Count > 0 ? Examples(test) : null, say, cancellationToken);
        var report = head.Report!;
        var heard = vocabulary.Where(t => report.ValidationAuc.GetValueOrDefault(t) is double auc && auc >= request.MinValidationAuc).ToList();
        var notHeard = vocabulary.Except(heard).ToList();
        if (heard.Count == 0)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"the head heard none of the tags well enough: validation ROC-AUC below {request.MinValidationAuc:0.00} for every one ({string.Join(", ", report.ValidationAuc.Select(a => $"{a.Key} {a.Value:0.00}"))}); tag more tracks, or lower --min-auc"));
        head = head.Keeping(heard);
        head.Save(folder);
        catalog.SaveModel(AudioTagging.Space, AudioTagging.Kind, version, paramsJson, dataVersion, file, JsonSerializer.Serialize(head.Report, Json));
        var lines = new StringBuilder();
        lines.AppendLine(string.Create(CultureInfo.InvariantCulture, $"tag head {version}: {heard.Count} of {vocabulary.Count} tags given, epoch {report.Epoch}, {report.Seconds:0.0} s; saved to {file}"));
        lines.AppendLine(AucTable(report));
        if (notHeard.Count > 0)
            lines.AppendLine(string.Create(CultureInfo.InvariantCulture, $"not given (validation ROC-AUC below {request.MinValidationAuc:0.00}): {string.Join(", ", notHeard)}"));
        if (request.Out is { } outDir)
        {
            head.Save(outDir);
            File.WriteAllText(Path.Combine(outDir, "report.json"), JsonSerializer.Serialize(new { version, encoder = encoderKey, request = paramsJson, report }, Json));
            File.WriteAllText(Path.Combine(outDir, TagModelCard.FileName), TagModelCard.Write(version, "head", encoderKey, paramsJson, report, heard, request.CardNotes));
            lines.AppendLine($"copied to {Path.Combine(outDir, TagHead.FileName)} with report.json and {TagModelCard.FileName}");
        }
        var summary = AudioTagging.TagLibrary(catalog, location.CatalogPath, null, cancellationToken);
        lines.Append(summary.Note);
        return new TagTrainingOutcome(version, file, false, heard, leftOut, notHeard, report, summary, lines.ToString());
    }

    /// <summary>The network route of <see cref="Train"/>: the split tracks' cached log-mel windows, a
    /// <see cref="TagNetwork"/> trained on them (checkpointed under <c>catalog.models/tagnet-runs/</c>, so an interrupted run resumes), the
    /// tags heard well enough kept, saved and recorded, the library tagged.</summary>
    private TagTrainingOutcome TrainNetwork(ICatalog catalog, TagTrainingRequest request, List<string> vocabulary, Dictionary<long, HashSet<string>> tagsOf,
        Dictionary<long, TrackRecord> analysed, List<long> train, List<long> validation, List<long> test, Dictionary<string, int> leftOut,
        string version, string folder, string paramsJson, string dataVersion, IProgress<string> say, CancellationToken cancellationToken)
    {
        var options = request.Network!;
        var store = location.Excerpts;
        TagWindows Windows(List<long> tracks, string name)
        {
            var (bank, skipped) = WindowBank.Load(store, tracks.Select(t => analysed[t]), options.Network.MelBands, null, cancellationToken);
            if (skipped > 0) say.Report($"{skipped} {name} tracks have no cached excerpts and are left out");
            return new TagWindows(bank, [.. bank.TrackIds.Select(t => vocabulary.Select(tag => tagsOf[t].Contains(tag)).ToArray())]);
        }
        var trainWindows = Windows(train, "training");
        var validationWindows = Windows(validation, "validation");
        var testWindows = test.Count > 0 ? Windows(test, "test") : null;
        // the checkpoints belong to the data and every option but how long to train: a run stopped, or asked for more
        // or fewer epochs, goes on from where it was
        var resumeKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(options with { Threads = null, Epochs = 0, Patience = 0 }) + "\n" + string.Join(",", vocabulary) + "\n" + dataVersion + "\n" +
            string.Join(",", train) + "\n" + string.Join(",", validation))))[..16];
        var checkpoints = Path.Combine(location.ModelFolder, "tagnet-runs", resumeKey);
        using var model = TagNetworkTrainer.Train(vocabulary, trainWindows, validationWindows, options, testWindows,
            checkpoints, resumeKey, say, cancellationToken);
        var report = model.Report!;
        var heard = vocabulary.Where(t => report.ValidationAuc.GetValueOrDefault(t) is double auc && auc >= request.MinValidationAuc).ToList();
        var notHeard = vocabulary.Except(heard).ToList();
        if (heard.Count == 0)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"the network heard none of the tags well enough: validation ROC-AUC below {request.MinValidationAuc:0.00} for every one ({string.Join(", ", report.ValidationAuc.Select(a => $"{a.Key} {a.Value:0.00}"))}); tag more tracks, or lower --min-auc"));
        // tags not heard well enough are given at a threshold above every probability: never
        var thresholds = vocabulary.Select((tag, k) => heard.Contains(tag) ? model.Thresholds[k] : 2f).ToArray();
        var kept = new TagNetworkModel(model.Network, vocabulary, thresholds, report, model.ReadFrames);   // shares the network model disposes
        kept.Save(folder);
        if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);   // the model is saved: its run is done
        var file = Path.Combine(folder, TagNetworkModel.InfoFile);
        catalog.SaveModel(AudioTagging.Space, AudioTagging.NetworkKind, version, paramsJson, dataVersion, file, JsonSerializer.Serialize(report, Json));
        var lines = new StringBuilder();
        lines.AppendLine(string.Create(CultureInfo.InvariantCulture, $"tag network {version}: {heard.Count} of {vocabulary.Count} tags given, epoch {report.Epoch}, {report.Seconds:0} s; saved to {file}"));
        lines.AppendLine(AucTable(report));
        if (notHeard.Count > 0)
            lines.AppendLine(string.Create(CultureInfo.InvariantCulture, $"not given (validation ROC-AUC below {request.MinValidationAuc:0.00}): {string.Join(", ", notHeard)}"));
        if (request.Out is { } outDir)
        {
            kept.Save(outDir);
            File.WriteAllText(Path.Combine(outDir, "report.json"), JsonSerializer.Serialize(new { version, encoder = "log-mel", request = paramsJson, report }, Json));
            File.WriteAllText(Path.Combine(outDir, TagModelCard.FileName), TagModelCard.Write(version, "network", "log-mel", paramsJson, report, heard, request.CardNotes));
            lines.AppendLine($"copied to {Path.Combine(outDir, TagNetworkModel.InfoFile)} with report.json and {TagModelCard.FileName}");
        }
        var summary = AudioTagging.TagLibrary(catalog, location.CatalogPath, null, cancellationToken);
        lines.Append(summary.Note);
        return new TagTrainingOutcome(version, file, false, heard, leftOut, notHeard, report, summary, lines.ToString());
    }

    /// <summary>A Markdown table: per tag, training positives, validation ROC-AUC, and test ROC-AUC and positives when
    /// measured; then the means over the tags with a figure.</summary>
    public static string AucTable(TagHeadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        bool test = report.TestAuc is not null;
        var sb = new StringBuilder(test ? "| tag | train positives | validation ROC-AUC | test positives | test ROC-AUC |\n| --- | ---: | ---: | ---: | ---: |\n"
                                        : "| tag | train positives | validation ROC-AUC |\n| --- | ---: | ---: |\n");
        static string F(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "—";
        foreach (var (tag, positives) in report.Positives)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {tag} | {positives} | {F(report.ValidationAuc.GetValueOrDefault(tag))} |");
            if (test) sb.Append(CultureInfo.InvariantCulture, $" {report.TestPositives!.GetValueOrDefault(tag)} | {F(report.TestAuc!.GetValueOrDefault(tag))} |");
            sb.Append('\n');
        }
        var v = report.ValidationAuc.Values.OfType<double>().ToList();
        sb.Append(CultureInfo.InvariantCulture, $"mean validation ROC-AUC {F(v.Count > 0 ? v.Average() : null)} over {v.Count} tags");
        if (test)
        {
            var t = report.TestAuc!.Values.OfType<double>().ToList();
            sb.Append(CultureInfo.InvariantCulture, $"; mean test ROC-AUC {F(t.Count > 0 ? t.Average() : null)} over {t.Count} tags");
        }
        return sb.ToString();
    }

    // A track's place in [0, 1) for the seeded validation share: stable across runs and catalogs' orders.
    private static double Unit(long track, int seed) =>
        BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{track}"))) / 4294967296.0;
}
