using System.Diagnostics;
using System.Globalization;
using Earworm.Benchmarks;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Content.Embedding;
using Earworm.Content.Native;
using Earworm.Content.Network;
using Earworm.Content.Training;
using TorchSharp;
using static TorchSharp.torch;

// The content model's figures, beside PyTorch's measured in the same session (../shared/bench/cnn_bench.py).
//   dotnet run -c Release --project bench/Earworm.ContentBenchmarks -- cnn [--variant full|small|all] [--threads 2] [--runs 5] [--steps 10] [--infer-batches 10] [--max-wait 300]
//   dotnet run -c Release --project bench/Earworm.ContentBenchmarks -- embed --db CATALOG [--encoder DIR] [--reference-crops 5] [--max-tracks N] [--threads 2] [--runs 3]
//   dotnet run -c Release --project bench/Earworm.ContentBenchmarks -- coldstart [--write DIR] [--seeds 3] [--tracks-per-style 24] [--users 500] [--cold 0.2] [--factors 16] [--minutes 4] [--threads 2] [--report DIR]
//   dotnet run -c Release --project bench/Earworm.ContentBenchmarks -- coldstart --music DIR --db CATALOG --encoder MODEL_DIR [--packages P1,P2] [--seeds 3] [--users 500] [--windows 6] [--vectors DIR] [--regression ridge|ridge-c|kernel|kernel-z|knn] [--descriptor-regression ridge] [--dims M] [--by-window]
//   dotnet run -c Release --project bench/Earworm.ContentBenchmarks -- neighbours --db CATALOG [--manifest /work/debian-music/manifest.csv] [--k 10]
return args.FirstOrDefault() switch
{
    "cnn" => Cnn(new Args(args[1..])),
    "embed" => Embed(new Args(args[1..])),
    "neighbours" => Neighbours.Run(new Args(args[1..])),
    "crops" => CropExport.Run(new Args(args[1..])),
    "coldstart" when args.Contains("--music") => MusicColdStart.Run(new Args(args[1..])),
    "coldstart" => ColdStartExperiment.Run(new Args(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Earworm.ContentBenchmarks cnn [--variant full|small|all] [--threads 2] [--runs 5] [--steps 10] [--infer-batches 10] | embed --db CATALOG [--threads 2] [--runs 3]");
    return 2;
}

// cnn_bench.py's protocol: random N(0,1) input (B, 128, 599), MSE against a fixed random 40-d target, SGD lr 0.01
// momentum 0.9 Nesterov, batch 32 (3 warm-up steps, then runs × steps timed); inference in eval mode without
// gradients, batch 64.
static int Cnn(Args a)
{
    int threads = a.Int("--threads", 2), runs = a.Int("--runs", 5), steps = a.Int("--steps", 10), inferBatches = a.Int("--infer-batches", 10);
    int maxWait = a.Int("--max-wait", 300);
    var variant = a.Get("--variant") ?? "all";
    TorchRuntime.EnsureLoaded(threads);
    torch.set_num_interop_threads(1);
    Console.WriteLine($"torch threads {torch.get_num_threads()}; native: {TorchRuntime.State}");
    foreach (var (name, options) in new[] { ("full", AudioNetworkOptions.Full), ("small", AudioNetworkOptions.Small) })
    {
        if (variant != "all" && variant != name) continue;
        torch.manual_seed(0);
        using var net = new AudioNetwork(options);
        using var opt = optim.SGD(net.parameters(), 0.01, momentum: 0.9, nesterov: true);
        var g = new Generator(1);
        using var x = randn([32, 128, 599], generator: g);
        using var y = randn([32, 40], generator: g);
        using var xi = randn([64, 128, 599], generator: g);
        void Train(int n)
        {
            net.train();
            for (int i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                opt.zero_grad();
                var loss = nn.functional.mse_loss(net.forward(x), y);
                loss.backward();
                opt.step();
            }
        }
        void Infer(int n)
        {
            net.eval();
            using var noGrad = no_grad();
            for (int i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                net.forward(xi);
            }
        }
        Train(3);
        Infer(2);
        var train = new List<double>();
        var infer = new List<double>();
        for (int r = 0; r < runs; r++)
        {
            IdleWait.Wait(maxSeconds: maxWait);
            var clock = Stopwatch.StartNew();
            Train(steps);
            train.Add(32.0 * steps / clock.Elapsed.TotalSeconds);
        }
        for (int r = 0; r < runs; r++)
        {
            IdleWait.Wait(maxSeconds: maxWait);
            var clock = Stopwatch.StartNew();
            Infer(inferBatches);
            infer.Add(64.0 * inferBatches / clock.Elapsed.TotalSeconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-5} t{threads}: {net.ParameterCount:N0} parameters; training {Median(train):0.0} clips/s (s/batch(32) {32 / Median(train):0.000}; runs {string.Join(" ", train.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}) | " +
            $"inference {Median(infer):0.0} clips/s (runs {string.Join(" ", infer.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))})"));
    }
    return 0;
}

// Embedding the library from the excerpt cache with the default network (the current audio model when the catalog
// has one; weights do not change the cost): read the cache, read every window with the model's crops, infer, aggregate
// by mean. The reference, in the same run and on the same tracks: the same model read with --reference-crops crops per
// window (default 5: what the half-overlapping tiling read before it spread four crops evenly), so the ratio holds on
// a busy machine too.
static int Embed(Args a)
{
    var db = a.Get("--db") ?? throw new ArgumentException("--db CATALOG");
    int threads = a.Int("--threads", 2), runs = a.Int("--runs", 3), maxWait = a.Int("--max-wait", 300), referenceCrops = a.Int("--reference-crops", 5);
    TorchRuntime.EnsureLoaded(threads);
    using var catalog = CatalogStore.Open(db);
    var store = new ExcerptStore(ExcerptStore.DefaultFor(db));
    var tracks = catalog.ListTracks(TrackStatus.Analysed).Where(t => t.ContentHash is not null).Take(a.Int("--max-tracks", int.MaxValue)).ToList();
    // the shipped encoder (or --encoder DIR, a model folder); --random: the small network with random weights
    var shipped = a.Get("--encoder") ?? (a.Has("--random") || !ShippedEncoder.Available() ? null : ShippedEncoder.Folder);
    var work = Directory.CreateTempSubdirectory("earworm-embed-bench-").FullName;
    try
    {
        var folder = Path.Combine(work, "model");
        var reference = Path.Combine(work, "reference");
        if (shipped is null)
        {
            torch.manual_seed(0);
            using (var net = new AudioNetwork(new AudioNetworkOptions()))
                net.save(Path.Combine(work, AudioModelInfo.WeightsFile));
            new AudioModelInfo { Network = new AudioNetworkOptions(), Objective = AudioObjective.Contrastive }.Save(work);
            shipped = work;
        }
        foreach (var (dir, crops) in new[] { (folder, (int?)null), (reference, referenceCrops) })
        {
            Directory.CreateDirectory(dir);
            foreach (var f in AudioModelInfo.ModelFiles(shipped)) File.Copy(Path.Combine(shipped, f), Path.Combine(dir, f));
            (AudioModelInfo.Load(shipped) with { CropsPerWindow = crops }).Save(dir);
        }
        using var embedder = AudioEmbedder.Load(folder, null, threads);
        using var referenceEmbedder = AudioEmbedder.Load(reference, null, threads);
        var rates = new List<double>();
        var referenceRates = new List<double>();
        long windows = 0, referenceWindows = 0;
        (double Rate, long Crops) Time(AudioEmbedder e)
        {
            IdleWait.Wait(maxSeconds: maxWait);
            var clock = Stopwatch.StartNew();
            long crops = 0;
            foreach (var t in tracks)
            {
                var set = store.TryRead(t.ContentHash!);
                if (set is null) continue;
                var v = e.WindowVectors(set);
                crops += v.Count;
                WindowAggregation.Mean(v);
            }
            return (tracks.Count / clock.Elapsed.TotalSeconds, crops);
        }
        for (int r = 0; r < runs; r++)
        {
            (var rate, windows) = Time(embedder);
            rates.Add(rate);
            (rate, referenceWindows) = Time(referenceEmbedder);
            referenceRates.Add(rate);
        }
        string Runs(List<double> v) => string.Join(" ", v.Select(x => x.ToString("0.0", CultureInfo.InvariantCulture)));
        double median = Median(rates), referenceMedian = Median(referenceRates);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"embed t{threads} {(shipped == work ? "random small network" : ShippedEncoder.Version(shipped))}: {tracks.Count} tracks ({windows} crops of {embedder.Info.Network.Frames} frames): {median:0.0} tracks/s " +
            $"(runs {Runs(rates)}); 1 000 tracks ≈ {1000 / median / 60:0.0} min | reference, {referenceCrops} crops per window ({referenceWindows} crops): " +
            $"{referenceMedian:0.0} tracks/s (runs {Runs(referenceRates)}) | ratio {median / referenceMedian:0.00}"));
    }
    finally
    {
        Directory.Delete(work, recursive: true);
    }
    return 0;
}

static double Median(List<double> values)
{
    var s = values.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}
