using System.CommandLine;
using System.Globalization;
using Earworm.App;
using Earworm.App.Inspect;
using Earworm.Learning.Projection;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm inspect model DIR</c> (or <c>--out DIR</c>): a t-SNE map of the <c>audio</c> space and, for chosen filters of
/// the first convolution and units of the last dense layer, the tracks that activate them most (Dieleman 2014).</summary>
internal static class InspectCommand
{
    private static readonly Argument<string?> Dir = new("DIR") { Description = "The folder to write into (created)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> Out = new("--out") { Description = "The folder to write into, as DIR", HelpName = "DIR" };
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
            Dir, Out, Perplexity, Iterations, Seed, Method, Theta, ColourBy, Filters, Units, Pick, Count, Threads,
        };
        model.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var tsne = new TsneOptions { Perplexity = parse.GetValue(Perplexity), Iterations = parse.GetValue(Iterations), Seed = parse.GetValue(Seed), Theta = parse.GetValue(Theta) };
            tsne = parse.GetValue(Method)!.ToLowerInvariant() switch
            {
                "auto" => tsne,
                "exact" => tsne with { Theta = 0 },
                "barnes-hut" or "bh" => tsne.Theta > 0 ? tsne with { ExactUpTo = 0 } : throw new UsageException("--method barnes-hut needs --theta above 0"),
                var other => throw new UsageException($"--method must be auto, exact or barnes-hut, not '{other}'"),
            };
            bool byFolder = parse.GetValue(ColourBy)!.ToLowerInvariant() switch
            {
                "album" => false,
                "folder" => true,
                var other => throw new UsageException($"--colour-by must be album or folder, not '{other}'"),
            };
            var folder = (parse.GetValue(Dir), parse.GetValue(Out)) switch
            {
                ({ } dir, null) => dir,
                (null, { } o) => o,
                (null, null) => throw new UsageException("inspect model needs the folder to write into: earworm inspect model DIR"),
                var (dir, o) => dir == o ? dir : throw new UsageException($"give the folder once: DIR ({dir}) or --out ({o}), not both"),
            };
            var request = new InspectionRequest(folder, tsne, byFolder, ParseList(parse.GetValue(Filters), "--filters"),
                ParseList(parse.GetValue(Units), "--units"), parse.GetValue(Pick), parse.GetValue(Count), parse.GetValue(Threads));
            var say = new InlineProgress<string>(m => ctx.Err.WriteLine(m.StartsWith(' ') ? m : $"earworm: {m}"));
            var r = await Task.Run(() => new ModelInspection(ctx.Location).Run(request, say, ct), ct).ConfigureAwait(false);
            var map = r.Map;
            if (ctx.Json)
                ctx.WriteJson(new
                {
                    model = r.ModelVersion, folder = Path.GetDirectoryName(r.Index), map = r.MapJson, mapPng = r.MapPng, sharedMap = r.SharedMap, tracks = map.Points.Count,
                    perplexity = map.Perplexity, klDivergence = map.KlDivergence, trustworthiness = map.Trustworthiness, neighbours = map.Neighbours,
                    playlists = r.Playlists.Select(p => new { layer = p.Layer, unit = p.Unit, by = p.Statistic.ToString().ToLowerInvariant(), file = p.PlaylistFile, tracks = p.Tracks.Select(t => t.TrackId) }),
                });
            else
            {
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"map of {Counted.Of(map.Points.Count, "track")}: {r.MapPng} (KL {map.KlDivergence:0.000}, trustworthiness@{map.Neighbours} {map.Trustworthiness:0.000}); coordinates {r.MapJson} and {r.SharedMap}"));
                ctx.Out.WriteLine($"{Counted.Of(r.Playlists.Count, "playlist")} ({string.Join(", ", r.Playlists.Select(p => p.Layer).Distinct())}); index {r.Index}");
            }
            return ExitCodes.Ok;
        });
        var cmd = new Command("inspect", "Look inside what Earworm learned") { model };
        return cmd;
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
}
