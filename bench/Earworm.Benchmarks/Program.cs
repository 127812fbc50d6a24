using Earworm.Benchmarks;

// Macro benchmarks with figures against a reference measured in the same run.
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- scan --dir DIR [--tracks 50] [--workers 2] [--runs 3]
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- logmel [--seconds 600] [--runs 5]
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- descriptors --db CATALOG --out DIR [--aubio]
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- tempo --dir DIR --refs REFS.tsv --envelopes CACHE [--out TRACKS.tsv]
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- midi-set --out DIR [--per-feel 24] [--seconds 60]     (needs fluidsynth)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- instrument-set --out DIR [--seconds 20] [--renders 4] [--extra-pieces N] [--vary-effects]   (the autotagger's corpus; needs fluidsynth and soundfonts)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- tagger-eval --db CATALOG --under DIR|--files LIST --models DIR[,DIR…] [--min-positives 10] [--adapt-under DIR] [--tta N] [--read-frames N]   (tag networks, and their mean, on a scanned labelled folder: per-tag ROC-AUC)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- tagger-reread --db CATALOG --validation-under DIR --test-under DIR --models DIR --read-frames N --out DIR   (a tagger measured again as it reads in crops of N frames: thresholds, validation and test ROC-AUC)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- midi-eval --set DIR [--aubio] [--out report.md]
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- als --data DIR [--runs 3] [--threads 2] [--bpr-epochs 0]  (DIR: gen_interactions.py output)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- als-scale [--users 1000000] [--items 500000] [--interactions 100000000] [--iterations 5] [--threads 2] [--write-log FILE]   (a synthetic log made into the matrix directly)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- cftune --dataset DIR [--binarise] [--seeds 3] [--threads 2] [--folds 2] [--validation-fraction 0.1] [--users N] [--grid SPEC]   (DIR: HetRec Last.fm 2K)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- hybrid --dataset DIR [--seeds 1] [--first-seed 1] [--threads 2] [--cold] [--configs "max-sampled=50;factors=128,damping=10"]   (DIR: HetRec Last.fm 2K with its tags; validation splits only)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- web [--tracks 10000] [--clients 16] [--seconds 10] [--runs 3] [--stream-clients 20]
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- subsonic [--tracks 10000] [--clients 16] [--seconds 10] [--runs 3] [--endpoint "count 50"]   (getSimilarSongs2, getSonicSimilarTracks; --endpoint: only those whose name holds it)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- track2vec --data DIR [--runs 3] [--threads 2]           (DIR: gen_playlists.py output)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- search [--tracks 100000] [--dims 64] [--queries 1000] [--runs 3] [--hnswlib-out DIR]
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- shard-search [--tracks 10000000] [--dims 64] [--shards 3] [--queries 200] [--index exact|hnsw|auto]   (the cluster's shards in one process)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- shard-recall --db CATALOG [--shards 6,3] [--ef 16,24,32,48,64] [--k 28,10] [--queries 300]   (the cluster's search on a catalog's space: recall@10 against exact, CPU a query)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- playlists --db CATALOG --music DIR [--seeds 30] [--length 20] [--out report.md]
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- shared-data [--shared DIR]   (checks on real data: log-mel vs torchaudio, Last.fm 2K)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- scale-catalog --db postgresql://… [--tracks 20000] [--dims 32]   (bench/scale-out.sh)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- scale-out --db postgresql://… --silos URL,URL,… [--seconds 45] [--clients 8] [--feedback 0.3] [--faults FILE]   (bench/scale-out.sh)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- scale-throughput --silos URL,URL,… [--seconds 20] [--clients 16] [--runs 3] [--rate 2000] [--p99 50] [--pids PID,…]   (bench/scale-out.sh --throughput)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- postgres-import --server postgresql://USER@HOST:PORT/postgres [--interactions 1000000] [--users 10000] [--items 50000] [--runs 3] [--no-sqlite]   (bench/postgres-import.sh starts a server)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- postgres-import --server URL --synthetic [--interactions 100000000] [--chunk 5000000] [--max-seconds N] [--keep]   (als-scale's log, imported in parts)
//   dotnet run -c Release --project bench/Earworm.Benchmarks -- sequence-speed [--items 10000] [--sequences 1024] [--epochs 3] [--rounds 3] [--threads 1] [--inference-items 100000] [--requests 1000] [--reference-blas]   (SASRec vs PyTorch: /usr/bin/python3 bench/sasrec_torch.py)
try
{
    return args.FirstOrDefault() switch
    {
        "scan" => await ScanBenchmark.RunAsync(args[1..]),
        "logmel" => LogMelBenchmark.Run(args[1..]),
        "descriptors" => await DescriptorReport.RunAsync(args[1..]),
        "tempo" => await TempoStudy.RunAsync(args[1..]),
        "midi-set" => await MidiSet.RunAsync(args[1..]),
        "instrument-set" => await InstrumentSet.RunAsync(args[1..]),
        "midi-eval" => await MidiTruthReport.RunAsync(args[1..]),
        "als" => AlsBenchmark.Run(args[1..]),
        "als-scale" => AlsScaleBenchmark.Run(args[1..]),
        "track2vec" => Track2VecBenchmark.Run(args[1..]),
        "cftune" => CfTuneBenchmark.Run(args[1..]),
        "hybrid" => HybridBenchmark.Run(args[1..]),
        "search" => SearchBenchmark.Run(args[1..]),
        "shard-search" => ShardSearchBenchmark.Run(args[1..]),
        "shard-recall" => ShardRecallBenchmark.Run(args[1..]),
        "playlists" => await PlaylistQualityReport.RunAsync(args[1..]),
        "web" => await WebBenchmark.RunAsync(args[1..]),
        "subsonic" => await SubsonicBenchmark.RunAsync(args[1..]),
        "events" => await EventLogBenchmark.RunAsync(args[1..]),
        "shared-data" => SharedDataChecks.Run(args[1..]),
        "postgres-import" => PostgresImportBenchmark.Run(args[1..]),
        "sequence-speed" => SequenceSpeedBenchmark.Run(args[1..]),
        "scale-catalog" => ScaleOutBenchmark.FillCatalog(args[1..]),
        "scale-out" => await ScaleOutBenchmark.RunAsync(args[1..]),
        "scale-throughput" => await ScaleOutBenchmark.ThroughputAsync(args[1..]),
        "tagger-eval" => TaggerEval.Run(args[1..]),
        "tagger-reread" => TaggerEval.Reread(args[1..]),
        _ => Usage(),
    };
}
catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
{
    // a bad argument or a missing input: the message, not a stack trace
    Console.Error.WriteLine($"{args[0]}: {e.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Earworm.Benchmarks scan --dir DIR [--tracks 50] [--workers 2] [--runs 3] | logmel [--seconds 600] [--runs 5] | descriptors --db CATALOG --out DIR [--aubio] | midi-set --out DIR | instrument-set --out DIR | tagger-eval --db CATALOG --under DIR|--files LIST --models DIR[,DIR…] | tagger-reread --db CATALOG --validation-under DIR --test-under DIR --models DIR --read-frames N --out DIR | midi-eval --set DIR [--aubio] | als --data DIR [--runs 3] | track2vec --data DIR [--runs 3] | cftune --dataset DIR [--binarise] [--seeds 3] | hybrid --dataset DIR [--seeds 1] [--cold] [--configs SPEC;SPEC] | search [--tracks 100000] | playlists --db CATALOG --music DIR | web [--tracks 10000] [--clients 16] | subsonic [--tracks 10000] [--clients 16] | shared-data [--shared DIR] | postgres-import --server URL [--interactions 1000000] [--runs 3] | sequence-speed [--items 10000] [--rounds 3] [--threads 1]");
    return 2;
}
