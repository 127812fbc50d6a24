using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Excerpts;
using Earworm.Audio.Spectral;
using Earworm.Audio.Synthesis;
using Earworm.Benchmarks;
using Earworm.Content.Native;
using Earworm.Content.Network;
using Earworm.Content.Training;
using Earworm.Evaluation.ColdStart;
using Earworm.Evaluation.Protocols;
using Earworm.Evaluation.Reports;
using Earworm.Learning;
using Earworm.Learning.Baselines;
using Earworm.Learning.Factorization;

/// <summary>
/// The cold-start experiment of van den Oord et al. (2013) on a synthesised library with simulated listeners
/// (<see cref="SimulatedListeners"/> says what they are): renders the tracks, computes their log-mel excerpts and
/// descriptor vectors in memory, then runs the cold-start protocol with four models — audio (the content network
/// regressing unit ALS factors), descriptors (ridge regression from the descriptor space to the same factors),
/// random, and true-factors (ALS trained with the held-out tracks: the upper bound).
/// </summary>
internal static class ColdStartExperiment
{
    public static int Run(Args a)
    {
        var c = CultureInfo.InvariantCulture;
        int threads = a.Int("--threads", Environment.ProcessorCount), seeds = a.Int("--seeds", 3), factors = a.Int("--factors", 16);
        var listenerOptions = new SimulatedListenerOptions
        {
            TracksPerStyle = a.Int("--tracks-per-style", 24), Users = a.Int("--users", 500), Seed = a.Int("--data-seed", 7),
            TrackSeconds = a.Double("--seconds", 10),
        };
        double cold = a.Double("--cold", 0.2);
        var reportDir = a.Get("--report");
        var clock = Stopwatch.StartNew();
        var data = SimulatedListeners.Generate(listenerOptions);
        Console.Error.WriteLine(data.Description);
        if (a.Get("--write") is { } folder) return Write(data, folder, threads);

        // Audio front end in memory: the same log-mel and excerpt plan as a scan, and the descriptor space's vector.
        var computer = new LogMelComputer(LogMelOptions.Default);
        int rate = computer.Options.SampleRate;
        var excerpts = new ExcerptSet[data.Tracks.Count];
        var descriptors = new double[data.Tracks.Count][];
        int done = 0;
        Parallel.For(0, data.Tracks.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new LogMelComputer(LogMelOptions.Default), (i, _, mel) =>
        {
            var mono = Synthesizer.Render(data.Tracks[i], rate).ToMono();
            excerpts[i] = ExcerptExtractor.Extract(mono, mel, ExcerptOptions.Default);
            descriptors[i] = DescriptorSpace.Vector(TrackDescriptorAnalyzer.Analyze(mono, rate));
            int n = Interlocked.Increment(ref done);
            if (n % 20 == 0) Console.Error.WriteLine($"rendered and analysed {n}/{data.Tracks.Count} tracks ({clock.Elapsed.TotalSeconds:0} s)");
            return mel;
        }, _ => { });
        Console.Error.WriteLine($"audio front end: {data.Tracks.Count} tracks in {clock.Elapsed.TotalSeconds:0.0} s");

        TorchRuntime.EnsureLoaded(threads);
        var network = new AudioNetworkOptions
        {
            Frames = a.Int("--frames", 172), Channels = [32, 64, 64, 128], Dense = [256], Dropout = 0.3, OutputDims = factors,
        };
        var training = new AudioTrainingOptions
        {
            Objective = AudioObjective.Cf, Network = network, MaxEpochs = a.Int("--epochs", 30), CropsPerTrack = a.Int("--crops", 4),
            BatchSize = 32, EarlyStoppingPatience = a.Int("--patience", 6), ValidationFraction = 0.15,
            TimeBudget = TimeSpan.FromMinutes(a.Double("--minutes", 4)),
        };
        var als = new AlsOptions { Factors = factors, Iterations = 15, Regularization = (float)a.Double("--lambda", 0.1), Alpha = (float)a.Double("--alpha", 2), Threads = threads };
        var all = InteractionMatrix.FromInteractions(data.Dataset.Interactions, data.Dataset.UserCount, data.Dataset.ItemCount);
        var audio = new AudioFactorPredictor(i => excerpts[i], training);
        var descriptorRegression = new FeatureRegressionPredictor("descriptors", i => descriptors[i]);
        var names = (a.Get("--models") ?? "audio,descriptors,random,true-factors").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<IRecommenderTrainer> TrainersFor(int seed) => names.Select(n => n switch
        {
            "audio" => (IRecommenderTrainer)new ColdStartFactorTrainer(audio, als with { Seed = seed }, seed),
            "descriptors" => new ColdStartFactorTrainer(descriptorRegression, als with { Seed = seed }, seed),
            "random" => new RandomTrainer(seed),
            "true-factors" => new TrueFactorsTrainer(all, als with { Seed = seed }),
            _ => throw new ArgumentException($"unknown model {n}: expected audio, descriptors, random, true-factors"),
        }).ToList();

        var protocol = EvaluationProtocol.ColdStart with { ColdItemFraction = cold };
        var options = new EvaluationOptions { K = 10, Seeds = seeds, MaxDegreeOfParallelism = threads };
        var progress = new Progress<EvaluationProgress>(p =>
        {
            if (p.Stage == EvaluationStage.Fit && p.Training is null && p.Done == 0)
                Console.Error.WriteLine($"seed {p.Seed} ({p.RunIndex + 1}/{p.RunCount}): training {p.Model}… ({clock.Elapsed.TotalSeconds:0} s)");
            if (p.Model == "audio" && p.Stage == EvaluationStage.Fit && p.Done == 1 && audio.LastTraining is { } t)
                Console.Error.WriteLine(string.Create(c,
                    $"  audio: {t.History.Count} epochs, best {t.BestEpoch} (validation MSE {t.History[t.BestEpoch - 1].ValidationLoss:0.0000}), {t.StopReason}"));
        });
        var report = ProtocolRunner.Run(data.Dataset, TrainersFor, protocol, options, progress);
        var markdown = MarkdownReport.Write(report);
        Console.WriteLine(markdown);
        Console.WriteLine();
        Console.WriteLine("Data: " + data.Description + ".");
        Console.WriteLine(string.Create(c,
            $"Models: ALS {factors} factors, λ {als.Regularization}, α {als.Alpha}, {als.Iterations} iterations; audio network {string.Join('/', network.Channels)} channels, dense {string.Join('/', network.Dense)}, {network.Frames} frames, ≤ {training.MaxEpochs} epochs × {training.CropsPerTrack} crops per track, ≤ {training.TimeBudget!.Value.TotalMinutes:0.#} min per fit; descriptors: ridge (λ by 5-fold CV) from the {DescriptorSpace.Dimension}-slot descriptor space; {threads} threads; total {clock.Elapsed.TotalMinutes:0.0} min."));
        if (reportDir is not null)
        {
            ReportWriter.Write(report, reportDir);
            File.AppendAllText(Path.Combine(reportDir, ReportWriter.MarkdownFile), Environment.NewLine + "Data: " + data.Description + "." + Environment.NewLine);
            Console.Error.WriteLine($"report in {Path.GetFullPath(reportDir)}");
        }
        return 0;
    }

    /// <summary>--write DIR: the same library as FLAC files and the plays as DIR/plays.csv (user,item,count with the
    /// files' paths as items), so the figure can be reproduced through the command line: scan, import csv, evaluate.</summary>
    private static int Write(SimulatedListening data, string folder, int threads)
    {
        var library = Directory.CreateDirectory(Path.Combine(folder, "library")).FullName;
        var encoder = new Earworm.Audio.Media.FfmpegEncoder(Earworm.Audio.Media.FfmpegTools.Locate());
        var paths = new string[data.Tracks.Count];
        Parallel.For(0, data.Tracks.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var spec = data.Tracks[i];
            var track = Synthesizer.Render(spec, 22050);
            paths[i] = Path.Combine(library, string.Create(CultureInfo.InvariantCulture, $"{i:000}.flac"));
            encoder.EncodeAsync(track.Samples, track.SampleRate, track.Channels, paths[i], new Dictionary<string, string>
            {
                ["title"] = spec.Title, ["artist"] = spec.Artist, ["album"] = spec.Album, ["genre"] = spec.Genre,
            }, CancellationToken.None).GetAwaiter().GetResult();
        });
        using (var csv = new StreamWriter(Path.Combine(folder, "plays.csv")))
        {
            csv.WriteLine("user,item,count");
            foreach (var x in data.Dataset.Interactions)
                csv.WriteLine(string.Create(CultureInfo.InvariantCulture, $"listener{x.User:000},{paths[x.Item]},{x.Count}"));
        }
        Console.WriteLine($"wrote {paths.Length} tracks to {library} and {data.Dataset.Interactions.Count} (listener, track) play counts to {Path.Combine(folder, "plays.csv")}");
        return 0;
    }
}
