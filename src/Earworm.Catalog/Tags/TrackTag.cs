namespace Earworm.Catalog.Tags;

/// <summary>Where a tag on a track came from.</summary>
public enum TagSource
{
    /// <summary>Read from the file's own tags at scan (genre, mood, grouping, style, comment keywords).</summary>
    File,

    /// <summary>Imported: Last.fm 2K's tags on the track's artist, or <c>earworm import tags</c>.</summary>
    Import,

    /// <summary>Added by a person (web app, API).</summary>
    User,

    /// <summary>Heard in the audio by the autotagger.</summary>
    Audio,
}

/// <summary>The names sources have in the catalog and in every front end's output.</summary>
public static class TagSources
{
    public static IReadOnlyList<TagSource> All { get; } = Enum.GetValues<TagSource>();

    public static string Name(this TagSource source) => source switch
    {
        TagSource.File => "file",
        TagSource.Import => "import",
        TagSource.User => "user",
        TagSource.Audio => "audio",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    public static TagSource Parse(string name) => name switch
    {
        "file" => TagSource.File,
        "import" => TagSource.Import,
        "user" => TagSource.User,
        "audio" => TagSource.Audio,
        _ => throw new CatalogException($"unknown tag source '{name}'"),
    };
}

/// <summary>A tag on a track with its score (how many people used it, a weight given, or a tagger's confidence) and
/// where it came from. <see cref="Tag"/> is normalised (<see cref="TagText"/>).</summary>
public sealed record TrackTag(long TrackId, string Tag, double Score, TagSource Source);

/// <summary>A tag on a listening item (an artist of Last.fm 2K, a track of an import), counted over the people who used it.</summary>
public sealed record ItemTagRecord(long ItemId, string Tag, double Count, string Source);
