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

/// <summary>
/// The cold-start experiment on real music (<c>coldstart --music DIR</c>): the tracks of a corpus folder (its
/// manifest names each file's soundtrack and package; <c>--packages</c> keeps some packages only: those the encoder
/// never trained on), simulated listeners whose tastes follow soundtracks (<see cref="LabelListeners"/>), 20 % of the
/// tracks held out with all their plays, ALS on the rest, and the held-out tracks' factors predicted from content by
/// ridge regression (λ by 5-fold cross-validation) from: <c>audio</c> (the encoder's embedding, <c>--encoder DIR</c>:
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
        using (var embedder = AudioEmbedder.Load(encoderFolder, null, threads))
            embedded = EncoderTraining.Embed(embedder, windows > 0 ? bank.EvenWindows(windows) : bank);
        var audio = embedded.Select(v => v.Select(x => (double)x).ToArray()).ToArray();
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
        IReadOnlyList<IRecommenderTrainer> TrainersFor(int seed) => names.Select(n => n switch
        {
            "audio" => (IRecommenderTrainer)new ColdStartFactorTrainer(new FeatureRegressionPredictor(n, i => audio[i]), als with { Seed = seed }, seed),
            "descriptors" => new ColdStartFactorTrainer(new FeatureRegressionPredictor(n, i => descriptors[i]), als with { Seed = seed }, seed),
            "audio+descriptors" => new ColdStartFactorTrainer(new FeatureRegressionPredictor(n, i => both[i]), als with { Seed = seed }, seed),
            "random" => new RandomTrainer(seed),
            "true-factors" => new TrueFactorsTrainer(all, als with { Seed = seed }),
            _ => throw new ArgumentException($"unknown model {n}: expected audio, descriptors, audio+descriptors, random, true-factors"),
        }).ToList();
        var protocol = EvaluationProtocol.ColdStart with { ColdItemFraction = a.Double("--cold", 0.2) };
        var report = ProtocolRunner.Run(data, TrainersFor, protocol, new EvaluationOptions { K = 10, Seeds = seeds, MaxDegreeOfParallelism = threads });
        Console.WriteLine(MarkdownReport.Write(report));
        Console.WriteLine();
        Console.WriteLine("Data: " + description + (packages is null ? "" : $"; packages {string.Join(", ", packages.Order(StringComparer.Ordinal))}") + ".");
        Console.WriteLine(string.Create(c, $"Models: ALS {factors} factors, λ {als.Regularization}, α {als.Alpha}; content → factors by ridge regression (λ by 5-fold CV); " +
                                           $"audio: {encoderFolder}{(windows > 0 ? $" ({windows} windows per track)" : "")}; {threads} threads; {clock.Elapsed.TotalMinutes:0.0} min."));
        if (a.Get("--report") is { } reportDir) ReportWriter.Write(report, reportDir);
        return 0;
    }
}
