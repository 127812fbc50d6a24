using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using Earworm.Audio.Spectral;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Metrics;
using Earworm.Evaluation.Protocols;
using Earworm.Learning;
using Earworm.Learning.Baselines;
using Earworm.Learning.Neighbours;

namespace Earworm.Benchmarks;

/// <summary>
/// The checks that need real, third-party data (the shared folder beside the repository), kept out of the tests so a
/// clone alone passes them; the tests run the same code on the repository's own fixtures (tests/fixtures).
/// - log-mel against torchaudio on 10 s of real music (shared/data/reference): filterbank ≤ 1e-6, log-mel ≤ 0.05 dB;
/// - HetRec Last.fm 2K: the evaluation reader's and the importer's counts against the dataset's readme (92,834 rows,
///   1,892 users × 17,632 artists), the time to import it, a re-import recognised as duplicates;
/// - on its first 300 listeners, leave-one-out: popularity and item-kNN above 5× random (NDCG@10).
/// Exit code 1 when a check fails.
/// </summary>
internal static class SharedDataChecks
{
    public static int Run(string[] argv)
    {
        var a = new Args(argv);
        var shared = a.Get("--shared") ?? Path.Combine(RepoRoot(), "..", "shared");
        var data = Path.Combine(Path.GetFullPath(shared), "data");
        if (!Directory.Exists(data))
        {
            Console.Error.WriteLine($"no shared data folder at {data}: pass --shared DIR");
            return 2;
        }
        int failures = 0;
        void Check(bool ok, string what)
        {
            Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}");
            if (!ok) failures++;
        }

        Console.WriteLine("log-mel against shared/data/reference (torchaudio, 10 s of real music):");
        LogMelOnRealMusic(Path.Combine(data, "reference"), Check);
        Console.WriteLine("Last.fm 2K (HetRec 2011):");
        LastFm2k(Path.Combine(data, "lastfm-2k"), Check);
        Console.WriteLine(failures == 0 ? "all checks passed" : $"{failures} checks failed");
        return failures == 0 ? 0 : 1;
    }

    private static void LogMelOnRealMusic(string dir, Action<bool, string> check)
    {
        var o = LogMelOptions.Default;
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "reference.json"))))
        {
            var p = json.RootElement.GetProperty("params");
            check(p.GetProperty("n_fft").GetInt32() == o.FftSize && p.GetProperty("hop_length").GetInt32() == o.HopLength
                  && p.GetProperty("n_mels").GetInt32() == o.MelBands && p.GetProperty("sample_rate").GetInt32() == o.SampleRate,
                "the reference's parameters are LogMelOptions' defaults");
        }
        var fb = new MelFilterbank(o).ToDense();
        var fbRef = ReadFloat32(Path.Combine(dir, "mel_filterbank.f32"), o.FrequencyBins * o.MelBands);
        double fbDiff = fb.Zip(fbRef, (x, y) => Math.Abs((double)x - y)).Max();
        check(fbDiff <= 1e-6, $"mel filterbank [513][128]: max abs diff {fbDiff:E3} (≤ 1e-6)");

        var pcm = ReadFloat32(Path.Combine(dir, "excerpt_pcm.f32"), 220500);
        var computer = new LogMelComputer(o);
        int frames = computer.FrameCount(pcm.Length);
        var reference = ReadFloat32(Path.Combine(dir, "excerpt_logmel.f32"), o.MelBands * frames);
        var actual = computer.Compute(pcm);
        double maxAbs = 0, sumAbs = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - reference[i]);
            sumAbs += d;
            maxAbs = Math.Max(maxAbs, d);
        }
        check(maxAbs <= 0.05, $"log-mel [128][{frames}]: max abs diff {maxAbs:E3} dB (≤ 0.05), mean {sumAbs / actual.Length:E3} dB");
    }

    private static void LastFm2k(string dir, Action<bool, string> check)
    {
        var read = LastFmUserArtists.ReadFile(Path.Combine(dir, "user_artists.dat"));
        check((read.Dataset.Interactions.Count, read.Dataset.UserCount, read.Dataset.ItemCount, read.Users[0], read.Artists[0]) == (92_834, 1_892, 17_632, 2, 51),
            $"user_artists.dat read: {read.Dataset.Interactions.Count:N0} interactions, {read.Dataset.UserCount:N0} users × {read.Dataset.ItemCount:N0} artists (readme: 92,834; 1,892 × 17,632)");

        var tmp = Directory.CreateTempSubdirectory("earworm-shared-data-").FullName;
        try
        {
            using var catalog = CatalogStore.Open(Path.Combine(tmp, "catalog.db"));
            var cpu = CpuTime.Now();
            var clock = Stopwatch.StartNew();
            var sources = ImportReader.Read(ImportFormat.LastFm2k, [dir], new ImportOptions());
            var parsed = clock.Elapsed;
            var o = sources.Count == 1 ? catalog.Import(sources).Single() : throw new InvalidOperationException("one source expected");
            var cpuUsed = (CpuTime.Now() - cpu).SelfSeconds; // steadier than wall time on a shared machine
            Console.WriteLine($"       imported in {clock.Elapsed.TotalSeconds:0.00} s (parsed in {parsed.TotalSeconds:0.00} s; {cpuUsed:0.00} s CPU)");
            check((o.Rows, o.UsersAdded, o.ItemsAdded, o.InteractionsAdded, o.ItemsMatched) == (92_834, 1_892, 17_632, 92_834, 0),
                $"import: {o.Rows:N0} rows, {o.UsersAdded:N0} users, {o.ItemsAdded:N0} artists, {o.InteractionsAdded:N0} interactions");
            var counts = catalog.ListeningCounts();
            check(counts.ItemTags > 0 && catalog.ListUsers().Single(u => u.Name == "lastfm-2k:2").Interactions == 50,
                $"{counts.ItemTags:N0} artist tags; listener lastfm-2k:2 has 50 artists");
            var again = catalog.Import(sources).Single();
            check(again.InteractionsAdded == 0 && again.DuplicatesSkipped == 92_834 && again.SameAsImportId == o.ImportId,
                $"a re-import adds nothing ({again.DuplicatesSkipped:N0} duplicates, same as import {again.SameAsImportId})");
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }

        var slice = read.Dataset.FirstUsers(300);
        var report = ProtocolRunner.Run(slice, [new PopularityTrainer(), new ItemKnnTrainer(), new RandomTrainer()],
            EvaluationProtocol.LeaveOneOut, new EvaluationOptions { Seeds = 1, RankingDepth = 100 });
        double Ndcg(string model) => report.Model(model)!.Get(MetricNames.Ndcg)!.Mean;
        string knn = report.Models.Select(m => m.Model).First(n => n.StartsWith("itemknn", StringComparison.Ordinal));
        check(Ndcg("pop") > 5 * Ndcg("random") && Ndcg(knn) > 5 * Ndcg("random"),
            $"first 300 listeners, leave-one-out NDCG@10: pop {Ndcg("pop"):0.000}, {knn} {Ndcg(knn):0.000}, random {Ndcg("random"):0.000} (both > 5× random)");
    }

    private static float[] ReadFloat32(string path, int count)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != count * sizeof(float)) throw new InvalidDataException($"{path}: expected {count} float32 values, found {bytes.Length} bytes");
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Earworm.slnx"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
