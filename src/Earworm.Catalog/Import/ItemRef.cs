namespace Earworm.Catalog.Import;

/// <summary>
/// What a source says about the thing listened to. The writer matches it to a catalog track (by
/// <see cref="TrackId"/>, then <see cref="Path"/>, then <see cref="Artist"/> + <see cref="Title"/>) and files it
/// under one catalog item, found or made by its <see cref="ItemKeys">key</see>.
/// </summary>
public sealed record ItemRef
{
    public string? Artist { get; init; }
    public string? Title { get; init; }
    public string? Album { get; init; }

    /// <summary>A MusicBrainz recording id, lower-case.</summary>
    public string? Mbid { get; init; }

    /// <summary>The source's own id, namespaced by source: <c>lastfm-2k:artist:51</c>, <c>csv:42</c>.</summary>
    public string? SourceKey { get; init; }

    /// <summary>Whether <see cref="SourceKey"/> is the item's identity even when artist and title are known: the
    /// Million Playlist Dataset's track URIs, where one song on two releases is two items.</summary>
    public bool KeyedBySource { get; init; }

    /// <summary>An absolute file path (playlists, csv), resolved but not canonicalised: the writer does that.</summary>
    public string? Path { get; init; }

    /// <summary>A location that is not a local file (http, https, …): kept on the item, never matched.</summary>
    public string? Url { get; init; }

    /// <summary>A catalog track id the source names (csv with <c>track:N</c> items).</summary>
    public long? TrackId { get; init; }
}

/// <summary>One listening record: who (null when the file does not say; <c>--user</c> fills it), what, how many
/// plays, and when (unix seconds, when the play started; null for an aggregated count). A count of 0 is a
/// skip: heard but not counted as a play.</summary>
public sealed record Listen(string? User, ItemRef Item, double Count, long? TimestampUnixSeconds, int LineNumber);

/// <summary>One entry of a playlist, in order.</summary>
public sealed record PlaylistLine(ItemRef Item, int LineNumber);

/// <summary>An ordered playlist as read from <paramref name="SourcePath"/>.</summary>
public sealed record PlaylistRecord(string Name, string SourcePath, IReadOnlyList<PlaylistLine> Entries);

/// <summary>A free-text tag on an item and how many times it was applied (HetRec's user_taggedartists).</summary>
public sealed record ItemTag(string ItemSourceKey, string Tag, int Count);

/// <summary>What a listening parser read: the listens, the data rows seen, and rows left out on purpose, by reason
/// (podcast episodes, scrobbles without a date…).</summary>
public sealed record ListenLog(IReadOnlyList<Listen> Listens, int Rows, IReadOnlyDictionary<string, int> Ignored)
{
    internal sealed class Builder
    {
        private readonly List<Listen> _listens = [];
        private readonly SortedDictionary<string, int> _ignored = new(StringComparer.Ordinal);

        public int Rows { get; set; }

        public void Add(Listen listen) => _listens.Add(listen);

        public void Ignore(string reason) => _ignored[reason] = _ignored.GetValueOrDefault(reason) + 1;

        public ListenLog Build() => new(_listens, Rows, _ignored);
    }
}
