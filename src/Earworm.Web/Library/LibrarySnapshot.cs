using System.Text;
using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;

namespace Earworm.Web.Library;

/// <summary>
/// What the catalog held when it was last read: the playable tracks, their descriptors and the
/// similarity index over them, immutable, so any number of requests read it without locks. A new
/// snapshot replaces it when the catalog changes (a scan, an import, training).
/// </summary>
public sealed class LibrarySnapshot
{
    private readonly Dictionary<long, TrackRecord> _byId;
    private readonly string[] _searchText;

    public LibrarySnapshot(IReadOnlyList<TrackRecord> tracks, IReadOnlyDictionary<long, TrackDescriptors> descriptors,
        IReadOnlyList<string> roots, IReadOnlyList<(string Space, int Tracks, int Items)> spaces,
        Func<LibrarySnapshot, string, SpaceHandle>? loadSpace = null, IReadOnlyList<ModelRecord>? models = null)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(descriptors);
        Tracks = tracks.Where(t => t.Status == TrackStatus.Analysed).OrderBy(t => t.Artist).ThenBy(t => t.Album)
            .ThenBy(t => t.TrackNumber).ThenBy(t => t.Title).ThenBy(t => t.Id).ToList();
        _byId = Tracks.ToDictionary(t => t.Id);
        Descriptors = descriptors.Where(kv => _byId.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        Facts = Tracks.ToDictionary(t => t.Id, t => new TrackFacts(t.Id, t.Path, t.Artist, t.Title, t.DurationSeconds, t.ContentHash,
            Descriptors.GetValueOrDefault(t.Id)));
        _searchText = Tracks.Select(t => Fold($"{t.Artist} {t.Title} {t.Album} {t.Genre} {Path.GetFileNameWithoutExtension(t.Path)}")).ToArray();
        Roots = roots;
        Spaces = spaces;
        _loadSpace = loadSpace;
        _currentModels = (models ?? []).Where(m => m.IsCurrent).GroupBy(m => m.Space, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.CreatedAt).First(), StringComparer.Ordinal);
    }

    private readonly Dictionary<string, ModelRecord> _currentModels;

    /// <summary>The model whose vectors fill <paramref name="space"/> now (<c>audio</c>: the audio model uploads are
    /// embedded with and the t-SNE map must have mapped), or null.</summary>
    public ModelRecord? CurrentModel(string space) => _currentModels.GetValueOrDefault(space);

    private readonly Func<LibrarySnapshot, string, SpaceHandle>? _loadSpace;

    /// <summary>The tracks as Earworm.Recommend's engines see them.</summary>
    public IReadOnlyDictionary<long, TrackFacts> Facts { get; }

    // Spaces listed best first: the learned audio model, then listening-based spaces, then the descriptors.
    private static readonly string[] PreferenceOrder = [SpaceService.Audio, SpaceService.Track2Vec, SpaceService.Cf, HybridSpace.Name, DescriptorSpace.Name];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<object>> _memo = new(StringComparer.Ordinal);

    /// <summary>A value computed once per snapshot (the map of a space): it changes only when the catalog does.</summary>
    public T Memo<T>(string key, Func<T> compute) where T : class =>
        (T)_memo.GetOrAdd(key, _ => new Lazy<object>(() => compute())).Value;

    /// <summary>The names of the spaces that have vectors for some of the library's tracks.</summary>
    public IReadOnlyList<string> AvailableSpaces =>
        [.. Spaces.Where(s => s.Tracks > 0 && SpaceService.LearnedSpaces.Contains(s.Space)).Select(s => s.Space)
            .Concat(Spaces.Any(s => s.Tracks > 0 && SpaceService.LearnedSpaces.Contains(s.Space)) ? [HybridSpace.Name] : [])
            .Concat(Descriptors.Count > 0 ? [DescriptorSpace.Name] : []).Distinct()
            .OrderBy(s => Array.IndexOf(PreferenceOrder, s) is var i and >= 0 ? i : PreferenceOrder.Length).ThenBy(s => s, StringComparer.Ordinal)];

    /// <summary>The space named; null or empty: the best learned one (audio, track2vec, cf), else descriptors, as the CLI.</summary>
    /// <exception cref="UsageException">an unknown space, or one with no vectors for this library.</exception>
    public SpaceHandle Space(string? name)
    {
        name = string.IsNullOrWhiteSpace(name) ? BestSpaceName : name.Trim();
        if (!AvailableSpaces.Contains(name))
            throw new UsageException(Descriptors.Count == 0 ? "no track has descriptors yet: run `earworm scan DIR` first"
                : $"space '{name}' is not available in this catalog (available: {string.Join(", ", AvailableSpaces)})" +
                  (SpaceService.Names.Contains(name) ? $"; to fill it, {SpaceService.FillWith(name)}" : ""));
        if (_loadSpace is null) throw new UsageException($"space '{name}' cannot be loaded here");
        return Memo("space:" + name, () => _loadSpace(this, name));
    }

    /// <summary>The best space this library has: audio, track2vec, cf, else descriptors.</summary>
    public string BestSpaceName => SpaceService.LearnedSpaces.FirstOrDefault(AvailableSpaces.Contains) ?? DescriptorSpace.Name;

    /// <summary>Analysed tracks, by artist, album, track number.</summary>
    public IReadOnlyList<TrackRecord> Tracks { get; }

    public IReadOnlyDictionary<long, TrackDescriptors> Descriptors { get; }

    /// <summary>The library folders (roots of the last scan plus --library): audio outside them is never served.</summary>
    public IReadOnlyList<string> Roots { get; }

    /// <summary>The vector spaces stored in the catalog besides <c>descriptors</c>.</summary>
    public IReadOnlyList<(string Space, int Tracks, int Items)> Spaces { get; }

    public TrackRecord? Find(long id) => _byId.GetValueOrDefault(id);

    /// <summary>Tracks every word of <paramref name="query"/> appears in (artist, title, album, genre, file name;
    /// case and accents ignored), in library order.</summary>
    public IEnumerable<TrackRecord> Search(string? query)
    {
        var words = string.IsNullOrWhiteSpace(query) ? [] : Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < Tracks.Count; i++)
            if (words.All(w => _searchText[i].Contains(w, StringComparison.Ordinal))) yield return Tracks[i];
    }

    /// <summary>Names folded for search (<see cref="Earworm.Catalog.Import.MatchText"/>: lower case, no accents), with
    /// everything but letters and digits made a space so words split cleanly.</summary>
    internal static string Fold(string text)
    {
        var folded = Earworm.Catalog.Import.MatchText.Fold(text).ToCharArray();
        for (int i = 0; i < folded.Length; i++)
            if (!char.IsLetterOrDigit(folded[i])) folded[i] = ' ';
        return new string(folded);
    }
}
