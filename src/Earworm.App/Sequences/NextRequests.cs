namespace Earworm.App.Sequences;

/// <summary>What to play next, as a front end asks for it: after the tracks named, else after the listener's latest
/// listening session.</summary>
/// <param name="User">The listener whose latest session is the history (when <paramref name="After"/> is empty); their
/// dislikes are never proposed.</param>
/// <param name="After">The history, oldest first: catalog ids, paths, words of "artist – title", or item:ID.</param>
/// <param name="Model">sasrec or gru4rec (the newest of that kind); null: the current sequence model.</param>
/// <param name="LibraryOnly">Only tracks of the library (no items heard elsewhere without an audio file).</param>
/// <param name="IncludeHeard">Keep the history's own items among the answers.</param>
public sealed record NextRequest(string? User, IReadOnlyList<string> After, string? Model = null, int Count = 20, bool LibraryOnly = false,
    bool IncludeHeard = false)
{
    public const int MaxCount = 500;
    public const int MaxAfter = 1000;

    /// <exception cref="UsageException">no history named and no listener, or a value out of range.</exception>
    public NextRequest Validated()
    {
        if (string.IsNullOrWhiteSpace(User) && (After is null || After.Count == 0))
            throw new UsageException("say after what: tracks (--after TRACK...) or a listener whose latest listening is the history (--user NAME)");
        if (After is { Count: > MaxAfter }) throw new UsageException($"at most {MaxAfter} tracks of history");
        if (Count is < 1 or > MaxCount) throw new UsageException($"count must be 1–{MaxCount}");
        return this;
    }
}

/// <summary>Continue a playlist: <paramref name="Count"/> more, each the model's next after the playlist and the picks
/// before it.</summary>
/// <param name="Playlist">A playlist of the catalog (its id, or its name) or an M3U/M3U8/XSPF file.</param>
public sealed record ContinueRequest(string Playlist, string? Model = null, int Count = 20, bool LibraryOnly = false)
{
    /// <exception cref="UsageException">no playlist named, or a count out of range.</exception>
    public ContinueRequest Validated()
    {
        if (string.IsNullOrWhiteSpace(Playlist)) throw new UsageException("name the playlist to continue (a catalog playlist's id or name, or an M3U8/XSPF file)");
        if (Count is < 1 or > NextRequest.MaxCount) throw new UsageException($"count must be 1–{NextRequest.MaxCount}");
        return this;
    }
}

/// <summary>An entry of the history the model read.</summary>
public sealed record SequenceEntry(long ItemId, long? TrackId, string Label, bool Skipped);

/// <summary>A proposed next item (and its library track, when it has one), its model score, and what it comes after
/// (continuations: the entry before it).</summary>
public sealed record NextPick(int Rank, long ItemId, long? TrackId, string Label, string? Path, float Score, string? After = null);

/// <summary>The answer: which model (name and version), how the history was had, the history it read, the picks and
/// notes (entries it could not place, a stale model).</summary>
public sealed record NextResult(string Model, string Version, string How, IReadOnlyList<SequenceEntry> History, IReadOnlyList<NextPick> Picks,
    IReadOnlyList<string> Notes);
