namespace Earworm.Learning.Sequences;

/// <summary>
/// An ordered run of items a listener heard or a playlist holds: a listening session (timed listens cut at a gap) or a
/// playlist. A skipped listen stays in its place, flagged: it tells what the listener turned away from, so models may
/// read it as input, but it is never a positive target.
/// </summary>
/// <param name="Items">item indices 0..n−1, in order.</param>
/// <param name="Skipped">per position, whether that listen was a skip; null when nothing was skipped (playlists).</param>
/// <param name="User">the listener or the playlist's owner, when known.</param>
public sealed record Sequence(int[] Items, bool[]? Skipped = null, int? User = null)
{
    public int Length => Items.Length;

    public bool IsSkipped(int position) => Skipped is { } s && s[position];

    /// <summary>The played (not skipped) items, in order: what order-blind baselines and training targets see.</summary>
    public int[] Played() => Skipped is null ? Items : [.. Items.Where((_, i) => !Skipped[i])];

    /// <summary>The first <paramref name="count"/> positions, flags kept.</summary>
    public Sequence Prefix(int count) => this with { Items = Items[..count], Skipped = Skipped?[..count] };

    /// <exception cref="ArgumentException">flags of another length, or an item outside 0..itemCount−1.</exception>
    public void Validate(int itemCount)
    {
        ArgumentNullException.ThrowIfNull(Items);
        if (Skipped is not null && Skipped.Length != Items.Length)
            throw new ArgumentException($"{Skipped.Length} skip flags for {Items.Length} items", nameof(Skipped));
        foreach (var i in Items)
            if ((uint)i >= (uint)itemCount) throw new ArgumentOutOfRangeException(nameof(Items), i, $"item outside 0..{itemCount - 1}");
    }
}

/// <summary>A model of what comes next: scores every item as the next one after a history.</summary>
/// <remarks>Implementations are immutable after training and <see cref="Score"/> is safe to call from several threads.</remarks>
public interface ISequenceModel
{
    /// <summary>"sasrec", "gru4rec", "sknn", "sr", "track2vec", "pop".</summary>
    string Name { get; }

    int ItemCount { get; }

    /// <summary>Writes into <paramref name="scores"/> (length <see cref="ItemCount"/>) each item's score as the next
    /// after <paramref name="history"/>, higher meaning likelier; items the model cannot place score
    /// <see cref="float.NegativeInfinity"/> or equal lowest values.</summary>
    /// <param name="skipped">per history position, whether it was skipped; empty when nothing was.</param>
    void Score(ReadOnlySpan<int> history, ReadOnlySpan<bool> skipped, Span<float> scores);
}

/// <summary>Learns an <see cref="ISequenceModel"/> from training sequences; options live on the trainer.</summary>
public interface ISequenceTrainer
{
    string Name { get; }

    /// <param name="sequences">the training sequences, items 0..itemCount−1.</param>
    ISequenceModel Fit(IReadOnlyList<Sequence> sequences, int itemCount, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}
