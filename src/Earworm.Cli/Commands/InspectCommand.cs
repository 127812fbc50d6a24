using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Earworm.App;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Inspection;
using Earworm.Content.Network;
using Earworm.Learning.Numerics;
using Earworm.Learning.Projection;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Projection;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm inspect model --out DIR</c>: a t-SNE map of the <c>audio</c> space and, for chosen filters of
/// the first convolution and units of the last dense layer, the tracks that activate them most (Dieleman 2014).</summary>
internal static class InspectCommand
{
    private static readonly Option<string> Out = new("--out") { Description = "The folder to write into (created)", Required = true, HelpName = "DIR" };
    private static readonly Option<double> Perplexity = new("--perplexity") { Description = "t-SNE perplexity: about how many neighbours each track's map position respects (lowered to (n − 1)/3 for small libraries)", DefaultValueFactory = _ => 30.0 };
    private static readonly Option<int> Iterations = new("--iterations") { Description = "t-SNE gradient steps (the first 250 with early exaggeration 12)", DefaultValueFactory = _ => 1000 };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the map (PCA initialisation is deterministic; the seed breaks its ties)", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> Filters = new("--filters") { Description = "Filters of the first convolution to list, e.g. 0,5,17 (default: the --pick most selective: largest variance across tracks of their mean activation)", HelpName = "LIST" };
    private static readonly Option<string?> Units = new("--units") { Description = "Units of the last hidden dense layer to list (default: the --pick most selective)", HelpName = "LIST" };
    private static readonly Option<int> Pick = new("--pick") { Description = "How many filters and units to pick when --filters / --units are not given", DefaultValueFactory = _ => 8 };
    private static readonly Option<int> Count = new("--count", "-n") { Description = "Tracks per playlist", DefaultValueFactory = _ => 10 };
    private static readonly Option<string> Method = new("--method") { Description = "t-SNE: auto (exact up to 2 000 tracks, Barnes-Hut above), exact (van der Maaten & Hinton 2008; O(n²) memory), or barnes-hut (van der Maaten 2014; sparse P on 3 × perplexity neighbours, quadtree with θ --theta)", DefaultValueFactory = _ => "auto" };
    private static readonly Option<double> Theta = new("--theta") { Description = "Barnes-Hut's angle θ: smaller is closer to exact and slower", DefaultValueFactory = _ => 0.5 };
    private static readonly Option<string> ColourBy = new("--colour-by") { Description = "Map colours: album (the album tag, else the track's folder; default) or folder (the folder alone, for libraries whose album tags disagree within a folder)", DefaultValueFactory = _ => "album" };
    private static readonly Option<int> Threads = new("--threads") { Description = "Torch intra-op threads (default: every core)", DefaultValueFactory = _ => Environment.ProcessorCount };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var model = new Command("model", "Look inside the audio model (`earworm train audio`): writes into DIR map-audio.png (t-SNE of the " +
                                         "audio space, PCA-initialised: exact, van der Maaten & Hinton 2008, up to 2 000 tracks, else Barnes-Hut, van der Maaten " +
                                         "2014; coloured by album, else by folder), map-audio.json (track id, path, artist, title, album, " +
                                         "group, x, y; also written to catalog.models/map-audio.json for the web " +
                                         "app), and for chosen filters of the first convolution and units of the last dense layer an M3U8 " +
                                         "playlist of the tracks that activate each most, by maximum and by mean over time, with index.md " +
                                         "and index.html")
        {
            Out, Perplexity, Iterations, Seed, Method, Theta, ColourBy, Filters, Units, Pick, Count, Threads,
        };
        model.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            int threads = parse.GetValue(Threads), count = parse.GetValue(Count), pick = parse.GetValue(Pick);
            if (threads < 1) throw new UsageException("--threads must be at least 1");
            if (count < 1) throw new UsageException("--count must be at least 1");
            if (pick < 1) throw new UsageException("--pick must be at least 1");
            var tsne = new TsneOptions { Perplexity = parse.GetValue(Perplexity), Iterations = parse.GetValue(Iterations), Seed = parse.GetValue(Seed), Theta = parse.GetValue(Theta) };
            tsne = parse.GetValue(Method)!.ToLowerInvariant() switch
            {
                "auto" => tsne,
                "exact" => tsne with { Theta = 0 },
                "barnes-hut" or "bh" => tsne.Theta > 0 ? tsne with { ExactUpTo = 0 } : throw new UsageException("--method barnes-hut needs --theta above 0"),
                var other => throw new UsageException($"--method must be auto, exact or barnes-hut, not '{other}'"),
            };
            try { tsne.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            bool byFolder = parse.GetValue(ColourBy)!.ToLowerInvariant() switch
            {
                "album" => false,
                "folder" => true,
                var other => throw new UsageException($"--colour-by must be album or folder, not '{other}'"),
            };
            var outDir = Path.GetFullPath(parse.GetValue(Out)!);
            var dbPath = ctx.CatalogPath();
            using var catalog = ctx.OpenExistingCatalog();
            var record = catalog.CurrentModel(LibraryEmbedder.Space)
                ?? throw new PrerequisiteMissingException("the catalog has no audio model: run `earworm train audio` first");
            if (record.FilePath is null || !File.Exists(record.FilePath))
                throw new PrerequisiteMissingException($"the audio model's file is gone ({record.FilePath}): run `earworm train audio`");
            var filterList = ParseList(parse.GetValue(Filters), "--filters");
            var unitList = ParseList(parse.GetValue(Units), "--units");
            CheckUnits(AudioModelInfo.Load(Path.GetDirectoryName(record.FilePath)!).Network, filterList, unitList);
            Directory.CreateDirectory(outDir);
            var tracks = catalog.ListTracks(TrackStatus.Analysed).ToDictionary(t => t.Id);

            var map = await Task.Run(() => Map(ctx, catalog, record, tracks, tsne, byFolder, ct), ct).ConfigureAwait(false);
            var mapJson = Path.Combine(outDir, "map-audio.json");
            var mapPng = Path.Combine(outDir, "map-audio.png");
            var shared = LibraryMapFile.DefaultPath(CatalogStore.ModelFolderFor(dbPath), LibraryEmbedder.Space);
            map.Save(mapJson);
            map.Save(shared);
            LibraryMapPlot.Save(map.Points.Select(p => (p.X, p.Y, p.Group)).ToList(),
                string.Create(CultureInfo.InvariantCulture, $"t-SNE of the audio space ({record.Version}), perplexity {map.Perplexity:0.#}, {map.Points.Count} tracks"), mapPng);

            var folder = Path.GetDirectoryName(record.FilePath)!;
            var playlists = await Task.Run(() => Activations(ctx, dbPath, folder, tracks, filterList, unitList, pick, count, threads, outDir, ct), ct).ConfigureAwait(false);
            string title = $"Inside the audio model {record.Version}";
            File.WriteAllText(Path.Combine(outDir, "index.md"), InspectionIndex.Markdown(title, "map-audio.png", "map-audio.json", playlists), new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(outDir, "index.html"), InspectionIndex.Html(title, "map-audio.png", "map-audio.json", playlists), new UTF8Encoding(false));

            if (ctx.Json)
                ctx.WriteJson(new
                {
                    model = record.Version, folder = outDir, map = mapJson, mapPng, sharedMap = shared, tracks = map.Points.Count,
                    perplexity = map.Perplexity, klDivergence = map.KlDivergence, trustworthiness = map.Trustworthiness, neighbours = map.Neighbours,
                    playlists = playlists.Select(p => new { layer = p.Layer, unit = p.Unit, by = p.Statistic.ToString().ToLowerInvariant(), file = p.PlaylistFile, tracks = p.Tracks.Select(t => t.TrackId) }),
                });
            else
            {
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"map of {map.Points.Count} tracks: {mapPng} (KL {map.KlDivergence:0.000}, trustworthiness@{map.Neighbours} {map.Trustworthiness:0.000}); coordinates {mapJson} and {shared}"));
                ctx.Out.WriteLine($"{playlists.Count} playlists ({string.Join(", ", playlists.Select(p => p.Layer).Distinct())}); index {Path.Combine(outDir, "index.html")}");
            }
            return ExitCodes.Ok;
        });
        var cmd = new Command("inspect", "Look inside what Earworm learned") { model };
        return cmd;
    }

    /// <summary>Refuses filters and units the network does not have (before anything is written).</summary>
    private static void CheckUnits(AudioNetworkOptions o, int[]? filterList, int[]? unitList)
    {
        foreach (var (chosen, units, layer, option) in new[] { (filterList, o.Channels[0], "conv1", "--filters"),
                     (unitList, o.Dense.Length > 0 ? o.Dense[^1] : o.OutputDims, o.Dense.Length > 0 ? $"dense{o.Dense.Length}" : "output", "--units") })
            if (chosen?.Where(u => u >= units).Select(u => (int?)u).FirstOrDefault() is { } bad)
                throw new UsageException($"{option}: {layer} has {units} units (0 to {units - 1}), not {bad}");
    }

    private static int[]? ParseList(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var list = new List<int>();
        foreach (var p in parts)
        {
            if (!int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int u) || u < 0)
                throw new UsageException($"{option} takes unit numbers from 0, separated by commas, not '{value}'");
            list.Add(u);
        }
        return list.Distinct().ToArray();
    }

    /// <summary>t-SNE of the unit-normalised audio vectors (Euclidean distance between unit vectors ranks as cosine).</summary>
    private static LibraryMapFile Map(CliContext ctx, ICatalog catalog, ModelRecord record, Dictionary<long, TrackRecord> tracks, TsneOptions options, bool byFolder, CancellationToken ct)
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
        ctx.Err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"earworm: t-SNE ({(options.Theta == 0 || n <= options.ExactUpTo ? "exact" : "Barnes-Hut")}) of {n} tracks in {clock.Elapsed.TotalSeconds:0.0} s"));
        var scaled = LibraryMapFile.Scale(result.X, result.Y);
        var mapped = rows.Select(r => tracks[vectors.Ids[r]]).ToList();
        var groups = MapTrack.Groups(mapped.Select(t => (t.Path, t.Album)), byFolder);
        var points = mapped.Select((t, r) => new MapTrack(t.Id, t.Path, t.Artist, t.Title, t.Album, groups[r], scaled[r].X, scaled[r].Y)).ToList();
        var method = options.Theta == 0 || n <= options.ExactUpTo ? "tsne" : "tsne-barnes-hut";
        return new LibraryMapFile(LibraryEmbedder.Space, method, record.Version, Math.Round(result.Perplexity, 3), options.Seed,
            Math.Round(result.KlDivergence, 5), Math.Round(trust, 5), n >= 3 ? k10 : 0, DateTimeOffset.UtcNow, points);
    }

    private static List<FilterPlaylist> Activations(CliContext ctx, string dbPath, string modelFolder, Dictionary<long, TrackRecord> tracks,
        int[]? filterList, int[]? unitList, int pick, int count, int threads, string outDir, CancellationToken ct)
    {
        using var network = ModelInspector.LoadNetwork(modelFolder, threads);
        var store = new ExcerptStore(ExcerptStore.DefaultFor(dbPath));
        var (bank, skipped) = WindowBank.Load(store, tracks.Values.OrderBy(t => t.Id), network.Options.MelBands, cancellationToken: ct);
        if (bank.Count == 0) throw new PrerequisiteMissingException("no track has cached excerpts: run `earworm scan` first");
        if (skipped > 0) ctx.Err.WriteLine($"earworm: {skipped} track(s) without cached excerpts left out of the activations");
        var clock = Stopwatch.StartNew();
        var progress = new InlineProgress<(int Done, int Total)>(p =>
        {
            if (clock.Elapsed.TotalSeconds < 10 && p.Done != p.Total) return;
            clock.Restart();
            ctx.Err.WriteLine($"  activations: {p.Done}/{p.Total} tracks");
        });
        var (first, last) = ModelInspector.Run(network, bank, progress: progress, cancellationToken: ct);
        var result = new List<FilterPlaylist>();
        foreach (var (layer, chosen) in new[] { (first, filterList), (last, unitList) })
        {
            foreach (var unit in chosen ?? layer.MostSelective(pick))
                foreach (var statistic in new[] { ActivationStatistic.Max, ActivationStatistic.Mean })
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
                    result.Add(new FilterPlaylist(layer.Layer, unit, statistic, file, top));
                }
        }
        return result;
    }
}
