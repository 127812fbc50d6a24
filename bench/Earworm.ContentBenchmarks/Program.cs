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
//   dotnet run -c Release --project bench/Earworm.ContentBenchmarks -- embed --db CATALOG [--threads 2] [--runs 3]
//   dotnet run -c Release --project bench/Earworm.ContentBenchmarks -- coldstart [--write DIR] [--seeds 3] [--tracks-per-style 24] [--users 500] [--cold 0.2] [--factors 16] [--minutes 4] [--threads 2] [--report DIR]
//   dotnet run -c Release --project bench/Earworm.ContentBenchmarks -- coldstart --music DIR --db CATALOG --encoder MODEL_DIR [--packages P1,P2] [--seeds 3] [--users 500]
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
// has one; weights do not change the cost): read the cache, tile every window with crops, infer, aggregate by mean.
static int Embed(Args a)
{
    var db = a.Get("--db") ?? throw new ArgumentException("--db CATALOG");
    int threads = a.Int("--threads", 2), runs = a.Int("--runs", 3), maxWait = a.Int("--max-wait", 300);
    TorchRuntime.EnsureLoaded(threads);
    using var catalog = CatalogStore.Open(db);
    var store = new ExcerptStore(ExcerptStore.DefaultFor(db));
    var tracks = catalog.ListTracks(TrackStatus.Analysed).Where(t => t.ContentHash is not null).ToList();
    // the shipped encoder (or --encoder DIR, a model folder); --random: the small network with random weights
    var shipped = a.Get("--encoder") ?? (a.Has("--random") || !ShippedEncoder.Available() ? null : ShippedEncoder.Folder);
    var folder = shipped ?? Directory.CreateTempSubdirectory("earworm-embed-bench-").FullName;
    try
    {
        if (shipped is null)
        {
            torch.manual_seed(0);
            using (var net = new AudioNetwork(new AudioNetworkOptions()))
                net.save(Path.Combine(folder, AudioModelInfo.WeightsFile));
            new AudioModelInfo { Network = new AudioNetworkOptions(), Objective = AudioObjective.Contrastive }.Save(folder);
        }
        using var embedder = AudioEmbedder.Load(folder, null, threads);
        var rates = new List<double>();
        long windows = 0;
        for (int r = 0; r < runs; r++)
        {
            IdleWait.Wait(maxSeconds: maxWait);
            var clock = Stopwatch.StartNew();
            windows = 0;
            foreach (var t in tracks)
            {
                var set = store.TryRead(t.ContentHash!);
                if (set is null) continue;
                var v = embedder.WindowVectors(set);
                windows += v.Count;
                WindowAggregation.Mean(v);
            }
            rates.Add(tracks.Count / clock.Elapsed.TotalSeconds);
        }
        double median = Median(rates);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"embed t{threads} {(shipped is null ? "random small network" : ShippedEncoder.Version(shipped))}: {tracks.Count} tracks ({windows} crops of {embedder.Info.Network.Frames} frames): {median:0.0} tracks/s " +
            $"(runs {string.Join(" ", rates.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))}); 1 000 tracks ≈ {1000 / median / 60:0.0} min"));
    }
    finally
    {
        if (shipped is null) Directory.Delete(folder, recursive: true);
    }
    return 0;
}

static double Median(List<double> values)
{
    var s = values.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}
