using System.Buffers;
using Earworm.Content.Data;
using Earworm.Learning.Numerics;

namespace Earworm.Content.Training;

/// <summary>One batch's input, filled off the training thread: the crops <c>(n, n_mels, T)</c> (contrastive: a second
/// view of each) and the targets <c>(n, D)</c> (regression).</summary>
internal sealed record PreparedBatch(int Count, float[] First, float[]? Second, float[]? Targets, int[] Tracks);

/// <summary>
/// Makes the training and validation inputs from a <see cref="WindowBank"/>: random crops (regression) or two
/// augmented views of every track (contrastive: a random window and position each, so the two views are usually
/// different passages, as COLA, Saeed et al. 2021). Every batch draws from its own random generator, seeded by the
/// run's seed, the epoch and the batch's place, so a batch is the same whichever thread fills it and whenever: the
/// trainer fills the next batch while the network learns from this one, and a resumed run repeats an uninterrupted one.
/// </summary>
internal sealed class TrainingBatches(WindowBank bank, AudioTrainingOptions options, int frames, IReadOnlyDictionary<long, float[]>? targets)
{
    private readonly int _bands = bank.MelBands;

    public int CropSize => _bands * frames;

    /// <summary>The random generator of one batch, seeded the same way in every process so that a seeded training
    /// run repeats exactly.</summary>
    public static Random BatchRandom(int seed, int epoch, int batch) => new(SeedMix.Mix(seed ^ 0x5eed, epoch, batch));

    /// <summary>The batches of an epoch: <paramref name="crops"/> rounds over the training tracks, each shuffled.</summary>
    public List<int[]> EpochPlan(int[] trainIdx, int crops, int epoch)
    {
        var rng = new Random(unchecked(options.Seed * 7919 + epoch));
        var plan = new List<int[]>();
        for (int round = 0; round < crops; round++)
        {
            var order = trainIdx.ToArray();
            rng.Shuffle(order);
            for (int b0 = 0; b0 < order.Length; b0 += options.BatchSize)
            {
                var batch = order[b0..Math.Min(order.Length, b0 + options.BatchSize)];
                if (options.Objective == AudioObjective.Contrastive && batch.Length < 2) continue;
                plan.Add(batch);
            }
        }
        return plan;
    }

    /// <summary>Fills one batch of <paramref name="tracks"/>; <paramref name="pool"/> holds the tracks another may be mixed from.</summary>
    public PreparedBatch Prepare(int[] tracks, int[] pool, Random rng)
    {
        int n = tracks.Length, size = CropSize;
        var first = new float[n * size];
        if (options.Objective != AudioObjective.Contrastive)
        {
            int dims = targets!.Values.First().Length;
            var y = new float[n * dims];
            for (int i = 0; i < n; i++)
            {
                int w = rng.Next(bank.WindowCount(tracks[i]));
                bank.Crop(tracks[i], w, bank.RandomStart(tracks[i], w, frames, rng), frames, first.AsSpan(i * size, size));
                targets[bank.TrackIds[tracks[i]]].CopyTo(y, i * dims);
            }
            return new PreparedBatch(n, first, null, y, tracks);
        }
        var second = new float[n * size];
        for (int i = 0; i < n; i++)
        {
            View(tracks[i], pool, rng, first.AsSpan(i * size, size));
            View(tracks[i], pool, rng, second.AsSpan(i * size, size));
        }
        return new PreparedBatch(n, first, second, null, tracks);
    }

    /// <summary>One augmented view of a track: a random crop (time-stretched when asked), maybe another track of
    /// <paramref name="pool"/> mixed in, then <see cref="Augmentation.Apply"/>.</summary>
    public void View(int track, int[] pool, Random rng, Span<float> destination)
    {
        var a = options.Augmentation;
        ReadCrop(track, rng, destination);
        if (a.MixProbability > 0 && pool.Length > 1 && rng.NextDouble() < a.MixProbability)
        {
            int other = pool[rng.Next(pool.Length)];
            if (other == track) other = pool[(Array.IndexOf(pool, other) + 1) % pool.Length];
            var mix = ArrayPool<float>.Shared.Rent(CropSize);
            ReadCrop(other, rng, mix.AsSpan(0, CropSize));
            Augmentation.MixIn(destination, mix.AsSpan(0, CropSize), a.MixMinDb + (a.MixMaxDb - a.MixMinDb) * rng.NextDouble());
            ArrayPool<float>.Shared.Return(mix);
        }
        Augmentation.Apply(destination, _bands, frames, a, rng);
    }

    private void ReadCrop(int track, Random rng, Span<float> destination)
    {
        int w = rng.Next(bank.WindowCount(track));
        double stretch = options.Augmentation.TimeStretch;
        if (stretch <= 0)
        {
            bank.Crop(track, w, bank.RandomStart(track, w, frames, rng), frames, destination);
            return;
        }
        double factor = Math.Exp((2 * rng.NextDouble() - 1) * Math.Log(1 + stretch));
        int source = Math.Max(2, (int)Math.Round(frames * factor));
        var buffer = ArrayPool<float>.Shared.Rent(_bands * source);
        bank.Crop(track, w, bank.RandomStart(track, w, source, rng), source, buffer.AsSpan(0, _bands * source));
        Augmentation.Stretch(buffer.AsSpan(0, _bands * source), source, destination, _bands, frames);
        ArrayPool<float>.Shared.Return(buffer);
    }

    /// <summary>Fixed validation inputs (the same every epoch). Contrastive: two views per track, augmented as in
    /// training. Regression: the centre crop of up to three windows per track, with its owner.</summary>
    public ValidationData Validation(int[] valIdx)
    {
        int size = CropSize;
        var rng = new Random(options.Seed ^ 0x5eed);
        if (options.Objective == AudioObjective.Contrastive)
        {
            var first = new float[valIdx.Length * size];
            var second = new float[valIdx.Length * size];
            for (int i = 0; i < valIdx.Length; i++)
            {
                View(valIdx[i], valIdx, rng, first.AsSpan(i * size, size));
                View(valIdx[i], valIdx, rng, second.AsSpan(i * size, size));
            }
            return new ValidationData(valIdx, first, second, Enumerable.Range(0, valIdx.Length).ToArray(), valIdx.Length, null);
        }
        var crops = new List<(int Owner, int Track, int Window)>();
        for (int i = 0; i < valIdx.Length; i++)
            for (int w = 0; w < Math.Min(3, bank.WindowCount(valIdx[i])); w++) crops.Add((i, valIdx[i], w));
        var data = new float[crops.Count * size];
        for (int c = 0; c < crops.Count; c++)
        {
            var (_, t, w) = crops[c];
            int start = Math.Max(0, (bank.FramesOf(t, w) - frames) / 2);
            bank.Crop(t, w, start, frames, data.AsSpan(c * size, size));
        }
        return new ValidationData(valIdx, data, null, crops.Select(c => c.Owner).ToArray(), crops.Count,
            valIdx.Select(i => targets![bank.TrackIds[i]]).ToArray());
    }
}

/// <summary>The validation inputs: crops (and second views), which validation track owns each, their targets.</summary>
internal sealed record ValidationData(int[] Tracks, float[] First, float[]? Second, int[] Owner, int Count, float[][]? Targets);
