using System.Globalization;
using System.Text.Json;
using Earworm.App.Events;
using Earworm.App.Library;
using Earworm.App.Recommendations;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Learning.Bandits;
using Earworm.Learning.Numerics;
using Earworm.Recommend.Personal;
using Earworm.Recommend.Playlists;

namespace Earworm.App.Discover;

/// <summary>
/// The listener's discovery list, for every front end: what they never played, ranked by the current cf model (items
/// with listening data, and library tracks without any through the cold-start bridge), most of it their taste ranking
/// picked by maximal marginal relevance, an exploration share drawn by a contextual bandit (<see cref="DiscoverLearner"/>:
/// LinUCB over features of the listener and the candidate, one block per way of exploring, <see cref="Arms"/>), each
/// artist kept apart by the artist gap (<see cref="DiscoverPicker"/>). The bandit learns from the event log: every pick
/// is logged as an impression with its arm, its features and its propensity, and the outcomes that follow (plays and
/// likes 1, skips and dislikes 0) update it before the next list is drawn.
/// </summary>
public sealed class DiscoverService(LibraryCache library, EventLog? events = null, TimeProvider? time = null)
{
    public const string Surface = "discover";
    public const string Policy = "discover";

    /// <summary>The ways of exploring, in a fixed order (the bandit's arms are their indexes).</summary>
    public static readonly IReadOnlyList<(string Name, string Explanation)> Arms =
    [
        ("deeper", "further down your taste ranking"),
        ("popular", "popular with listeners, new to you"),
        ("sounds-like", "sounds like what you play (no listening data yet: scored from its audio)"),
    ];

    private const string Exploit = "taste";

    /// <summary>The name of the week's playlist: "Discover 2026-W49" (ISO 8601 week).</summary>
    public static string PlaylistName(DateTimeOffset at) => string.Create(CultureInfo.InvariantCulture,
        $"Discover {ISOWeek.GetYear(at.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(at.UtcDateTime):00}");

    /// <summary>The contextual bandit that scores the explored picks (its state follows the event log).</summary>
    public DiscoverLearner Learner { get; } = new([.. Arms.Select(a => a.Name)], Surface);

    /// <exception cref="UsageException">no cf model, an unknown listener, an option out of range.</exception>
    public DiscoverResult Discover(DiscoverRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validated();
        var options = request.Options;
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var random = request.RandomSeed is int seed ? new Random(seed) : new Random();
        var (drawn, evidence) = library.WithCatalog(catalog =>
        {
            var evidence = Learner.CatchUp(catalog); // what listeners did since the last list
            return (Draw(catalog, request, now, random), evidence);
        });
        string version = string.Create(CultureInfo.InvariantCulture,
            $"{Learner}; tau={options.Temperature:0.###}; explore={options.Explore:0.###}; diversity={options.Diversity:0.###}; gap={options.ArtistGap}; model {drawn.ModelVersion}");
        events?.Shown(request.User, Surface, Policy, version,
            [.. drawn.Items.Select(i => new ShownTrack(i.Item.TrackId, i.Item.ItemId, i.Item.Score, i.Propensity,
                i.Arm is { } arm && i.Features is { } x ? DiscoverLearner.LogContext(arm, [.. x], options.Count, options.Explore)
                : JsonSerializer.Serialize(new { arm = i.Arm ?? Exploit, count = options.Count, explore = options.Explore })))]);
        var arms = Arms.Select((a, k) => new DiscoverArmState(a.Name, a.Explanation, 1 + evidence[k].Successes, 1 + evidence[k].Failures,
            evidence[k].Successes + evidence[k].Failures, drawn.ArmCandidates[k])).ToList();
        var result = new DiscoverResult(request.User, drawn.ModelVersion, drawn.How, PlaylistName(now), drawn.Items, arms, drawn.NewArtists, drawn.Notes);
        return request.Save ? Save(result) : result;
    }

    /// <summary>The listener's discovery playlist of this week ("Discover 2026-W49"), for front ends that list playlists
    /// (the OpenSubsonic API): its id, made — a list of <see cref="DiscoverOptions.Count"/> library tracks drawn and logged
    /// as any other, then saved — when the week has none yet, so a new one comes each week, or on request once the
    /// listener deletes it (<c>Made</c>: by this call); null when no list can be made for them (no cf model, no plays of
    /// theirs).</summary>
    public (long Id, bool Made)? WeeksPlaylist(string user)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        string name = PlaylistName((time ?? TimeProvider.System).GetUtcNow());
        lock (_weekly) // two requests at once make one playlist
        {
            var (existing, possible) = library.WithCatalog(c =>
                (c.PlaylistsOf(user).FirstOrDefault(p => p.Name == name)?.Id, c.FindUserId(user) is not null && c.CurrentModel("cf") is not null));
            if (existing is long id) return (id, false);
            if (!possible) return null;
            try
            {
                return Discover(new DiscoverRequest(user, new DiscoverOptions(), LibraryOnly: true, Save: true)).SavedPlaylistId is long made ? (made, true) : null;
            }
            catch (Exception e) when (e is UsageException or UserNotFoundException)
            {
                return null; // a model that cannot score them yet: no list this week
            }
        }
    }

    private readonly Lock _weekly = new();

    private sealed record Drawn(string ModelVersion, string How, List<DiscoverItem> Items, int[] ArmCandidates, int NewArtists, List<PersonalNote> Notes);

    private Drawn Draw(ICatalog catalog, DiscoverRequest request, DateTimeOffset now, Random random)
    {
        var options = request.Options;
        if (catalog.FindUserId(request.User) is null)
            throw new UsageException($"unknown user '{request.User}' (`earworm users` lists them): a discovery list starts from the listener's plays");
        var scoring = RecommendationService.Score(catalog, new RecommendRequest(request.User, [], new PersonalOptions(options.Count, options.Diversity, 3),
            LibraryOnly: request.LibraryOnly));
        var view = library.Current;
        var items = scoring.Items;
        string? ArtistOf(long key)
        {
            string? name = key > 0
                ? items.GetValueOrDefault(key) is { } item ? item.Artist ?? (item.TrackId is long t ? view.Find(t)?.Artist : null) : null
                : view.Find(-key)?.Artist;
            return string.IsNullOrWhiteSpace(name) || MatchText.Fold(name) is not { Length: > 0 } folded ? null : folded;
        }

        // what the listener played: their listening data, and the tracks they played or liked here
        var exclude = new HashSet<long>(scoring.Exclude);
        var played = scoring.Listener.Heard.Select(ArtistOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var f in catalog.FeedbackOf(request.User, int.MaxValue).Where(f => f.Kind is FeedbackKind.Play or FeedbackKind.Like))
        {
            exclude.Add(RecommendationService.TrackKey(f.TrackId));
            if (catalog.ItemOfTrack(f.TrackId) is long item) exclude.Add(item);
            if (ArtistOf(RecommendationService.TrackKey(f.TrackId)) is { } a) played.Add(a);
        }

        var ranked = new List<DiscoverCandidate>();
        foreach (var c in scoring.Candidates)
        {
            if (exclude.Contains(c.Key)) continue;
            var artist = ArtistOf(c.Key);
            if (request.NewArtistsOnly && artist is not null && played.Contains(artist)) continue;
            float s = Simd.Dot(scoring.Listener.Factors, c.Factors) + c.Bias;
            if (float.IsFinite(s)) ranked.Add(new DiscoverCandidate(c, s, artist));
        }
        ranked.Sort((a, b) => b.Score.CompareTo(a.Score));
        // the taste pool is the top of the ranking, at most two thirds of it, so a small library still leaves the arms
        // something to explore
        int poolSize = Math.Min(Math.Max(5 * options.Count, 50), Math.Max(1, 2 * ranked.Count / 3)), armSize = 20 * options.Count;
        var exploit = ranked.Take(poolSize).ToList();
        var rest = ranked.Skip(poolSize).ToList();
        var listeners = catalog.LoadListening().GroupBy(r => r.ItemId).ToDictionary(g => g.Key, g => g.Count());
        DiscoverArm[] arms =
        [
            new(Arms[0].Name, [.. rest.Where(c => c.Candidate.Source == FactorSource.Listening).Take(armSize)]),
            new(Arms[1].Name, [.. rest.Where(c => c.Candidate.Source == FactorSource.Listening && listeners.ContainsKey(c.Candidate.Key))
                .OrderByDescending(c => listeners[c.Candidate.Key]).Take(armSize)]),
            new(Arms[2].Name, [.. rest.Where(c => c.Candidate.Source == FactorSource.Audio).Take(armSize)]),
        ];
        // the contextual bandit's bound for each candidate under each arm, from the features it has now
        var context = new DiscoverContext(catalog, view, request.User, items, listeners, ranked, now);
        var features = arms.SelectMany(a => a.Candidates).DistinctBy(c => c.Candidate.Key).ToDictionary(c => c.Candidate.Key, context.Features);
        var bounds = Learner.Bounds([.. arms.SelectMany((a, k) => a.Candidates.Select(c => (k, features[c.Candidate.Key])))]);
        int at = 0;
        arms = [.. arms.Select(a => a with { Bounds = bounds[at..(at += a.Candidates.Count)] })];
        var picks = DiscoverPicker.Pick(exploit, arms, options, null, random);

        var recs = picks.Select(p => new Recommendation(p.Candidate.Candidate, p.Candidate.Score,
            PersonalRecommender.Explain(p.Candidate.Candidate, scoring.History, 3))).ToList();
        var list = new List<DiscoverItem>();
        foreach (var (p, rec) in picks.Zip(recs))
        {
            if (RecommendationService.Describe([rec], catalog, items, request.LibraryOnly ? view : null) is not [var item]) continue;
            string because = item.Because.Count > 0 ? $"because you played {item.Because[0].Label}" : "your taste";
            string why = p.Arm switch
            {
                null => because,
                "deeper" => item.Because.Count > 0 ? $"because you played {item.Because[0].Label} (further down your taste ranking)" : Arms[0].Explanation,
                "popular" => string.Create(CultureInfo.InvariantCulture, $"new to you, played by {context.Listeners(p.Candidate)} listeners"),
                _ => context.SoundsLike(p.Candidate) is { } like ? $"sounds like {like} (no listening data yet: scored from its audio)" : Arms[2].Explanation,
            };
            list.Add(new DiscoverItem(item, p.Candidate.Artist, p.Arm, why, p.Propensity) { Features = p.Arm is null ? null : features[p.Candidate.Candidate.Key] });
        }
        int newArtists = list.Select(i => i.Artist).OfType<string>().Where(a => !played.Contains(a)).Distinct(StringComparer.Ordinal).Count();
        var notes = scoring.Notes.ToList();
        if (list.Count < options.Count)
            notes.Add(new($"{list.Count} of {options.Count}: nothing else is left that the listener never played{(request.NewArtistsOnly ? " by an artist they never played" : "")}", true));
        return new Drawn(scoring.Record.Version, scoring.Listener.How, list, [.. arms.Select(a => a.Candidates.Count)], newArtists, notes);
    }

    /// <summary>Refuses a file <see cref="Export"/> cannot write, so a front end can ask before it draws (and logs) a list.</summary>
    /// <exception cref="UsageException">an extension other than .xspf and .json.</exception>
    public static void CheckExport(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".xspf" or ".json"))
            throw new UsageException($"discover writes its list as .xspf or .json, not '{extension}'");
    }

    /// <summary>A list as <c>discover --json</c> prints it and <c>--out FILE.json</c> writes it (one shape for both).</summary>
    public static object Shape(DiscoverResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new
        {
            user = result.User,
            model = result.ModelVersion,
            how = result.How,
            playlist = result.PlaylistName,
            saved = result.SavedPlaylistId is long id ? new { id, tracks = result.SavedTracks } : null,
            newArtists = result.NewArtists,
            arms = result.Arms.Select(a => new { a.Name, a.Explanation, alpha = Math.Round(a.Alpha, 3), beta = Math.Round(a.Beta, 3), a.Outcomes, a.Candidates }),
            notes = result.Notes.Select(n => n.Text),
            tracks = result.Items.Select((d, i) => new
            {
                position = i + 1,
                d.Item.ItemId,
                d.Item.TrackId,
                d.Item.Label,
                d.Artist,
                d.Item.Path,
                score = Math.Round(d.Item.Score, 5),
                source = d.Item.Source == FactorSource.Audio ? "audio" : "listening",
                arm = d.Arm,
                why = d.Why,
                propensity = Math.Round(d.Propensity, 6),
            }),
        };
    }

    private static readonly JsonSerializerOptions ShapeJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes a list as XSPF (<c>.xspf</c>: a library track by its file, an item without audio by its artist and
    /// title, each with why it is there) or as JSON (<c>.json</c>: <see cref="Shape"/>, what <c>--json</c> prints).</summary>
    /// <exception cref="UsageException">another extension.</exception>
    public void Export(DiscoverResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        CheckExport(path);
        var full = Path.GetFullPath(path);
        var text = Path.GetExtension(full).ToLowerInvariant() switch
        {
            ".xspf" => library.WithCatalog(catalog =>
            {
                var items = catalog.LoadItems();
                return PlaylistWriter.Xspf(result.PlaylistName, result.Items.Select(d =>
                {
                    var track = d.Item.TrackId is long t ? catalog.FindById(t) : null;
                    var item = d.Item.ItemId is long i ? items.GetValueOrDefault(i) : null;
                    return new PlaylistWriter.XspfTrack(track?.Path, track?.Title ?? item?.Title, track?.Artist ?? item?.Artist, track?.DurationSeconds, d.Why);
                }));
            }),
            ".json" => JsonSerializer.Serialize(Shape(result), ShapeJson) + "\n",
            _ => throw new System.Diagnostics.UnreachableException(),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text, new System.Text.UTF8Encoding(false));
    }

    /// <summary>Stores the list's library tracks as the week's playlist, in place of an earlier one of that week.</summary>
    private DiscoverResult Save(DiscoverResult result)
    {
        var tracks = result.Items.Select(i => i.Item.TrackId).OfType<long>().ToList();
        if (tracks.Count == 0)
            return result with
            {
                Notes = [.. result.Notes, new($"nothing saved: none of the {result.Items.Count} picks has an audio file in the library, and a " +
                    "playlist holds library tracks (--library-only picks only those; --out FILE.xspf writes the list by artist and title, for " +
                    "a player or a service to find)", true)],
            };
        long id = library.WithCatalog(catalog =>
        {
            if (catalog.PlaylistsOf(result.User).FirstOrDefault(p => p.Name == result.PlaylistName) is { } week)
            {
                catalog.UpdatePlaylist(week.Id, null, tracks);
                return week.Id;
            }
            return catalog.CreatePlaylist(result.User, result.PlaylistName, tracks);
        });
        var notes = result.Notes.ToList();
        if (tracks.Count < result.Items.Count)
            notes.Add(new($"{result.Items.Count - tracks.Count} picks have no audio file in the library and are not in the playlist", true));
        return result with { SavedPlaylistId = id, SavedTracks = tracks.Count, Notes = notes };
    }
}
