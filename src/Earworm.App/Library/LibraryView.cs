using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;
using Earworm.Recommend.Text;

namespace Earworm.App.Library;

/// <summary>
/// What the catalog held when it was last read: the playable (analysed) tracks, their descriptors, the spaces and the
/// current models; immutable, so any number of requests read it without locks. Spaces (vectors, index, playlist
/// engine) are loaded on first use and kept. <see cref="LibraryCache"/> replaces it when the catalog changes.
/// </summary>
public sealed class LibraryView
{
    private readonly Dictionary<long, TrackRecord> _byId;
    private readonly string[] _searchText;
    private readonly Dictionary<string, ModelRecord> _currentModels;
    private readonly Func<LibraryView, string, IndexKind, LibrarySpace>? _loadSpace;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<object>> _memo = new(StringComparer.Ordinal);

    /// <param name="spaces">The vector spaces stored in the catalog (<see cref="IModelRepository.ListSpaces"/>).</param>
    /// <param name="loadSpace">Loads a space for this view (null: none can be, for tests of the rest).</param>
    public LibraryView(IReadOnlyList<TrackRecord> tracks, IReadOnlyDictionary<long, TrackDescriptors> descriptors,
        IReadOnlyList<string> roots, IReadOnlyList<(string Space, int Tracks, int Items)> spaces,
        Func<LibraryView, string, IndexKind, LibrarySpace>? loadSpace = null, IReadOnlyList<ModelRecord>? models = null,
        WordSpaces? words = null)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(descriptors);
        Tracks = tracks.Where(t => t.Status == TrackStatus.Analysed).OrderBy(t => t.Artist).ThenBy(t => t.Album)
            .ThenBy(t => t.TrackNumber).ThenBy(t => t.Title).ThenBy(t => t.Id).ToList();
        _byId = Tracks.ToDictionary(t => t.Id);
        Descriptors = descriptors.Where(kv => _byId.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        Facts = Tracks.ToDictionary(t => t.Id, t => new TrackFacts(t.Id, t.Path, t.Artist, t.Title, t.DurationSeconds, t.ContentHash,
            Descriptors.GetValueOrDefault(t.Id)));
        _searchText = [.. Tracks.Select(TrackSearch.Text)];
        Roots = roots;
        Spaces = spaces;
        Words = words;
        _loadSpace = loadSpace;
        _currentModels = (models ?? []).Where(m => m.IsCurrent).GroupBy(m => m.Space, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.CreatedAt).First(), StringComparer.Ordinal);
        AvailableSpaces = [.. SpaceService.Names.Where(IsAvailable).OrderBy(s => SpaceService.Preference(s))];
    }

    /// <summary>Analysed tracks, by artist, album, track number.</summary>
    public IReadOnlyList<TrackRecord> Tracks { get; }

    /// <summary>The catalog's library generation this view was read at (<see cref="ICatalog.LibraryGeneration"/>): it
    /// moves with every new model and its vectors, so a cluster's index shards know which version to hold.</summary>
    public long Generation { get; init; }

    public IReadOnlyDictionary<long, TrackDescriptors> Descriptors { get; }

    /// <summary>The tracks as Earworm.Recommend's engines see them.</summary>
    public IReadOnlyDictionary<long, TrackFacts> Facts { get; }

    /// <summary>The library folders (roots of the catalog's scans plus any the front end adds): audio outside them is never served.</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>The vector spaces stored in the catalog besides <c>descriptors</c>.</summary>
    public IReadOnlyList<(string Space, int Tracks, int Items)> Spaces { get; }

    /// <summary>The tracks' tags and texts and the spaces they make (<see cref="WordSpaces"/>), when the view was read with them.</summary>
    public WordSpaces? Words { get; }

    /// <summary>The spaces this library can be searched in, best first (<see cref="SpaceService.Preference"/>).</summary>
    public IReadOnlyList<string> AvailableSpaces { get; }

    /// <summary>The space a request that names none walks: the best learned one, else descriptors (<see cref="SpaceService.Preferred"/>).</summary>
    public string BestSpaceName => SpaceService.Preferred(AvailableSpaces);

    public TrackRecord? Find(long id) => _byId.GetValueOrDefault(id);

    /// <summary>The playable track a catalog id names (as text), without asking the catalog; null for anything else
    /// (<see cref="TrackResolver"/> decides those).</summary>
    public TrackFacts? ById(string name) =>
        long.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? Facts.GetValueOrDefault(id) : null;

    /// <summary>The model whose vectors fill <paramref name="space"/> now, or null.</summary>
    public ModelRecord? CurrentModel(string space) => _currentModels.GetValueOrDefault(space);

    /// <summary>A value computed once per view (a space's map): it changes only when the catalog does.</summary>
    public T Memo<T>(string key, Func<T> compute) where T : class =>
        (T)_memo.GetOrAdd(key, _ => new Lazy<object>(() => compute())).Value;

    /// <summary>The space named; null or blank: <see cref="BestSpaceName"/>.</summary>
    /// <exception cref="UsageException">an unknown space, or one with no vectors for this library (the message says
    /// what fills it).</exception>
    public LibrarySpace Space(string? name, IndexKind index = IndexKind.Auto)
    {
        name = string.IsNullOrWhiteSpace(name) ? BestSpaceName : name.Trim();
        SpaceService.RequireKnown(name);
        if (!AvailableSpaces.Contains(name)) throw new UsageException(SpaceService.Empty(name));
        if (_loadSpace is null) throw new UsageException($"space '{name}' cannot be loaded here");
        return Memo($"space:{name}:{index}", () => _loadSpace(this, name, index));
    }

    /// <summary>Tracks every word of <paramref name="query"/> appears in (<see cref="TrackSearch"/>), in library order.</summary>
    public IEnumerable<TrackRecord> Search(string? query)
    {
        var words = TrackSearch.Words(query);
        for (int i = 0; i < Tracks.Count; i++)
            if (TrackSearch.Matches(_searchText[i], words)) yield return Tracks[i];
    }

    /// <summary>A space has vectors for some of the library's tracks: a learned one stored, descriptors (and the
    /// hybrid joining them with the learned ones) once tracks are described.</summary>
    private bool IsAvailable(string name) => name is DescriptorSpace.Name or HybridSpace.Name
        ? Descriptors.Count > 0
        : Spaces.Any(s => s.Space == name && s.Tracks > 0);
}
