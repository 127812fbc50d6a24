using System.Diagnostics;
using System.Globalization;
using Earworm.Audio.Descriptors;
using Earworm.Benchmarks;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Content.Data;
using Earworm.Content.Embedding;
using Earworm.Content.Native;
using Earworm.Content.Pretraining;
using Earworm.Evaluation.ColdStart;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Learning;
using Earworm.Learning.Baselines;
using Earworm.Learning.Factorization;
using Earworm.Learning.Numerics;

/// <summary>
/// The cold-start experiment on real music (<c>coldstart --music DIR</c>): the tracks of a corpus folder (its
/// manifest names each file's soundtrack and package; <c>--packages</c> keeps some packages only: those the encoder
/// never trained on), simulated listeners whose tastes follow soundtracks (<see cref="LabelListeners"/>), 20 % of the
/// tracks held out with all their plays, ALS on the rest, and the held-out tracks' factors predicted from content by
/// regression (hyper-parameters by 5-fold cross-validation on the training tracks: <c>--regression</c> for audio, by
/// default the recommend bridge's; <c>--descriptor-regression</c>, by default ridge) from: <c>audio</c> (the encoder's embedding, <c>--encoder DIR</c>:
/// a model folder), <c>descriptors</c>, <c>audio+descriptors</c> (both, concatenated); beside random and the true
/// factors. The folder must have been scanned into <c>--db</c> first (<c>earworm --db C scan DIR</c>).
/// </summary>
internal static class MusicColdStart
{
    public static int Run(Args a)
    {
        var c = CultureInfo.InvariantCulture;
        var music = a.Get("--music") ?? throw new ArgumentException("--music DIR");
        var db = a.Get("--db") ?? throw new ArgumentException("--db CATALOG (where --music was scanned)");
        var encoderFolder = a.Get("--encoder") ?? throw new ArgumentException("--encoder MODEL_FOLDER");
        int threads = a.Int("--threads", Environment.ProcessorCount), seeds = a.Int("--seeds", 3), factors = a.Int("--factors", 16);
        var packages = a.Get("--packages")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var clock = Stopwatch.StartNew();

        var manifest = CorpusManifest.Read(music).Where(t => packages is null || packages.Contains(t.Package)).ToList();
        using var catalog = CatalogStore.Open(db);
        var byPath = catalog.ListTracks(TrackStatus.Analysed).ToDictionary(t => Path.GetFullPath(t.Path));
        var descriptorsOf = catalog.AllDescriptors();
        var rows = manifest.Where(m => byPath.TryGetValue(m.Path, out var t) && descriptorsOf.ContainsKey(t.Id)).ToList();
        var (bank, skipped) = WindowBank.Load(new ExcerptStore(ExcerptStore.DefaultFor(db)), rows.Select(r => byPath[r.Path]));
        var rowOf = rows.ToDictionary(r => byPath[r.Path].Id);
        var tracks = bank.TrackIds.Select(id => rowOf[id]).ToList();
        Console.Error.WriteLine($"{tracks.Count} tracks of {tracks.Select(t => t.Soundtrack).Distinct().Count()} soundtracks " +
                                $"({skipped} without excerpts; {manifest.Count - rows.Count} of the manifest not analysed)");

        TorchRuntime.EnsureLoaded(threads);
        float[][] embedded;
        // --windows N: each track read through N of its 10 s windows spread over it, as a library's 60 s excerpt cache holds
        int windows = a.Int("--windows", 0);
        // --vectors DIR: the embedding of these tracks by this encoder through this many windows, kept between runs that
        // compare regressions (a file per encoder folder and window count)
        string? cache = null;
        if (a.Get("--vectors") is { } vectorsDir)
        {
            Directory.CreateDirectory(vectorsDir);
            var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{Path.GetFullPath(encoderFolder)}|{windows}")))[..16];
            cache = Path.Combine(vectorsDir, $"embedding-{key}.txt");
        }
        if (cache is not null && File.Exists(cache) && ReadVectors(cache, bank.TrackIds) is { } cached) embedded = cached;
        else
        {
            using (var embedder = AudioEmbedder.Load(encoderFolder, null, threads))
                embedded = EncoderTraining.Embed(embedder, windows > 0 ? bank.EvenWindows(windows) : bank);
            if (cache is not null) WriteVectors(cache, bank.TrackIds, embedded);
        }
        // --by-window: the audio regression learns from each 10 s window of a training track (its crops' mean) and a cold
        // track's prediction is the mean over its windows (van den Oord et al. 2013 averaged clip predictions the same way)
        float[][][]? windowVectors = null;
        if (a.Has("--by-window"))
        {
            var wcache = cache is null ? null : cache + ".windows";
            if (wcache is not null && File.Exists(wcache) && ReadWindowVectors(wcache, bank.TrackIds) is { } wc) windowVectors = wc;
            else
            {
                using var embedder = AudioEmbedder.Load(encoderFolder, null, threads);
                var wb = windows > 0 ? bank.EvenWindows(windows) : bank;
                windowVectors = new float[wb.Count][][];
                for (int t = 0; t < wb.Count; t++)
                {
                    var crops = embedder.WindowVectors(wb, t);
                    var perWindow = new List<float[]>();
                    int at = 0;
                    for (int w = 0; w < wb.WindowCount(t); w++)
                    {
                        int n = WindowBank.CropStarts(wb.FramesOf(t, w), embedder.Info.Network.Frames, embedder.Info.CropsPerWindow).Count();
                        if (n > 0) perWindow.Add(WindowAggregation.Mean([.. crops.Skip(at).Take(n)]));
                        at += n;
                    }
                    windowVectors[t] = [.. perWindow];
                }
                if (wcache is not null)
                    File.WriteAllLines(wcache, bank.TrackIds.SelectMany((id, t) => windowVectors[t].Select(v => id.ToString(CultureInfo.InvariantCulture) + " " +
                        string.Join(' ', v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))))));
            }
        }
        // --dims M: the embedding's leading M components only (a whitened read-out orders them by the corpus's variance)
        int keep = a.Int("--dims", embedded[0].Length);
        var audio = embedded.Select(v => v.Take(keep).Select(x => (double)x).ToArray()).ToArray();
        var descriptors = bank.TrackIds.Select(id => DescriptorSpace.Vector(descriptorsOf[id])).ToArray();
        var both = audio.Select((v, i) => v.Concat(descriptors[i]).ToArray()).ToArray();
        Console.Error.WriteLine($"embedded with {encoderFolder} ({embedded[0].Length} dimensions) in {clock.Elapsed.TotalSeconds:0} s");

        var data = LabelListeners.Generate(tracks.Select(t => t.Soundtrack).ToList(),
            new LabelListenerOptions { Users = a.Int("--users", 500), Seed = a.Int("--data-seed", 7), LabelWeight = a.Double("--label-weight", 2.5) },
            out var description);
        Console.Error.WriteLine(description);
        var als = new AlsOptions { Factors = factors, Iterations = 15, Regularization = (float)a.Double("--lambda", 0.1), Alpha = (float)a.Double("--alpha", 2), Threads = threads };
        var all = InteractionMatrix.FromInteractions(data.Interactions, data.UserCount, data.ItemCount);
        var names = (a.Get("--models") ?? "audio,descriptors,audio+descriptors,random,true-factors").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // --regression ridge|kernel|kernel-z: how audio is regressed onto factors (default: as the recommend bridge does);
        // --descriptor-regression: descriptors and the pair (default ridge)
        var audioKind = a.Get("--regression") is { } r ? VectorRegression.Parse(r) : Earworm.Recommend.Personal.ColdStartBridge.AudioRegression;
        var descriptorKind = VectorRegression.Parse(a.Get("--descriptor-regression") ?? "ridge");
        IReadOnlyList<IRecommenderTrainer> TrainersFor(int seed) => names.Select(n => n switch
        {
            "audio" when windowVectors is not null => (IRecommenderTrainer)new ColdStartFactorTrainer(new WindowRegressionPredictor(n, windowVectors, keep, audioKind), als with { Seed = seed }, seed),
            "audio" => new ColdStartFactorTrainer(new FeatureRegressionPredictor(n, i => audio[i], audioKind), als with { Seed = seed }, seed),
            "descriptors" => new ColdStartFactorTrainer(new FeatureRegressionPredictor(n, i => descriptors[i], descriptorKind), als with { Seed = seed }, seed),
            "audio+descriptors" => new ColdStartFactorTrainer(new FeatureRegressionPredictor(n, i => both[i], descriptorKind), als with { Seed = seed }, seed),
            "random" => new RandomTrainer(seed),
            "true-factors" => new TrueFactorsTrainer(all, als with { Seed = seed }),
            _ => throw new ArgumentException($"unknown model {n}: expected audio, descriptors, audio+descriptors, random, true-factors"),
        }).ToList();
        var protocol = EvaluationProtocol.ColdStart with { ColdItemFraction = a.Double("--cold", 0.2) };
        var report = ProtocolRunner.Run(data, TrainersFor, protocol, new EvaluationOptions { K = 10, Seeds = seeds, MaxDegreeOfParallelism = threads });
        Console.WriteLine(MarkdownReport.Write(report));
        Console.WriteLine();
        Console.WriteLine("Data: " + description + (packages is null ? "" : $"; packages {string.Join(", ", packages.Order(StringComparer.Ordinal))}") + ".");
        Console.WriteLine(string.Create(c, $"Models: ALS {factors} factors, λ {als.Regularization}, α {als.Alpha}; content → factors by {audioKind} (audio), {descriptorKind} (descriptors; hyper-parameters by 5-fold CV); " +
                                           $"audio: {encoderFolder}{(windows > 0 ? $" ({windows} windows per track)" : "")}; {threads} threads; {clock.Elapsed.TotalMinutes:0.0} min."));
        if (a.Get("--report") is { } reportDir) ReportWriter.Write(report, reportDir);
        return 0;
    }

    // a cache file: "id v1 v2 …" per line (invariant culture); null when it holds other tracks than these
    private static float[][]? ReadVectors(string path, IReadOnlyList<long> ids)
    {
        var rows = File.ReadLines(path).Select(l => l.Split(' ')).ToDictionary(p => long.Parse(p[0], CultureInfo.InvariantCulture),
            p => p.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        return ids.All(rows.ContainsKey) && rows.Count == ids.Count ? [.. ids.Select(i => rows[i])] : null;
    }

    private static float[][][]? ReadWindowVectors(string path, IReadOnlyList<long> ids)
    {
        var rows = File.ReadLines(path).Select(l => l.Split(' ')).GroupBy(p => long.Parse(p[0], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Select(p => p.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray());
        return ids.All(rows.ContainsKey) && rows.Count == ids.Count ? [.. ids.Select(i => rows[i])] : null;
    }

    private sealed class WindowRegressionPredictor(string name, float[][][] windows, int dims, VectorRegressionKind kind) : IColdStartItemPredictor
    {
        public string Name => name;

        public IReadOnlyList<float[]> Predict(IReadOnlyList<int> trainItems, IReadOnlyList<float[]> targets, IReadOnlyList<int> queryItems, int seed, CancellationToken cancellationToken)
        {
            var x = new List<double[]>();
            var y = new List<float[]>();
            for (int i = 0; i < trainItems.Count; i++)
                foreach (var w in windows[trainItems[i]])
                {
                    x.Add([.. w.Take(dims).Select(v => (double)v)]);
                    y.Add(targets[i]);
                }
            var model = VectorRegression.Fit(kind, x, y, seed);
            return [.. queryItems.Select(q =>
            {
                var sum = new float[targets[0].Length];
                foreach (var w in windows[q])
                {
                    var p = model.Predict([.. w.Take(dims).Select(v => (double)v)]);
                    for (int k = 0; k < sum.Length; k++) sum[k] += p[k];
                }
                return VectorNorm.Unit(sum);
            })];
        }
    }

    private static void WriteVectors(string path, IReadOnlyList<long> ids, float[][] vectors) =>
        File.WriteAllLines(path, ids.Select((id, i) => id.ToString(CultureInfo.InvariantCulture) + " " +
            string.Join(' ', vectors[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
}
