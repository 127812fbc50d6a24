using System.Diagnostics;
using System.Globalization;
using System.Text;
using Earworm.Catalog;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Inspection;
using Earworm.Content.Network;
using Earworm.Learning.Numerics;
using Earworm.Learning.Projection;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Projection;

namespace Earworm.App.Inspect;

/// <summary><c>inspect model</c> as a front end asks for it.</summary>
/// <param name="OutputFolder">Where the map, the playlists and the index go (created).</param>
/// <param name="ByFolder">Colour the map by folder only (else album, then folder).</param>
/// <param name="Filters">Filters of the first convolution to list; null: the <paramref name="Pick"/> most selective.</param>
/// <param name="Units">Units of the last hidden dense layer to list; null: the <paramref name="Pick"/> most selective.</param>
/// <param name="Count">Tracks per playlist.</param>
public sealed record InspectionRequest(string OutputFolder, TsneOptions Tsne, bool ByFolder = false, IReadOnlyList<int>? Filters = null,
    IReadOnlyList<int>? Units = null, int Pick = 8, int Count = 10, int Threads = 1);

/// <summary>What <c>inspect model</c> wrote: the map (and where), the playlists of the units, the index.</summary>
public sealed record InspectionResult(string ModelVersion, LibraryMapFile Map, string MapJson, string MapPng, string SharedMap,
    IReadOnlyList<FilterPlaylist> Playlists, string Index);

/// <summary>
/// Looks inside the catalog's audio model (Dieleman 2014): a t-SNE map of the <c>audio</c> space (<see cref="Tsne"/>, on
/// the unit vectors, with its trustworthiness), also written beside the catalog for the web app, and for chosen filters of
/// the first convolution and units of the last dense layer the tracks that activate each most, as M3U8 playlists.
/// </summary>
public sealed class ModelInspection(CatalogLocation location)
{
    /// <param name="say">What takes time (the t-SNE, tracks left out), and the activations' progress every 10 s.</param>
    /// <exception cref="PrerequisiteMissingException">no audio model, its file gone, no space or excerpts to map.</exception>
    /// <exception cref="UsageException">a filter or unit the network does not have, or a bad option.</exception>
    public InspectionResult Run(InspectionRequest request, IProgress<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(say);
        Validate(request);
        using var catalog = location.OpenExisting();
        var record = catalog.CurrentModel(LibraryEmbedder.Space)
            ?? throw new PrerequisiteMissingException("the catalog has no audio model: run `earworm train audio` first");
        if (record.FilePath is null || !File.Exists(record.FilePath))
            throw new PrerequisiteMissingException($"the audio model's file is gone ({record.FilePath}): run `earworm train audio`");
        var folder = Path.GetDirectoryName(record.FilePath)!;
        CheckUnits(AudioModelInfo.Load(folder).Network, request.Filters, request.Units);
        var outDir = Path.GetFullPath(request.OutputFolder);
        Directory.CreateDirectory(outDir);
        var tracks = catalog.ListTracks(TrackStatus.Analysed).ToDictionary(t => t.Id);

        var map = Map(catalog, record, tracks, request.Tsne, request.ByFolder, say, cancellationToken);
        var (mapJson, mapPng) = (Path.Combine(outDir, "map-audio.json"), Path.Combine(outDir, "map-audio.png"));
        var shared = LibraryMapFile.DefaultPath(location.ModelFolder, LibraryEmbedder.Space);
        map.Save(mapJson);
        map.Save(shared);
        LibraryMapPlot.Save(map.Points.Select(p => (p.X, p.Y, p.Group)).ToList(),
            string.Create(CultureInfo.InvariantCulture, $"t-SNE of the audio space ({record.Version}), perplexity {map.Perplexity:0.#}, {map.Points.Count} tracks"), mapPng);

        var playlists = Activations(folder, tracks, request, outDir, say, cancellationToken);
        string title = $"Inside the audio model {record.Version}";
        var index = Path.Combine(outDir, "index.html");
        File.WriteAllText(Path.Combine(outDir, "index.md"), InspectionIndex.Markdown(title, "map-audio.png", "map-audio.json", playlists), new UTF8Encoding(false));
        File.WriteAllText(index, InspectionIndex.Html(title, "map-audio.png", "map-audio.json", playlists), new UTF8Encoding(false));
        return new InspectionResult(record.Version, map, mapJson, mapPng, shared, playlists, index);
    }

    private static void Validate(InspectionRequest r)
    {
        if (r.Threads < 1) throw new UsageException("--threads must be at least 1");
        if (r.Count < 1) throw new UsageException("--count must be at least 1");
        if (r.Pick < 1) throw new UsageException("--pick must be at least 1");
        try { r.Tsne.Validate(); }
        catch (ArgumentException e) { throw UsageException.From(e); }
    }

    /// <summary>Refuses filters and units the network does not have (before anything is written).</summary>
    private static void CheckUnits(AudioNetworkOptions o, IReadOnlyList<int>? filterList, IReadOnlyList<int>? unitList)
    {
        foreach (var (chosen, units, layer, option) in new[] { (filterList, o.Channels[0], "conv1", "--filters"),
                     (unitList, o.Dense.Length > 0 ? o.Dense[^1] : o.OutputDims, o.Dense.Length > 0 ? $"dense{o.Dense.Length}" : "output", "--units") })
            if (chosen?.Where(u => u >= units).Select(u => (int?)u).FirstOrDefault() is { } bad)
                throw new UsageException($"{option}: {layer} has {units} units (0 to {units - 1}), not {bad}");
    }

    /// <summary>t-SNE of the unit-normalised audio vectors (Euclidean distance between unit vectors ranks as cosine).</summary>
    private static LibraryMapFile Map(ICatalog catalog, ModelRecord record, Dictionary<long, TrackRecord> tracks, TsneOptions options, bool byFolder,
        IProgress<string> say, CancellationToken ct)
    {
        var vectors = catalog.LoadTrackVectors(LibraryEmbedder.Space);
        var rows = Enumerable.Range(0, vectors.Count).Where(i => tracks.ContainsKey(vectors.Ids[i])).ToList();
        if (rows.Count < 2) throw new PrerequisiteMissingException($"the audio space holds {rows.Count} track(s): a map needs two; run `earworm embed`");
        int n = rows.Count, d = vectors.Dims;
        var data = new float[n * d];
        for (int r = 0; r < n; r++) VectorNorm.WriteScaledUnit(vectors.Row(rows[r]), 1, data.AsSpan(r * d, d));
        var clock = Stopwatch.StartNew();
        var result = Tsne.Embed(data, n, d, options, null, ct);
        int k10 = Math.Min(10, (2 * n - 2) / 3);
        double trust = n >= 3 && k10 >= 1 ? Trustworthiness.Compute(data, n, d, result.X, result.Y, k10, maxQueries: 2000) : 1;
        bool exact = options.Theta == 0 || n <= options.ExactUpTo;
        say.Report(string.Create(CultureInfo.InvariantCulture, $"t-SNE ({(exact ? "exact" : "Barnes-Hut")}) of {n} tracks in {clock.Elapsed.TotalSeconds:0.0} s"));
        var scaled = LibraryMapFile.Scale(result.X, result.Y);
        var mapped = rows.Select(r => tracks[vectors.Ids[r]]).ToList();
        var groups = MapTrack.Groups(mapped.Select(t => (t.Path, t.Album)), byFolder);
        var points = mapped.Select((t, r) => new MapTrack(t.Id, t.Path, t.Artist, t.Title, t.Album, groups[r], scaled[r].X, scaled[r].Y)).ToList();
        return new LibraryMapFile(LibraryEmbedder.Space, exact ? "tsne" : "tsne-barnes-hut", record.Version, Math.Round(result.Perplexity, 3), options.Seed,
            Math.Round(result.KlDivergence, 5), Math.Round(trust, 5), n >= 3 ? k10 : 0, DateTimeOffset.UtcNow, points);
    }

    /// <summary>For each chosen unit, the tracks that activate it most by maximum and by mean, written as playlists.</summary>
    private List<FilterPlaylist> Activations(string modelFolder, Dictionary<long, TrackRecord> tracks, InspectionRequest request, string outDir,
        IProgress<string> say, CancellationToken ct)
    {
        using var network = ModelInspector.LoadNetwork(modelFolder, request.Threads);
        var (bank, skipped) = WindowBank.Load(location.Excerpts, tracks.Values.OrderBy(t => t.Id), network.Options.MelBands, cancellationToken: ct);
        if (bank.Count == 0) throw new PrerequisiteMissingException("no track has cached excerpts: run `earworm scan` first");
        if (skipped > 0) say.Report($"{skipped} track(s) without cached excerpts left out of the activations");
        var clock = Stopwatch.StartNew();
        var progress = new InlineProgress<(int Done, int Total)>(p =>
        {
            if (clock.Elapsed.TotalSeconds < 10 && p.Done != p.Total) return;
            clock.Restart();
            say.Report($"  activations: {p.Done}/{p.Total} tracks");
        });
        var (first, last) = ModelInspector.Run(network, bank, progress: progress, cancellationToken: ct);
        var result = new List<FilterPlaylist>();
        foreach (var (layer, chosen) in new[] { (first, request.Filters), (last, request.Units) })
            foreach (var unit in chosen ?? layer.MostSelective(request.Pick))
                foreach (var statistic in new[] { ActivationStatistic.Max, ActivationStatistic.Mean })
                    result.Add(UnitPlaylist(layer, unit, statistic, tracks, request.Count, outDir));
        return result;
    }

    private static FilterPlaylist UnitPlaylist(LayerActivations layer, int unit, ActivationStatistic statistic, Dictionary<long, TrackRecord> tracks,
        int count, string outDir)
    {
        var top = layer.Top(unit, statistic, count).Select(e =>
        {
            var t = tracks[e.TrackId];
            return new FilterTrack(t.Id, t.Path, t.Artist, t.Title, t.Album, e.Value);
        }).ToList();
        var file = FilterPlaylist.FileName(layer.Layer, unit, statistic);
        var entries = top.Select((t, i) => new PlaylistEntry(i + 1, t.TrackId, t.Path, t.Artist, t.Title, tracks[t.TrackId].DurationSeconds,
            "activation", t.Value, null, null, null, null, [])).ToList();
        PlaylistWriter.Write(new PlaylistResult($"{layer.Layer} unit {unit} by {statistic.ToString().ToLowerInvariant()} activation", LibraryEmbedder.Space,
            "the audio model's units", entries, [], []), Path.Combine(outDir, file));
        return new FilterPlaylist(layer.Layer, unit, statistic, file, top);
    }
}
