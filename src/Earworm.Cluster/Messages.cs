namespace Earworm.Cluster;

// What grains send each other (Orleans serialises them with the generated code: [GenerateSerializer], an [Id] per field).

/// <summary>A top-k search as the coordinator receives it: the space, the catalog generation its vectors are of, the
/// query vector, how many, a track to leave out (the query's own), how many shards and how long each may take.</summary>
[GenerateSerializer, Immutable]
public sealed class SearchQuery
{
    [Id(0)] public string Space { get; init; } = "";
    [Id(1)] public long Generation { get; init; }
    [Id(2)] public float[] Vector { get; init; } = [];
    [Id(3)] public int K { get; init; }
    [Id(4)] public long? Exclude { get; init; }
    [Id(5)] public int Shards { get; init; }
    [Id(6)] public int DeadlineMs { get; init; }
}

/// <summary>The merged best of the shards that answered, best first, with the share of shards that did.</summary>
[GenerateSerializer, Immutable]
public sealed class SearchAnswer
{
    [Id(0)] public long[] Ids { get; init; } = [];
    [Id(1)] public float[] Scores { get; init; } = [];
    [Id(2)] public double Coverage { get; init; }
    [Id(3)] public int ShardsAnswered { get; init; }
}

/// <summary>One shard's part of a search.</summary>
[GenerateSerializer, Immutable]
public sealed class ShardQuery
{
    [Id(0)] public long Generation { get; init; }
    [Id(1)] public float[] Vector { get; init; } = [];
    [Id(2)] public int K { get; init; }
    [Id(3)] public long? Exclude { get; init; }
}

/// <summary>A shard's best, best first (scores as <see cref="Recommend.IVectorIndex"/> gives them: higher is closer),
/// and the generation its vectors are of.</summary>
[GenerateSerializer, Immutable]
public sealed class ShardAnswer
{
    [Id(0)] public long[] Ids { get; init; } = [];
    [Id(1)] public float[] Scores { get; init; } = [];
    [Id(2)] public long Generation { get; init; }
    [Id(3)] public int Count { get; init; }

    /// <summary>The silo the shard answered from.</summary>
    [Id(4)] public string Silo { get; init; } = "";
}

/// <summary>A listener's feedback as their session hears of it (already in the catalog: <see cref="FeedbackId"/> is its id there).</summary>
[GenerateSerializer, Immutable]
public sealed class ListenerEvent
{
    [Id(0)] public long FeedbackId { get; init; }
    [Id(1)] public long TrackId { get; init; }
    [Id(2)] public string Kind { get; init; } = "";
}
