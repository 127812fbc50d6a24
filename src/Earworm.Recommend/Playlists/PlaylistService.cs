using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend.Spaces;

namespace Earworm.Recommend.Playlists;

/// <summary>A keep-playing playlist as the CLI and the web app ask for it.</summary>
public sealed record KeepPlayingRequest
{
    /// <summary>Seeds: catalog ids, paths, words of "artist – title", or audio files outside the library.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>A listener: with no <see cref="Seeds"/>, their most recent tracks seed the playlist; their disliked
    /// tracks are never played.</summary>
    public string? User { get; init; }

    /// <summary>The space (<see cref="SpaceService.Names"/>); null: the best learned one, else descriptors.</summary>
    public string? Space { get; init; }

    public int Length { get; init; } = 20;
    public int KeepOn { get; init; } = 3;
    public double Drunk { get; init; }
    public int RandomSeed { get; init; }
    public PlaylistConstraints Constraints { get; init; } = new();

    /// <summary>Tracks (as <see cref="Seeds"/>) or artist names never to play.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];
}

/// <summary>A join-the-dots playlist as the CLI and the web app ask for it.</summary>
public sealed record JoinTheDotsRequest
{
    public required string From { get; init; }
    public required string To { get; init; }
    public IReadOnlyList<string> Via { get; init; } = [];

    /// <summary>Tracks in all, the anchors included.</summary>
    public int Length { get; init; } = 12;

    public string? Space { get; init; }

    /// <summary>A listener whose disliked tracks are never played.</summary>
    public string? User { get; init; }

    public PlaylistConstraints Constraints { get; init; } = new();
    public IReadOnlyList<string> Exclude { get; init; } = [];
}

/// <summary>
/// Playlists over a catalog: resolves the tracks, files and listener a request names, loads the space and its index
/// (<see cref="SpaceService"/>), and runs the <see cref="PlaylistEngine"/>. One instance per catalog connection;
/// it keeps the spaces it loaded, so later requests are fast. Not thread-safe (the catalog connection is not):
/// serialise calls or make one per request.
/// </summary>
public sealed class PlaylistService
{
    private readonly ICatalog _catalog;
    private readonly IAudioFileEmbedder? _embedder;
    private readonly Func<string, CancellationToken, Task<TrackDescriptors>> _describe;
    private readonly Lazy<Dictionary<long, TrackFacts>> _facts;
    private readonly Dictionary<string, PlaylistEngine> _engines = new(StringComparer.Ordinal);

    /// <param name="describeFile">Measures the descriptors of a file outside the library (default: decode with ffmpeg).</param>
    public PlaylistService(ICatalog catalog, SpaceService? spaces = null, IAudioFileEmbedder? embedder = null,
        Func<string, CancellationToken, Task<TrackDescriptors>>? describeFile = null)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        Spaces = spaces ?? new SpaceService(catalog);
        _embedder = embedder;
        _describe = describeFile ?? ((path, ct) => FileDescriber.DescribeAsync(path, ct));
        _facts = new Lazy<Dictionary<long, TrackFacts>>(() => _catalog.ListTracks(TrackStatus.Analysed).ToDictionary(t => t.Id,
            t => new TrackFacts(t.Id, t.Path, t.Artist, t.Title, t.DurationSeconds, t.ContentHash, Spaces.Descriptors.GetValueOrDefault(t.Id))));
    }

    public SpaceService Spaces { get; }

    /// <summary>The library's analysed tracks as the engine sees them.</summary>
    public IReadOnlyDictionary<long, TrackFacts> Facts => _facts.Value;

    public async Task<PlaylistResult> KeepPlayingAsync(KeepPlayingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var space = request.Space ?? Spaces.PreferredSpace();
        var engine = Engine(space);
        var seeds = new List<PlaylistSeed>();
        foreach (var s in request.Seeds)
            seeds.Add(await SeedAsync(space, s, cancellationToken).ConfigureAwait(false));
        var notes = new List<string>();
        if (seeds.Count == 0 && request.User is { } user)
        {
            var recent = _catalog.RecentTracksOf(user, Math.Max(1, request.KeepOn));
            if (recent.Count == 0)
                throw new UsageException(_catalog.UserExists(user)
                    ? $"{user} has no listening history among the library's tracks: give seed tracks"
                    : $"no listener called '{user}' in this catalog (`earworm users` lists them): give seed tracks");
            var vectors = Spaces.Load(space);
            foreach (var id in recent.Reverse()) // oldest first: the most recent steers last
                if (vectors.Contains(id)) seeds.Add(new PlaylistSeed(Facts[id], vectors.VectorOf(id).ToArray(), Facts[id].DisplayName));
            if (seeds.Count == 0) throw new UsageException($"none of {user}'s recent tracks has a vector in the {space} space");
            notes.Add($"seeded by {user}'s {seeds.Count} most recent tracks");
        }
        if (seeds.Count == 0) throw new UsageException("give at least one seed track or file, or --user NAME");
        var constraints = Constrain(request.Constraints, request.Exclude, request.User);
        var result = engine.KeepPlaying(seeds, new KeepPlayingOptions(request.Length, request.KeepOn, request.Drunk, request.RandomSeed), constraints);
        return result with { Notes = [.. notes, .. result.Notes] };
    }

    public Task<PlaylistResult> JoinTheDotsAsync(JoinTheDotsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var space = request.Space ?? Spaces.PreferredSpace();
        var engine = Engine(space);
        var anchors = new[] { request.From }.Concat(request.Via).Append(request.To).Select(Track).ToList();
        var constraints = Constrain(request.Constraints, request.Exclude, request.User);
        return Task.FromResult(engine.JoinTheDots(anchors, request.Length, constraints));
    }

    /// <summary>The library track <paramref name="target"/> names (id, path, words of "artist – title").</summary>
    /// <exception cref="UsageException">nothing or several tracks match, or the track is not analysed.</exception>
    public TrackFacts Track(string target)
    {
        var t = TrackLookup.Find(_catalog, target) ?? throw new UsageException($"no track in the library matches \"{target}\"");
        return Facts.TryGetValue(t.Id, out var f) ? f : throw new UsageException($"track {t.Id} ({t.Path}) is {t.Status.ToString().ToLowerInvariant()}, not analysed");
    }

    private PlaylistEngine Engine(string space)
    {
        if (_engines.TryGetValue(space, out var engine)) return engine;
        var vectors = Spaces.Load(space);
        engine = new PlaylistEngine(vectors, Spaces.Index(space), Facts);
        _engines[space] = engine;
        return engine;
    }

    private async Task<PlaylistSeed> SeedAsync(string space, string target, CancellationToken ct)
    {
        var vectors = Spaces.Load(space);
        var track = TrackLookup.Find(_catalog, target);
        if (track is not null && Facts.TryGetValue(track.Id, out var facts))
        {
            if (!vectors.Contains(track.Id)) throw new UsageException($"{facts.DisplayName} (track {track.Id}) has no vector in the {space} space");
            return new PlaylistSeed(facts, vectors.VectorOf(track.Id).ToArray(), facts.DisplayName);
        }
        if (!File.Exists(target)) throw new UsageException($"no track or file matches \"{target}\"");
        var descriptors = await _describe(target, ct).ConfigureAwait(false);
        var v = await Spaces.FileVectorAsync(space, target, descriptors, _embedder, ct).ConfigureAwait(false);
        return new PlaylistSeed(null, v, Path.GetFileName(target), descriptors);
    }

    /// <summary>Adds the excluded tracks and artists, and the listener's disliked tracks, to the constraints.</summary>
    private PlaylistConstraints Constrain(PlaylistConstraints constraints, IReadOnlyList<string> exclude, string? user)
    {
        var tracks = new HashSet<long>(constraints.ExcludeTracks);
        var artists = new List<string>(constraints.ExcludeArtists);
        var known = Facts.Values.Select(f => f.Artist).OfType<string>().Select(a => a.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var e in exclude)
        {
            if (known.Contains(e.Trim())) artists.Add(e.Trim());
            else tracks.Add((TrackLookup.Find(_catalog, e) ?? throw new UsageException($"--exclude \"{e}\" is neither an artist nor a track of the library")).Id);
        }
        if (user is not null)
            foreach (var f in _catalog.FeedbackOf(user, 100_000).Where(f => f.Kind == FeedbackKind.Dislike))
                tracks.Add(f.TrackId);
        return constraints with { ExcludeTracks = tracks, ExcludeArtists = artists };
    }
}
