namespace Earworm.Catalog.Import;

/// <summary>What <see cref="ItemResolver"/> asks of a back end's users and items (the SQLite store asks row by row;
/// the PostgreSQL store reads them all first and writes the new ones in bulk).</summary>
internal interface IItemStore
{
    long? FindUser(string name);

    long AddUser(string name);

    (long Id, long? Track)? FindItemByKey(string key);

    long? FindItemByTrack(long trackId);

    long AddItem(string key, long? track, string? artist, string? title, string? album, string? mbid, string? location);

    void LinkItem(long id, long track);
}

/// <summary>
/// Which user and which item an imported entry means (the rules of <see cref="CatalogStore.Import"/>), for every back
/// end: users by name; an entry matched to a track gets the track's one item — the one linked to it, else an unlinked
/// item filed under the entry's key or the track's own key, now linked, else a new one; an entry matching no track is
/// filed under its key. Counts what each source touched.
/// </summary>
internal sealed class ItemResolver(IItemStore store, TrackMatcher matcher)
{
    private readonly Dictionary<string, long> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Id, long? Track)> _itemsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _itemByTrack = [];
    // what each entry resolved to: the same entry always means the same item once it has been resolved
    private readonly Dictionary<ItemRef, (long Id, bool Matched)> _resolved = [];

    // per source
    public HashSet<long> UsersSeen { get; } = [];
    public HashSet<long> ItemsSeen { get; } = [];
    public HashSet<long> ItemsMatched { get; } = [];
    public int UsersAdded { get; private set; }
    public int ItemsAdded { get; private set; }

    /// <summary>What importing <paramref name="source"/> did, with the users and items this resolver counted since
    /// <see cref="BeginSource"/> (one shape of outcome for every back end).</summary>
    public ImportOutcome Outcome(ImportSource source, long importId, long? sameAs,
        (int Added, int Updated, int Duplicates, int Skips) listens, (int Added, int Updated, int Unchanged, int Entries) playlists, int tags) => new()
    {
        ImportId = importId,
        Format = ImportFormats.Name(source.Format),
        Path = source.Path,
        Sha256 = source.Sha256,
        Rows = source.Rows,
        SameAsImportId = sameAs,
        Users = UsersSeen.Count,
        UsersAdded = UsersAdded,
        Items = ItemsSeen.Count,
        ItemsAdded = ItemsAdded,
        ItemsMatched = ItemsMatched.Count,
        InteractionsAdded = listens.Added,
        InteractionsUpdated = listens.Updated,
        DuplicatesSkipped = listens.Duplicates,
        Skips = listens.Skips,
        PlaylistsAdded = playlists.Added,
        PlaylistsUpdated = playlists.Updated,
        PlaylistsUnchanged = playlists.Unchanged,
        PlaylistEntries = playlists.Entries,
        TagsWritten = tags,
        Ignored = source.Ignored,
    };

    /// <summary>Starts the counts of a new source.</summary>
    public void BeginSource()
    {
        UsersSeen.Clear();
        ItemsSeen.Clear();
        ItemsMatched.Clear();
        UsersAdded = ItemsAdded = 0;
    }

    public long User(string name)
    {
        if (!_users.TryGetValue(name, out long id))
        {
            if (store.FindUser(name) is { } found) id = found;
            else
            {
                id = store.AddUser(name);
                UsersAdded++;
            }
            _users[name] = id;
        }
        UsersSeen.Add(id);
        return id;
    }

    /// <summary>The item <paramref name="r"/> means.</summary>
    public long Item(ItemRef r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (!_resolved.TryGetValue(r, out var resolved)) _resolved[r] = resolved = Resolve(r);
        ItemsSeen.Add(resolved.Id);
        if (resolved.Matched) ItemsMatched.Add(resolved.Id);
        return resolved.Id;
    }

    private (long Id, bool Matched) Resolve(ItemRef r)
    {
        var key = ItemKeys.For(r) ?? throw new ArgumentException("an item that names nothing (no artist and title, id, path or URL)", nameof(r));
        long id;
        long? track = null;
        if (matcher.Match(r) is { } m)
        {
            track = m.Track.Id;
            id = ItemOfTrack(m.Track, r, key);
        }
        else if (ItemByKey(key) is { } existing)
        {
            id = existing.Id;
            track = existing.Track;
        }
        else
        {
            id = AddItem(key, null, r.Artist, r.Title, r.Album, r.Mbid, r.Path ?? r.Url);
        }
        return (id, track is not null);
    }

    /// <summary>A track has one item: the one linked to it; else an unlinked item filed under the entry's key or the
    /// track's own key, now linked; else a new one, filed under the first free of the track's key, the entry's key and
    /// <c>track:ID</c>.</summary>
    private long ItemOfTrack(TrackRecord t, ItemRef r, string key)
    {
        if (_itemByTrack.TryGetValue(t.Id, out long id)) return id;
        if (store.FindItemByTrack(t.Id) is { } linked) return _itemByTrack[t.Id] = linked;
        var natural = TrackMatcher.NaturalKey(t);
        foreach (var k in new[] { key, natural })
        {
            if (ItemByKey(k) is not { Track: null } free) continue;
            store.LinkItem(free.Id, t.Id);
            _itemsByKey[k] = (free.Id, t.Id);
            return _itemByTrack[t.Id] = free.Id;
        }
        var newKey = new[] { natural, key, ItemKeys.Track(t.Id) }.First(k => ItemByKey(k) is null);
        return AddItem(newKey, t.Id, t.Artist ?? t.AlbumArtist ?? r.Artist, t.Title ?? r.Title, t.Album ?? r.Album, r.Mbid, null);
    }

    /// <summary>The item filed under <paramref name="key"/>, if any.</summary>
    public (long Id, long? Track)? ItemByKey(string key)
    {
        if (_itemsByKey.TryGetValue(key, out var cached)) return cached;
        if (store.FindItemByKey(key) is not { } found) return null;
        return _itemsByKey[key] = found;
    }

    private long AddItem(string key, long? track, string? artist, string? title, string? album, string? mbid, string? location)
    {
        long id = store.AddItem(key, track, artist, title, album, mbid, location);
        _itemsByKey[key] = (id, track);
        if (track is { } t) _itemByTrack[t] = id;
        ItemsAdded++;
        return id;
    }
}
