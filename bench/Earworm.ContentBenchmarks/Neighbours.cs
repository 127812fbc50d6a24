using System.Globalization;
using Earworm.Catalog;
using Earworm.Learning.Numerics;
using Earworm.Recommend;

namespace Earworm.Benchmarks;

/// <summary>
/// The real-music proof without listening data: for every track of a catalog scanned from the Debian soundtracks
/// (../shared/data/fetch-debian-music.sh; manifest.csv names each file's soundtrack and composer), its K nearest
/// neighbours in the <c>audio</c> space, and the fraction of them from the same soundtrack and from the same composer,
/// beside the same figures for the <c>descriptors</c> space and for random neighbours (expected value, exact).
/// </summary>
internal static class Neighbours
{
    public static int Run(Args a)
    {
        var db = a.Get("--db") ?? throw new ArgumentException("--db CATALOG");
        var manifestPath = a.Get("--manifest") ?? "/work/debian-music/manifest.csv";
        int k = a.Int("--k", 10);
        var root = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var manifest = File.ReadLines(manifestPath).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => Path.GetFullPath(Path.Combine(root, f[0])), f => (Soundtrack: f[1], Composer: f[3]));
        using var catalog = CatalogStore.Open(db);
        var labels = new Dictionary<long, (string Soundtrack, string Composer)>();
        foreach (var t in catalog.ListTracks(TrackStatus.Analysed))
            if (manifest.TryGetValue(Path.GetFullPath(t.Path), out var l)) labels[t.Id] = l;

        var audio = catalog.LoadTrackVectors("audio");
        var ids = audio.Ids.Where(labels.ContainsKey).ToList();
        var rowOf = audio.Ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var audioNeighbours = ids.ToDictionary(id => id, id => ids.Where(o => o != id)
            .OrderByDescending(o => Simd.Dot(audio.Row(rowOf[id]), audio.Row(rowOf[o]))).Take(k).ToList());

        var descriptors = catalog.AllDescriptors().Where(kv => labels.ContainsKey(kv.Key) && ids.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var similarity = new DescriptorSimilarity(descriptors);
        var descriptorNeighbours = descriptors.Keys.ToDictionary(id => id,
            id => similarity.Similar(descriptors[id], k, o => o == id).Select(n => n.TrackId).ToList());

        Console.WriteLine($"{ids.Count} tracks of {labels.Values.Select(l => l.Soundtrack).Distinct().Count()} soundtracks, " +
                          $"{labels.Values.Select(l => l.Composer).Distinct().Count()} composers; {k} nearest neighbours each");
        Console.WriteLine("| space | same soundtrack | same composer |");
        Console.WriteLine("|---|---|---|");
        Report("audio", audioNeighbours, labels);
        if (descriptors.Count > 0) Report("descriptors", descriptorNeighbours, labels);
        // random: a uniformly random other track shares the label with probability (n_label − 1)/(n − 1)
        double RandomFraction(Func<(string, string), string> key) =>
            ids.Average(id => (double)(ids.Count(o => key(labels[o]) == key(labels[id])) - 1) / (ids.Count - 1));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| random (expected) | {RandomFraction(l => l.Item1):0.000} | {RandomFraction(l => l.Item2):0.000} |"));
        return 0;
    }

    private static void Report(string name, Dictionary<long, List<long>> neighbours, Dictionary<long, (string Soundtrack, string Composer)> labels)
    {
        double sameSoundtrack = neighbours.Average(kv => kv.Value.Average(o => labels[o].Soundtrack == labels[kv.Key].Soundtrack ? 1.0 : 0));
        double sameComposer = neighbours.Average(kv => kv.Value.Average(o => labels[o].Composer == labels[kv.Key].Composer ? 1.0 : 0));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {sameSoundtrack:0.000} | {sameComposer:0.000} |"));
    }
}
