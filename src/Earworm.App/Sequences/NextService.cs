using System.Globalization;
using Earworm.App.Library;
using Earworm.App.Recommendations;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Catalog.Import.Playlists;
using Earworm.Content.Sequences;
using Earworm.Learning.Sequences;

namespace Earworm.App.Sequences;

/// <summary>
/// What to play next by the order of listening, for every front end: a trained next-item network
/// (<see cref="TrainedSequenceModels"/>: SASRec or GRU4Rec) reads a history — the tracks named, or the listener's latest
/// session (their timed listens and the plays and skips players recorded, cut at the model's session gap, skips kept as
/// skips) — and ranks every item it knows as the next one; a playlist is continued one pick at a time, each the best
/// after the playlist and the picks before it. The model scores catalog items; an item linked to a library track
/// answers with the track.
/// </summary>
public sealed class NextService(LibraryCache library, TrainedSequenceModels models)
{
    /// <exception cref="UsageException">no sequence model (the message names the command that trains one), a bad
    /// request, a history the model knows nothing of.</exception>
    /// <exception cref="TrackNotFoundException">a track named matches nothing.</exception>
    public NextResult Next(NextRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validated();
        var model = models.Get(request.Model);
        var notes = new List<string>();
        var items = library.WithCatalog(c => c.LoadItems());
        var (history, how) = request.After.Count > 0
            ? (library.WithCatalog(c => Named(c, model, items, request.After, notes)), $"after the {Counted.Of(request.After.Count, "track")} named")
            : library.WithCatalog(c => Latest(c, model, request.User!, notes));
        var excluded = new HashSet<int>();
        if (!request.IncludeHeard) excluded.UnionWith(history.Select(h => h.Index));
        if (request.User is { } user) excluded.UnionWith(Disliked(user, model));
        var scores = Scores(model, model.Model, history, request.LibraryOnly);
        var ranked = NextItems.Rank(scores, new int[scores.Length], [.. excluded.Order()], request.Count);
        var picks = ranked.Select((j, r) => Pick(model, items, j, r + 1, scores[j], null)).ToList();
        Stale(model, notes);
        return new NextResult(model.Name, model.Version, $"{model.Description}, {how}", Entries(model, items, history), picks, notes);
    }

    /// <summary>The playlist continued: each pick the model's best after the playlist and the picks before it, never an
    /// entry already in it.</summary>
    /// <exception cref="UsageException">no sequence model, no such playlist, or none of its entries known to the model.</exception>
    public NextResult Continue(ContinueRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validated();
        var model = models.Get(request.Model);
        var notes = new List<string>();
        var (history, name) = library.WithCatalog(c => PlaylistHistory(c, model, request.Playlist, notes));
        var items = library.WithCatalog(c => c.LoadItems());
        var sequence = history.ToList();
        var excluded = new SortedSet<int>(history.Select(h => h.Index));
        var picks = new List<NextPick>();
        var pop = new int[model.ItemIds.Count];
        // the rest of a playlist: read as the options say, by default at every position of the playlist (its set)
        var reader = model.Model.Reading(model.File.Options.ReadOfRest);
        while (picks.Count < request.Count)
        {
            var scores = Scores(model, reader, sequence, request.LibraryOnly);
            var best = NextItems.Rank(scores, pop, [.. excluded], 1);
            if (best.Length == 0)
            {
                notes.Add($"{picks.Count} of the {request.Count} asked for: the model has no other item to propose");
                break;
            }
            int j = best[0];
            var before = sequence[^1];
            picks.Add(Pick(model, items, j, picks.Count + 1, scores[j], Label(model, items, before.Index)));
            sequence.Add(new Entry(j, false));
            excluded.Add(j);
        }
        Stale(model, notes);
        return new NextResult(model.Name, model.Version, $"{model.Description}, continuing {name} ({history.Count} entries), one pick at a time",
            Entries(model, items, history), picks, notes);
    }

    /// <summary>A history entry: the model's index and whether it was skipped.</summary>
    internal readonly record struct Entry(int Index, bool Skipped);

    private static float[] Scores(TrainedSequenceModel model, NeuralSequenceModel reader, IReadOnlyList<Entry> history, bool libraryOnly)
    {
        var scores = new float[model.ItemIds.Count];
        int n = Math.Min(history.Count, reader.MaxLength);
        var recent = history.Skip(history.Count - n).ToArray();
        reader.Score([.. recent.Select(e => e.Index)], [.. recent.Select(e => e.Skipped)], scores);
        if (libraryOnly)
            for (int j = 0; j < scores.Length; j++)
                if (model.TrackOfIndex[j] is null) scores[j] = float.NegativeInfinity;
        return scores;
    }

    /// <summary>The model's index of the item without audio that <paramref name="name"/> names by its words (artist and
    /// title, as the history is shown: "BTS – DNA"), among the items the model knows; one whose artist and title are
    /// exactly the words wins over others that merely hold them; null when none matches.</summary>
    /// <exception cref="UsageException">several match and none exactly.</exception>
    private static int? ItemNamed(IReadOnlyDictionary<long, ItemInfo> items, TrainedSequenceModel model, string name)
    {
        var words = TrackSearch.Words(name);
        if (words.Length == 0) return null;
        var matches = items.Values
            .Where(i => model.IndexOfItem(i.Id) is not null && TrackSearch.Matches(TrackSearch.Fold($"{i.Artist} {i.Title} {i.Album}"), words))
            .OrderBy(i => i.Id).ToList();
        if (matches.Count > 1)
        {
            var query = string.Join(' ', words);
            var exact = matches.Where(i => string.Join(' ', TrackSearch.Words($"{i.Artist} {i.Title}")) == query).ToList();
            if (exact.Count >= 1) matches = exact;
        }
        return matches.Count switch
        {
            0 => null,
            1 => model.IndexOfItem(matches[0].Id),
            _ => throw new UsageException($"\"{name}\" matches {matches.Count} items: " +
                string.Join("; ", matches.Take(5).Select(i => $"item:{i.Id} {i.Artist} – {i.Title}")) +
                (matches.Count > 5 ? "; …" : "") + ". Give more words, or item:ID."),
        };
    }

    /// <summary>The tracks named, in order; those the model does not know are left out and said.</summary>
    private static List<Entry> Named(ICatalog catalog, TrainedSequenceModel model, IReadOnlyDictionary<long, ItemInfo> items, IReadOnlyList<string> names, List<string> notes)
    {
        var history = new List<Entry>();
        var unknown = new List<string>();
        foreach (var name in names)
        {
            int? index;
            if (name.StartsWith("item:", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long itemId))
                index = model.IndexOfItem(itemId) ?? (items.ContainsKey(itemId) ? null
                    : throw new TrackNotFoundException($"no item {itemId} in this catalog (\"{name}\")"));
            else if (TrackResolver.Find(catalog, name) is { } track)
                index = model.IndexOfTrack(track.Id) ?? (catalog.ItemOfTrack(track.Id) is long i ? model.IndexOfItem(i) : null);
            else
                index = ItemNamed(items, model, name) ?? throw new TrackNotFoundException(
                    $"no track in the library and no item the model knows matches \"{name}\" (an item without audio: item:ID or its artist and title)");
            if (index is int j) history.Add(new Entry(j, false));
            else unknown.Add(name);
        }
        if (history.Count == 0)
            throw new UsageException($"the {model.Description} knows none of the tracks named (it learnt from listening sessions and playlists, " +
                                     "and these were in none): name tracks that were played, or `earworm train sequence` again after importing more");
        if (unknown.Count > 0) notes.Add($"left out of the history, unknown to the model: {string.Join(", ", unknown)}");
        return history;
    }

    /// <summary>The listener's latest session: their timed listens and the plays and skips players recorded, in time
    /// order, cut where two are more than the model's session gap apart; entries the model does not know are left out.</summary>
    private static (List<Entry> History, string How) Latest(ICatalog catalog, TrainedSequenceModel model, string user, List<string> notes)
    {
        var uid = catalog.FindUserId(user);
        if (uid is null && !catalog.UserExists(user))
            throw new UsageException($"no listener called '{user}' in this catalog (`earworm users` lists them): give the history with --after TRACK...");
        var events = new List<(long At, int? Index, bool Skipped)>();
        if (uid is long u)
            foreach (var r in catalog.LoadListening())
                if (r.UserId == u && r.TimestampUnixSeconds is long t) events.Add((t, model.IndexOfItem(r.ItemId), !(r.Count > 0)));
        // feedback comes newest first: reversed, so events in the same second keep the order they were recorded in
        foreach (var f in catalog.FeedbackOf(user, 10_000).Reverse())
            if (f.Kind is FeedbackKind.Play or FeedbackKind.Skip)
                events.Add((f.At.ToUnixTimeSeconds(), model.IndexOfTrack(f.TrackId), f.Kind == FeedbackKind.Skip));
        if (events.Count == 0)
            throw new UsageException($"{user} has no timed listens or plays to continue from: give the history with --after TRACK...");
        events = [.. events.OrderBy(e => e.At)]; // stable
        long gap = (long)(model.File.SessionGapMinutes * 60);
        int start = events.Count - 1;
        while (start > 0 && events[start].At - events[start - 1].At <= gap) start--;
        var session = events.Skip(start).ToList();
        var history = session.Where(e => e.Index is not null).Select(e => new Entry(e.Index!.Value, e.Skipped)).ToList();
        if (!history.Exists(e => !e.Skipped))
            throw new UsageException($"the {model.Description} knows none of the tracks {user} played in their latest session: give the history with --after TRACK...");
        int unknown = session.Count - history.Count;
        if (unknown > 0) notes.Add($"{unknown} of the session's {session.Count} entries are unknown to the model and left out");
        var began = DateTimeOffset.FromUnixTimeSeconds(session[0].At).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return (history, $"after {user}'s latest session ({session.Count} entr{(session.Count == 1 ? "y" : "ies")} from {began} UTC, " +
                         $"cut at {model.File.SessionGapMinutes:0.#} minutes)");
    }

    /// <summary>A catalog playlist (by id, then by name) or a playlist file, as the model's entries.</summary>
    private static (List<Entry> History, string Name) PlaylistHistory(ICatalog catalog, TrainedSequenceModel model, string name, List<string> notes)
    {
        List<int?> indices;
        string shown;
        if (File.Exists(name))
        {
            indices = FileEntries(catalog, model, name);
            shown = Path.GetFileName(name);
        }
        else
        {
            var all = catalog.LoadPlaylists();
            var key = name.StartsWith("pl-", StringComparison.OrdinalIgnoreCase) ? name[3..] : name;
            var matches = long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out long id) && all.FirstOrDefault(p => p.Id == id) is { } byId
                ? [byId]
                : all.Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
                throw new UsageException($"no playlist \"{name}\": give a catalog playlist's id or name (imported with `earworm import m3u|xspf|mpd-json`) or an M3U8/XSPF file");
            if (matches.Count > 1)
                throw new UsageException($"{matches.Count} playlists are called \"{name}\": give one's id ({string.Join(", ", matches.Select(p => p.Id))})");
            indices = [.. matches[0].ItemIds.Select(i => model.IndexOfItem(i))];
            shown = $"playlist {matches[0].Id} \"{matches[0].Name}\"";
        }
        var history = indices.OfType<int>().Select(j => new Entry(j, false)).ToList();
        if (history.Count == 0)
            throw new UsageException(indices.Count == 0 ? $"{shown} is empty" : $"the {model.Description} knows none of the {indices.Count} entries of {shown}");
        if (history.Count < indices.Count) notes.Add($"{indices.Count - history.Count} of the {indices.Count} entries of {shown} are unknown to the model and left out");
        return (history, shown);
    }

    /// <summary>The entries of an M3U/M3U8/XSPF file: by the library track a path names, else by artist and title.</summary>
    private static List<int?> FileEntries(ICatalog catalog, TrainedSequenceModel model, string path)
    {
        PlaylistRecord playlist;
        using (var reader = new StreamReader(path))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            playlist = Path.GetExtension(path).Equals(".xspf", StringComparison.OrdinalIgnoreCase)
                ? XspfPlaylist.Parse(reader, path, folder)
                : M3uPlaylist.Parse(reader, path, folder);
        }
        var bySong = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in catalog.LoadItems().Values.OrderBy(i => i.Id))
            if (ItemKeys.Song(item.Artist, item.Title) is { } song) bySong.TryAdd(song, item.Id);
        return [.. playlist.Entries.Select(e =>
        {
            if (e.Item.Path is { } p && catalog.FindByPath(p) is { } track)
                return model.IndexOfTrack(track.Id) ?? (catalog.ItemOfTrack(track.Id) is long i ? model.IndexOfItem(i) : null);
            return ItemKeys.Song(e.Item.Artist, e.Item.Title) is { } s && bySong.TryGetValue(s, out long item) ? model.IndexOfItem(item) : null;
        })];
    }

    private IEnumerable<int> Disliked(string user, TrainedSequenceModel model) =>
        library.WithCatalog(c => c.TracksWithFeedback(user, FeedbackKind.Dislike)).Select(model.IndexOfTrack).OfType<int>();

    private NextPick Pick(TrainedSequenceModel model, IReadOnlyDictionary<long, ItemInfo> items, int index, int rank, float score, string? after)
    {
        long itemId = model.ItemIds[index];
        var track = model.TrackOfIndex[index] is long t ? library.Current.Find(t) : null;
        return new NextPick(rank, itemId, track?.Id, RecommendationService.Label(items.GetValueOrDefault(itemId), track), track?.Path, score, after);
    }

    private string Label(TrainedSequenceModel model, IReadOnlyDictionary<long, ItemInfo> items, int index) =>
        RecommendationService.Label(items.GetValueOrDefault(model.ItemIds[index]), model.TrackOfIndex[index] is long t ? library.Current.Find(t) : null);

    private List<SequenceEntry> Entries(TrainedSequenceModel model, IReadOnlyDictionary<long, ItemInfo> items, IEnumerable<Entry> history) =>
        [.. history.Select(e => new SequenceEntry(model.ItemIds[e.Index], model.TrackOfIndex[e.Index], Label(model, items, e.Index), e.Skipped))];

    private void Stale(TrainedSequenceModel model, List<string> notes)
    {
        if (library.WithCatalog(c => c.ListeningDataVersion()) != model.Record.DataVersion)
            notes.Add($"the {model.Description} was trained before the latest listening data: `earworm train sequence --model {model.Name}` brings it up to date");
    }

}
