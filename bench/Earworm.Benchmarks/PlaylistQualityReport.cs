using System.Globalization;
using System.Text;
using Earworm.App;
using Earworm.App.Playlists;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;

namespace Earworm.Benchmarks;

/// <summary>
/// <c>playlists --db CATALOG --music DIR [--seeds 30] [--length 20] [--walk 10] [--seed 1] [--out FILE.md]</c>: the quality
/// of the playlists on a scanned library whose <c>DIR/manifest.csv</c> says each file's soundtrack and composer (the
/// Debian game-music set of <c>../shared/data/fetch-debian-music.sh</c>).
/// <para>Keep playing: playlists of <c>--length</c> from <c>--seeds</c> random seed tracks, for every space with vectors
/// and for <c>--drunk</c> 0, 0.1 and 0.3: the mean cosine of consecutive tracks (in that space), the fraction of the
/// tracks after the seed that come from the seed's soundtrack, the number of distinct composers, and repeats (the same
/// track, content or artist+title twice; must be 0); beside random playlists from the same seeds.</para>
/// <para>Join the dots: walks of <c>--walk</c> tracks between random pairs from different soundtracks: the mean cosine
/// of each step to the next (smoothness) against the same tracks between the same ends in 20 random orders.</para>
/// </summary>
internal static class PlaylistQualityReport
{
    private static readonly double[] DrunkLevels = [0, 0.1, 0.3];

    public static async Task<int> RunAsync(string[] args)
    {
        var a = new Args(args);
        var db = a.Get("--db") ?? throw new ArgumentException("--db CATALOG is required");
        var music = Path.GetFullPath(a.Get("--music") ?? throw new ArgumentException("--music DIR (with manifest.csv) is required"));
        int seedsCount = a.Int("--seeds", 30), length = a.Int("--length", 20), walk = a.Int("--walk", 10), seed = a.Int("--seed", 1);
        using var app = new EarwormServices(new CatalogLocation(db), new ServiceOptions { EmbedWithAudioModel = false });
        var service = app.Playlists;
        var view = app.Library.Current;
        var manifest = ReadManifest(Path.Combine(music, "manifest.csv"));
        var tags = new Dictionary<long, (string Soundtrack, string Composer)>();
        foreach (var f in view.Facts.Values)
        {
            var rel = Path.GetRelativePath(music, f.Path).Replace('\\', '/');
            if (manifest.TryGetValue(rel, out var m)) tags[f.Id] = m;
        }
        var known = tags.Keys.Order().ToList();
        var rng = new Random(seed);
        var seeds = known.OrderBy(_ => rng.Next()).Take(seedsCount).ToList();
        var spaces = SpaceService.Names.Where(view.AvailableSpaces.Contains).ToList();
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# Playlist quality on {Path.GetFileName(music)}: {known.Count} tracks with a soundtrack, " +
                           $"{tags.Values.Select(t => t.Soundtrack).Distinct().Count()} soundtracks, {tags.Values.Select(t => t.Composer).Distinct().Count()} composers");
        md.AppendLine();
        md.AppendLine(inv, $"Spaces with vectors: {string.Join(", ", spaces)}. Seeds: {seeds.Count} tracks drawn with seed {seed}; playlists of {length}.");
        md.AppendLine();
        md.AppendLine("## Keep playing");
        md.AppendLine();
        md.AppendLine("| space | drunk | mean cosine of consecutive tracks | from the seed's soundtrack | distinct composers | repeats |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var space in spaces)
        {
            var vectors = view.Space(space).Vectors;
            foreach (var drunk in DrunkLevels)
            {
                var stats = new List<(double Cos, double Same, int Composers, int Repeats)>();
                for (int i = 0; i < seeds.Count; i++)
                {
                    var p = await service.KeepPlayingAsync(new KeepPlayingRequest
                    {
                        Seeds = [seeds[i].ToString(inv)], Space = space, Length = length, Drunk = drunk, SeedRandom = i,
                    });
                    stats.Add(Measure(p.Entries.Select(e => e.TrackId).ToList(), vectors, tags, view.Facts));
                }
                md.AppendLine(inv, $"| {space} | {drunk:0.0} | {stats.Average(s => s.Cos):0.000} | {stats.Average(s => s.Same):0.000} | " +
                                   $"{stats.Average(s => s.Composers):0.0} | {stats.Sum(s => s.Repeats)} |");
            }
            var random = new List<(double Cos, double Same, int Composers, int Repeats)>();
            var rr = new Random(seed + 1);
            foreach (var s in seeds)
                random.Add(Measure([s, .. known.Where(id => id != s).OrderBy(_ => rr.Next()).Take(length - 1)], vectors, tags, view.Facts));
            md.AppendLine(inv, $"| {space}: random tracks | — | {random.Average(s => s.Cos):0.000} | {random.Average(s => s.Same):0.000} | " +
                               $"{random.Average(s => s.Composers):0.0} | {random.Sum(s => s.Repeats)} |");
            Console.Error.WriteLine($"keep playing: {space} done");
        }

        md.AppendLine();
        md.AppendLine("## Join the dots");
        md.AppendLine();
        md.AppendLine(inv, $"Walks of {walk} tracks between {seeds.Count} random pairs of tracks from different soundtracks. Smoothness: the mean cosine of each track to the next; against the same tracks, the same two ends, in 20 random orders.");
        md.AppendLine();
        md.AppendLine("| space | smoothness (walk) | smoothness (random order) | walks smoother than their random orders | weakest step (walk, mean) | weakest step (random, mean) |");
        md.AppendLine("|---|---|---|---|---|---|");
        var pr = new Random(seed + 2);
        var pairs = new List<(long, long)>();
        while (pairs.Count < seeds.Count)
        {
            long x = known[pr.Next(known.Count)], y = known[pr.Next(known.Count)];
            if (tags[x].Soundtrack != tags[y].Soundtrack) pairs.Add((x, y));
        }
        foreach (var space in spaces)
        {
            var vectors = view.Space(space).Vectors;
            double walkSum = 0, randomSum = 0, walkMin = 0, randomMin = 0;
            int smoother = 0;
            var shuffle = new Random(seed + 3);
            foreach (var (x, y) in pairs)
            {
                var p = await service.JoinTheDotsAsync(new JoinTheDotsRequest { From = x.ToString(inv), To = y.ToString(inv), Length = walk, Space = space });
                var ids = p.Entries.Select(e => e.TrackId).ToList();
                var (mean, min) = Smoothness(ids, vectors);
                double rMean = 0, rMin = 0;
                for (int k = 0; k < 20; k++)
                {
                    var middle = ids.Skip(1).SkipLast(1).OrderBy(_ => shuffle.Next()).ToList();
                    var (m, mn) = Smoothness([ids[0], .. middle, ids[^1]], vectors);
                    rMean += m / 20;
                    rMin += mn / 20;
                }
                walkSum += mean; randomSum += rMean; walkMin += min; randomMin += rMin;
                if (mean > rMean) smoother++;
            }
            int n = pairs.Count;
            md.AppendLine(inv, $"| {space} | {walkSum / n:0.000} | {randomSum / n:0.000} | {smoother}/{n} | {walkMin / n:0.000} | {randomMin / n:0.000} |");
            Console.Error.WriteLine($"join the dots: {space} done");
        }
        md.AppendLine();
        md.AppendLine("Cosines are in each space's own vectors (for `descriptors`, the z-scored weighted descriptor vectors; its search is Euclidean).");
        Console.Write(md.ToString());
        if (a.Get("--out") is { } outFile) await File.WriteAllTextAsync(outFile, md.ToString());
        return 0;
    }

    private static (double Cos, double Same, int Composers, int Repeats) Measure(List<long> ids, VectorSpace space,
        Dictionary<long, (string Soundtrack, string Composer)> tags, IReadOnlyDictionary<long, TrackFacts> facts)
    {
        var (cos, _) = Smoothness(ids, space);
        var soundtrack = tags[ids[0]].Soundtrack;
        double same = ids.Skip(1).Count(id => tags.TryGetValue(id, out var t) && t.Soundtrack == soundtrack) / (double)Math.Max(1, ids.Count - 1);
        int composers = ids.Select(id => tags.TryGetValue(id, out var t) ? t.Composer : "?").Distinct().Count();
        int repeats = ids.Count - ids.Distinct().Count()
                      + ids.Count - ids.Select(id => facts[id].ContentHash ?? id.ToString(CultureInfo.InvariantCulture)).Distinct().Count()
                      + ids.Count - ids.Select(id => facts[id].Identity ?? id.ToString(CultureInfo.InvariantCulture)).Distinct().Count();
        return (cos, same, composers, repeats);
    }

    private static (double Mean, double Min) Smoothness(List<long> ids, VectorSpace space)
    {
        var steps = ids.Zip(ids.Skip(1)).Select(p => (double)VectorSpace.Cosine(space.VectorOf(p.First), space.VectorOf(p.Second))).ToList();
        return steps.Count == 0 ? (0, 0) : (steps.Average(), steps.Min());
    }

    /// <summary>path → (soundtrack, composer) from the manifest (a header, then RFC 4180 rows).</summary>
    private static Dictionary<string, (string, string)> ReadManifest(string file)
    {
        var rows = File.ReadAllLines(file).Select(Fields).ToList();
        int path = rows[0].IndexOf("path"), soundtrack = rows[0].IndexOf("soundtrack"), composer = rows[0].IndexOf("composer");
        return rows.Skip(1).Where(r => r.Count > composer).ToDictionary(r => r[path], r => (r[soundtrack], r[composer]), StringComparer.Ordinal);
    }

    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
