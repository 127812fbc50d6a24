using System.Diagnostics;
using Earworm.Learning.Numerics;

namespace Earworm.Learning.Embeddings;

/// <summary>
/// track2vec: word2vec skip-gram with negative sampling (Mikolov, Sutskever, Chen, Corrado &amp;
/// Dean 2013) over sequences of item ids — playlists, and listening sessions cut by
/// <see cref="Sessions"/> — as Deej-A.I.'s Track2Vec; item2vec (Barkan &amp; Koenigstein 2016)
/// when the sequences are users' sets of items. Items that share contexts get close vectors.
/// </summary>
/// <remarks>
/// <see cref="FitSequences"/> is the main entry. <see cref="Fit"/> (the common trainer contract)
/// has no order to learn from, so it makes one sequence per user of that user's distinct items in
/// an order shuffled with the seed (item2vec's set-as-sentence; consider a larger
/// <see cref="Track2VecOptions.Window"/> there). Progress is reported once per epoch, without a loss.
/// </remarks>
public sealed class Track2VecTrainer(Track2VecOptions? options = null) : RecommenderTrainer<Track2VecOptions, Track2VecModel>(options ?? Track2VecOptions.Default, o => o.Validate())
{
    public override string Name => "track2vec";

    /// <summary>Learns from each user's items as one shuffled sequence (see remarks).</summary>
    protected override Track2VecModel Learn(InteractionMatrix userItems, IProgress<TrainingProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        var sequences = new int[userItems.Rows][];
        for (int u = 0; u < userItems.Rows; u++)
        {
            var items = userItems.RowIndices(u).ToArray();
            var rng = new FastRandom(SeedMixer.Combine(Options.Seed, 17, u));
            for (int i = items.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
            sequences[u] = items;
        }
        return Train(sequences, userItems.Columns, userItems.Rows, progress, cancellationToken);
    }

    /// <summary>Learns item vectors from ordered sequences (playlists, sessions) of item ids 0..itemCount−1.</summary>
    /// <returns>a model with <see cref="IRecommenderModel.UserCount"/> 0: it recommends from any user's row of items.</returns>
    public Track2VecModel FitSequences(IReadOnlyList<int[]> sequences, int itemCount, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfNegative(itemCount);
        return Train(sequences, itemCount, 0, progress, cancellationToken);
    }

    private Track2VecModel Train(IReadOnlyList<int[]> sequences, int itemCount, int userCount, IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        long raw = 0;
        for (int s = 0; s < sequences.Count; s++)
        {
            var seq = sequences[s] ?? throw new ArgumentException($"sequence {s} is null.", nameof(sequences));
            foreach (var item in seq)
                if ((uint)item >= (uint)itemCount)
                    throw new ArgumentOutOfRangeException(nameof(sequences), item, $"sequence {s} has item {item} outside 0..{itemCount - 1}");
            raw += seq.Length;
        }
        if (raw > int.MaxValue) throw new ArgumentException($"{raw} items in all: more than one corpus of 2³¹ − 1 holds.", nameof(sequences));
        var all = new int[raw];
        for (int s = 0, at = 0; s < sequences.Count; s++)
        {
            sequences[s].CopyTo(all, at);
            at += sequences[s].Length;
        }
        var vocabulary = new SkipGramVocabulary(all, itemCount, Options);
        // drop items without a vector before windowing, as gensim
        var tokens = new int[vocabulary.RetainedWords];
        var starts = new int[sequences.Count + 1];
        int n = 0;
        for (int s = 0; s < sequences.Count; s++)
        {
            starts[s] = n;
            foreach (var item in sequences[s])
                if (vocabulary.Contains(item)) tokens[n++] = item;
        }
        starts[sequences.Count] = n;

        var trainer = new SkipGramNegativeSampling(Options, vocabulary, itemCount);
        trainer.Train(tokens, starts, epoch => progress?.Report(new TrainingProgress(Name, epoch, Options.Epochs, null, clock.Elapsed)),
            cancellationToken);
        return new Track2VecModel(Options, trainer.Input, vocabulary.Counts, userCount, raw * Options.Epochs, trainer.EffectiveWords);
    }
}
