using Earworm.App.Events;
using Earworm.App.Library;
using Earworm.App.Sequences;
using Earworm.App.Uploads;
using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;
using Earworm.Recommend.Text;

namespace Earworm.App.Playlists;

/// <summary>
/// Playlists for every front end: resolves what a request names (tracks, files outside the library, an analysed upload,
/// a listener), validates it (<see cref="PlaylistLimits"/>), chooses the space, adds the exclusions (tracks, artists,
/// the listener's dislikes) and runs the space's <see cref="PlaylistEngine"/>. Keep playing follows the order of
/// listening when a sequence model is trained (<paramref name="sequences"/>): it picks each next track while it knows the
/// tracks so far, the space otherwise. Thread-safe: it reads the library's current view and opens a connection of its
/// own when it needs the catalog. A keep-playing list for a named listener is logged as impressions
/// (<see cref="EventLog"/>, propensity 1) unless it is drunk: its random pick has no propensity Earworm could state.
/// </summary>
public sealed class PlaylistService(LibraryCache library, IAudioFileEmbedder? embedder = null, UploadAnalyser? uploads = null,
    UploadPlacement? placement = null, EventLog? events = null, TrainedSequenceModels? sequences = null)
{
    /// <exception cref="UsageException">a bad request, nothing to seed with, or a seed that has no point in the space.</exception>
    /// <exception cref="TrackNotFoundException">a seed names no track and no file.</exception>
    public async Task<PlaylistResult> KeepPlayingAsync(KeepPlayingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlaylistLimits.Validate(request);
        var view = library.Current;
        var upload = await UploadSeedAsync(view, request.Upload, request.Space).ConfigureAwait(false);
        var space = view.Space(upload?.Space ?? request.Space);
        var seeds = new List<PlaylistSeed>();
        if (upload is not null) seeds.Add(upload.Seed);
        foreach (var s in request.Seeds) seeds.Add(await SeedAsync(view, space, s, cancellationToken).ConfigureAwait(false));
        foreach (var id in (request.History ?? []).Concat(request.Liked ?? [])) seeds.Add(TrackSeed(view, space, id));
        var notes = new List<string>();
        var text = request.Text is { } words ? TextSeeds(view, space, words, request.KeepOn, seeds, notes) : null;
        if (seeds.Count == 0 && request.User is { } user) seeds.AddRange(RecentSeeds(view, space, user, request.KeepOn, notes));
        if (seeds.Count == 0) throw new UsageException("give seeds (tracks or files), words (--text), an upload, or a listener with a listening history");
        int seedEntries = request.NextOnly ? seeds.Select(s => s.Track?.Id).OfType<long>().Distinct().Count() : 0;
        var options = new KeepPlayingOptions(request.Length + seedEntries, request.KeepOn, request.Drunk, request.SeedRandom ?? Random.Shared.Next());
        var away = (request.Away ?? []).Distinct().Select(id => TrackSeed(view, space, id).Vector).ToList();
        var constraints = Constraints(view, request) with { OnlyTracks = request.Among };
        if (request.Away is { Count: > 0 } skipped) constraints = constraints with { ExcludeTracks = [.. constraints.ExcludeTracks, .. skipped] };
        var order = request.FollowOrder && sequences?.Current() is { } model ? model : null;
        if (order is not null)
            notes.Add($"each next track by the {order.Description} while it knows the tracks so far ({order.LinkedTracks} library tracks), " +
                      $"by the {space.Name} space otherwise");
        var result = space.Engine.KeepPlaying(seeds, options, constraints, away, order is null ? null : new SequenceTrackOrder(order));
        var entries = request.NextOnly ? [.. result.Entries.Where(e => e.Role != "seed")] : result.Entries;
        if (text is not null) entries = [.. entries.Select(e => text.TryGetValue(e.TrackId, out var m) ? e with { Reasons = [WordsReason(m), .. e.Reasons] } : e)];
        if (request.Drunk == 0 && events is not null)
            events.Shown(request.User, "keep-playing", "greedy", order is null ? "space " + space.Name : $"{order.Version}, space {space.Name}",
                [.. entries.Where(e => e.Role != "seed").Select(e => new ShownTrack(e.TrackId, null, e.Score ?? e.Similarity))]);
        return result with { Entries = entries, Notes = [.. notes, .. result.Notes] };
    }

    private static string WordsReason(TextMatch m) => "words: " + string.Join(", ", m.Words.Select(w => $"\"{w}\""));

    /// <summary>The tracks the words match best (at most <paramref name="keepOn"/>, best first) added to the seeds; what
    /// the words matched said in the notes. Returns every match by track, to say which words pulled each in.</summary>
    /// <exception cref="UsageException">no tag and no text matches the words.</exception>
    private Dictionary<long, TextMatch> TextSeeds(LibraryView view, LibrarySpace space, string words, int keepOn, List<PlaylistSeed> seeds, List<string> notes)
    {
        bool InSpace(long id) => view.Facts.ContainsKey(id) && space.Vectors.Contains(id);
        var tags = (view.Words?.TrackTags ?? library.WithCatalog(c => c.AllTrackTags())).Where(t => InSpace(t.TrackId)).ToList();
        var query = WordQuery.Match(words, tags, view.Words, InSpace);
        if (query.Tracks.Count == 0)
        {
            var common = tags.GroupBy(t => t.Tag).OrderByDescending(g => g.Count()).Take(12).Select(g => g.Key);
            bool texts = view.Words?.Text is { Count: > 0 };
            throw new UsageException(tags.Count == 0 && !texts
                ? $"no track in the {space.Name} space has tags or texts: scan tagged files, `earworm import tags FILE.csv`, " +
                  "`earworm tags TRACK --add TAG`, or `earworm import text DIR|FILE.csv`"
                : $"no tag{(texts ? " and no text" : "")} matches \"{words}\"" + (tags.Count > 0 ? $"; the library's most used tags: {string.Join(", ", common)}" : ""));
        }
        foreach (var m in query.Tracks.Take(keepOn))
        {
            var facts = view.Facts[m.TrackId];
            seeds.Add(new PlaylistSeed(facts, space.Vector(m.TrackId)!, facts.DisplayName));
        }
        notes.Add("words matched to tags and texts: " + string.Join("; ", query.Matched.Select(kv => $"\"{kv.Key}\" → {string.Join(", ", kv.Value)}")) +
                  $" ({query.Tracks.Count} tracks match; the best {Math.Min(keepOn, query.Tracks.Count)} seed the playlist)" +
                  (query.Unmatched.Count > 0 ? $"; no tag for {string.Join(", ", query.Unmatched.Select(w => $"\"{w}\""))}" : ""));
        return query.Tracks.ToDictionary(m => m.TrackId);
    }

    /// <exception cref="UsageException">a bad request, or an anchor that is not an analysed track with a point in the space.</exception>
    /// <exception cref="TrackNotFoundException">an anchor names no track.</exception>
    public Task<PlaylistResult> JoinTheDotsAsync(JoinTheDotsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlaylistLimits.Validate(request);
        cancellationToken.ThrowIfCancellationRequested();
        var view = library.Current;
        var space = view.Space(request.Space);
        var anchors = library.WithCatalog(catalog =>
            new[] { request.From }.Concat(request.Via).Append(request.To).Select(name => Analysed(view, catalog, name)).ToList());
        var constraints = Constraints(view, request);
        return Task.FromResult(space.Engine.JoinTheDots(anchors, request.Length, constraints));
    }

    /// <summary>The analysed library track <paramref name="name"/> names.</summary>
    private static TrackFacts Analysed(LibraryView view, ICatalog catalog, string name)
    {
        if (view.ById(name) is { } byId) return byId;
        var t = TrackResolver.Find(catalog, name) ?? throw new TrackNotFoundException($"no track in the library matches \"{name}\"");
        return view.Facts.TryGetValue(t.Id, out var f) ? f : throw TrackResolver.NotAnalysed(t);
    }

    private sealed record UploadSeed(string Space, PlaylistSeed Seed);

    /// <summary>An analysed upload as a seed, placed in the space named when it can be, else in its best place.</summary>
    private async Task<UploadSeed?> UploadSeedAsync(LibraryView view, string? id, string? space)
    {
        if (string.IsNullOrEmpty(id)) return null;
        var upload = uploads?.Find(id) ?? throw new UsageException($"no analysed upload {id} (uploads are kept while the server runs; send the file again)");
        var point = await (placement ?? new UploadPlacement(library)).PlaceAsync(view, upload, space).ConfigureAwait(false);
        return new UploadSeed(point.Space.Name, new PlaylistSeed(null, point.Vector, "your file", upload.Descriptors, upload.ContentHash));
    }

    /// <summary>A seed as a person names it: a library track (its vector), else a file outside the library (its
    /// descriptors measured and placed in the space).</summary>
    private async Task<PlaylistSeed> SeedAsync(LibraryView view, LibrarySpace space, string name, CancellationToken ct)
    {
        if (view.ById(name) is { } byId) return TrackSeed(view, space, byId.Id);
        var target = library.WithCatalog(catalog => TrackResolver.Resolve(catalog, name));
        if (target.Track is { } track && view.Facts.TryGetValue(track.Id, out var facts))
            return new PlaylistSeed(facts, space.Vector(track.Id) ?? throw NoVector(facts, space), facts.DisplayName);
        if (target.File is not { } file) throw TrackResolver.NotAnalysed(target.Track!);
        var descriptors = await FileDescriber.DescribeAsync(file, ct).ConfigureAwait(false);
        var vector = await library.WithCatalogAsync(c => new SpaceService(c).FileVectorAsync(space.Name, file, descriptors, embedder, ct)).ConfigureAwait(false);
        return new PlaylistSeed(null, vector, Path.GetFileName(file), descriptors);
    }

    /// <summary>A library track by id (a player's history and likes).</summary>
    private static PlaylistSeed TrackSeed(LibraryView view, LibrarySpace space, long id)
    {
        var facts = view.Facts.GetValueOrDefault(id) ?? throw new TrackNotFoundException(id);
        return new PlaylistSeed(facts, space.Vector(id) ?? throw NoVector(facts, space), facts.DisplayName);
    }

    /// <summary>The listener's most recent tracks with a point in the space, oldest first (the latest steers last).</summary>
    private List<PlaylistSeed> RecentSeeds(LibraryView view, LibrarySpace space, string user, int keepOn, List<string> notes)
    {
        var (recent, known) = library.WithCatalog(c => (c.RecentTracksOf(user, Math.Max(1, keepOn)), c.UserExists(user)));
        if (recent.Count == 0)
            throw new UsageException(known
                ? $"{user} has no listening history among the library's tracks: give seeds"
                : $"no listener called '{user}' in this catalog (`earworm users` lists them): give seeds");
        var seeds = recent.Reverse().Where(id => view.Facts.ContainsKey(id) && space.Vectors.Contains(id))
            .Select(id => new PlaylistSeed(view.Facts[id], space.Vector(id)!, view.Facts[id].DisplayName)).ToList();
        if (seeds.Count == 0) throw new UsageException($"none of {user}'s recent tracks has a vector in the {space.Name} space");
        notes.Add($"seeded by {user}'s {seeds.Count} most recent tracks");
        return seeds;
    }

    private static UsageException NoVector(TrackFacts facts, LibrarySpace space) =>
        new($"{facts.DisplayName} (track {facts.Id}) has no vector in the {space.Name} space");

    /// <summary>The steering as the engine's constraints: the tempo range parsed, the excluded tracks and artists
    /// resolved, and the listener's dislikes added.</summary>
    private PlaylistConstraints Constraints(LibraryView view, PlaylistSteering s) => library.WithCatalog(catalog =>
    {
        var tracks = new HashSet<long>();
        var artists = new List<string>(s.ExcludeArtists ?? []);
        var known = s.Exclude is { Count: > 0 } // the library's artists, only when something is to be left out by name
            ? view.Facts.Values.Select(f => f.Artist).OfType<string>().Select(a => a.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : [];
        foreach (var e in s.Exclude ?? [])
        {
            if (known.Contains(e.Trim())) artists.Add(e.Trim());
            else tracks.Add((TrackResolver.Find(catalog, e) ?? throw new UsageException($"exclude \"{e}\" is neither an artist nor a track of the library")).Id);
        }
        if (s.User is { } user && s.ExcludeDisliked)
            tracks.UnionWith(catalog.TracksWithFeedback(user, FeedbackKind.Dislike));
        var tempo = PlaylistLimits.TempoRange(s.Tempo);
        return new PlaylistConstraints
        {
            TempoMinBpm = tempo?.Min, TempoMaxBpm = tempo?.Max, Energy = s.Energy, KeyCompatible = s.KeyCompatible,
            NoRepeatArtist = s.NoRepeatArtist, MaxMinutes = s.MaxMinutes, ExcludeTracks = tracks, ExcludeArtists = artists,
        };
    });
}
