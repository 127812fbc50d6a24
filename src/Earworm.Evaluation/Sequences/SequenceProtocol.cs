using System.Globalization;

namespace Earworm.Evaluation.Sequences;

/// <summary>The two ways listening in order is measured.</summary>
public enum SequenceProtocolKind
{
    /// <summary>Held-out sessions: the next played item after a prefix (HR@K, MRR@K, NDCG@K).</summary>
    NextItem,

    /// <summary>Held-out playlists: given the first N tracks, the rest (R-precision, NDCG@K, clicks).</summary>
    PlaylistContinuation,
}

/// <summary>
/// How sequences are held out and what is asked of the models. Sequences (not listeners' items) are split: a test
/// session or playlist is never seen in training, as in the RecSys Challenge 2018.
/// </summary>
public sealed record SequenceProtocol(SequenceProtocolKind Kind)
{
    public static SequenceProtocol NextItem { get; } = new(SequenceProtocolKind.NextItem);

    public static SequenceProtocol PlaylistContinuation { get; } = new(SequenceProtocolKind.PlaylistContinuation);

    public static IReadOnlyList<string> Names { get; } = ["next-item", "playlist-continuation"];

    public string Name => Names[(int)Kind];

    /// <summary>Share of the sequences held out for testing (default 0.2).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Next item: every played position of a test session after its first entry is a question, not only the
    /// last (default false: the last played item only).</summary>
    public bool EveryPosition { get; init; }

    /// <summary>Playlist continuation: the numbers of seed tracks given (default 1, 5, 10, 25, as the challenge).</summary>
    public IReadOnlyList<int> SeedCounts { get; init; } = [1, 5, 10, 25];

    /// <summary>Playlist continuation: the length of each continuation (default 500, as the challenge).</summary>
    public int ListLength { get; init; } = 500;

    public static bool IsName(string name) => Names.Contains(name.Trim().ToLowerInvariant());

    /// <exception cref="UsageException">not one of <see cref="Names"/>.</exception>
    public static SequenceProtocol Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "next-item" => NextItem,
        "playlist-continuation" => PlaylistContinuation,
        _ => throw new UsageException($"unknown sequence protocol \"{name}\": expected one of {string.Join(", ", Names)}"),
    };

    public void Validate()
    {
        if (!(TestFraction > 0 && TestFraction < 1)) throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "must lie strictly between 0 and 1");
        if (SeedCounts.Count == 0 || SeedCounts.Any(n => n < 1)) throw new ArgumentOutOfRangeException(nameof(SeedCounts), "seed counts must be at least 1");
        ArgumentOutOfRangeException.ThrowIfLessThan(ListLength, 1);
    }

    /// <summary>The protocol in words for one report.</summary>
    public string Describe(int k, IReadOnlyList<int> seeds, int? seedTracks)
    {
        var c = CultureInfo.InvariantCulture;
        string runs = seeds.Count == 1 ? $"one split (seed {seeds[0]})" : $"{seeds.Count} splits (seeds {seeds[0]}–{seeds[^1]})";
        string split = string.Create(c, $"For each of {runs}, {TestFraction * 100:0.##}% of the {(Kind == SequenceProtocolKind.NextItem ? "sessions" : "playlists")} are drawn at random and held out whole; every model is fitted on the rest (and its random seed is the split's).");
        return Kind == SequenceProtocolKind.NextItem
            ? split + string.Create(c, $" For every held-out session, {(EveryPosition ? "each played entry after the first" : "its last played entry")} is to be predicted from all that came before it (skips included, flagged), over the whole catalog (repeats allowed). HR@{k}, MRR@{k} and NDCG@{k} (one relevant item) are averaged over questions, then reported as mean ± sample standard deviation over the runs.")
            : split + string.Create(c, $" For every held-out playlist longer than {seedTracks} tracks, its first {seedTracks} are given and the rest (distinct, without the given ones) is to be predicted: each model lists {ListLength} tracks other than the given ones. R-precision (relevant tracks in the first |rest| / |rest|, tracks only: the challenge's 0.25 artist credit is not given), NDCG@{k} and clicks (refreshes of {Metrics.ContinuationMetrics.ClicksPageSize} before the first relevant track; {ListLength / Metrics.ContinuationMetrics.ClicksPageSize + 1} when none) are averaged over playlists, then reported as mean ± sample standard deviation over the runs.");
    }
}
