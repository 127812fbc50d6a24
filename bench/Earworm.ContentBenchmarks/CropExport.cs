using System.Globalization;
using Earworm.Benchmarks;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Native;
using Earworm.Content.Pretraining;

/// <summary>
/// <c>crops --db CATALOG --corpus DIR --encoder MODEL_DIR --out PREFIX [--windows 6]</c>: every corpus track's crop
/// vectors at the encoder's layer (unit per crop, before any standardisation), for read-out experiments outside
/// Earworm (how crops become a track vector, whitening): PREFIX.tsv (track, soundtrack, package, composer, crops) and
/// PREFIX.f32 (the crops' vectors, float32, row after row).
/// </summary>
internal static class CropExport
{
    public static int Run(Args a)
    {
        var db = a.Get("--db") ?? throw new ArgumentException("--db CATALOG");
        var corpus = a.Get("--corpus") ?? throw new ArgumentException("--corpus DIR");
        var encoder = a.Get("--encoder") ?? throw new ArgumentException("--encoder MODEL_DIR");
        var prefix = a.Get("--out") ?? throw new ArgumentException("--out PREFIX");
        int windows = a.Int("--windows", 6);
        TorchRuntime.EnsureLoaded(a.Int("--threads", 2));
        var manifest = CorpusManifest.Read(corpus);
        using var catalog = CatalogStore.Open(db);
        var byPath = catalog.ListTracks(TrackStatus.Analysed).ToDictionary(t => Path.GetFullPath(t.Path));
        var rows = manifest.Where(m => byPath.ContainsKey(m.Path)).ToList();
        var (bank, _) = WindowBank.Load(new ExcerptStore(ExcerptStore.DefaultFor(db)), rows.Select(r => byPath[r.Path]));
        var rowOf = rows.ToDictionary(r => byPath[r.Path].Id);
        var even = bank.EvenWindows(windows);
        var folder = Path.GetFullPath(encoder);
        var info = AudioModelInfo.Load(folder);
        var raw = Path.Combine(Path.GetTempPath(), "earworm-crops-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(raw);
        File.Copy(Path.Combine(folder, AudioModelInfo.WeightsFile), Path.Combine(raw, AudioModelInfo.WeightsFile));
        (info with { Readout = Readout.Raw, ReadoutDims = 0 }).Save(raw);
        using var embedder = AudioEmbedder.Load(raw);
        using var tsv = new StreamWriter(prefix + ".tsv");
        using var bin = new BinaryWriter(File.Create(prefix + ".f32"));
        tsv.WriteLine("track\tsoundtrack\tpackage\tcomposer\tcrops\tdims");
        for (int t = 0; t < even.Count; t++)
        {
            var vectors = embedder.WindowVectors(even, t);
            var r = rowOf[even.TrackIds[t]];
            tsv.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{even.TrackIds[t]}\t{r.Soundtrack}\t{r.Package}\t{r.Composer}\t{vectors.Count}\t{embedder.Dims}"));
            foreach (var v in vectors) foreach (var x in v) bin.Write(x);
        }
        Directory.Delete(raw, recursive: true);
        Console.WriteLine($"{even.Count} tracks' crops at {info.Layer} ({embedder.Dims} dimensions) → {prefix}.tsv, {prefix}.f32");
        return 0;
    }
}
