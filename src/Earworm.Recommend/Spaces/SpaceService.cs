using System.Collections.Concurrent;
using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Recommend.Text;

namespace Earworm.Recommend.Spaces;

/// <summary>A space as a verb lists it: how many of the library's tracks it holds, and what fills it when empty.</summary>
public sealed record SpaceSummary(string Name, int Tracks, int Dimension, string Description, string? FillWith);

/// <summary>Embeds any audio file in the <c>audio</c> space (the content model); the CLI and the web app supply it
/// once a model is trained, so <c>similar FILE --space audio</c> and playlists seeded by a file work there.</summary>
public interface IAudioFileEmbedder
{
    Task<float[]> EmbedAsync(string path, CancellationToken cancellationToken);
}

/// <summary>
/// Every space of a catalog by name, for the library's analysed tracks: <c>descriptors</c> (each track's
/// <see cref="DescriptorSpace"/> vector, z-scored over the library and weighted; Euclidean), <c>cf</c>,
/// <c>track2vec</c> and <c>audio</c> (the vectors the <c>train</c> and <c>embed</c> verbs store, through
/// <see cref="CatalogStore.LoadTrackVectors"/>; cosine), <c>tags</c> and <c>text</c> (made from the tracks' tags and the
/// texts about them: <see cref="WordSpaces"/>) and <c>hybrid</c> (<see cref="HybridSpace"/> of descriptors, every non-empty
/// learned space and <c>tags</c> when every described track has words; equal weights unless given). Loads each once and keeps it, with its index.
/// An empty space is a <see cref="UsageException"/> naming the verb that fills it.
/// </summary>
public sealed class SpaceService
{
    public const string Cf = "cf";
    public const string Track2Vec = "track2vec";
    public const string Audio = "audio";

    /// <summary>The learned spaces, in the order a default prefers them.</summary>
    public static readonly IReadOnlyList<string> LearnedSpaces = [Audio, Track2Vec, Cf];

    public const string Tags = WordSpaces.TagsName;
    public const string Text = WordSpaces.TextName;

    /// <summary>Every space name a verb takes.</summary>
    public static readonly IReadOnlyList<string> Names = [DescriptorSpace.Name, Cf, Track2Vec, Audio, Tags, Text, HybridSpace.Name];

    // Best first: the learned audio model, then the listening-based spaces, the words, then the hybrid and the descriptors.
    private static readonly string[] PreferenceOrder = [Audio, Track2Vec, Cf, Tags, Text, HybridSpace.Name, DescriptorSpace.Name];

    /// <summary>Where a space stands among the others when they are listed best first.</summary>
    public static int Preference(string name) => Array.IndexOf(PreferenceOrder, name) is var i and >= 0 ? i : PreferenceOrder.Length;

    /// <summary>The one rule for the space a request that names none walks: the best learned space available (audio,
    /// then track2vec, then cf), else <c>descriptors</c>. The hybrid is never chosen for the person.</summary>
    public static string Preferred(IEnumerable<string> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        var set = available.ToHashSet(StringComparer.Ordinal);
        return LearnedSpaces.FirstOrDefault(set.Contains) ?? DescriptorSpace.Name;
    }

    /// <exception cref="UsageException">not a space Earworm knows.</exception>
    public static void RequireKnown(string name)
    {
        if (!Names.Contains(name)) throw new UsageException($"unknown space '{name}': choose one of {string.Join(", ", Names)}");
    }

    /// <summary>Why a known space cannot be searched yet, and what fills it.</summary>
    public static string Empty(string name) => $"the {name} space is empty: {FillWith(name)}";

    private readonly ICatalog _catalog;
    private readonly IReadOnlyDictionary<string, double> _hybridWeights;
    private readonly ConcurrentDictionary<string, VectorSpace> _spaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, IndexKind), IVectorIndex> _indexes = new();
    private readonly Lazy<IReadOnlyDictionary<long, TrackDescriptors>> _descriptors;
    private readonly Lazy<WordSpaces> _words;
    private DescriptorScaler? _scaler;

    /// <param name="hybridWeights">Weight of each space in <c>hybrid</c> (default 1 for every one present).</param>
    /// <param name="indexFolder">Where HNSW indexes of large spaces are saved (default: the catalog's model folder).</param>
    /// <param name="words">The spaces of words when the caller made them already for this state of the catalog.</param>
    public SpaceService(ICatalog catalog, IReadOnlyDictionary<string, double>? hybridWeights = null, string? indexFolder = null, WordSpaces? words = null)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _hybridWeights = hybridWeights ?? new Dictionary<string, double>();
        IndexFolder = indexFolder ?? (catalog.FilePath is { } f ? CatalogStore.ModelFolderFor(f) : null);
        _descriptors = new Lazy<IReadOnlyDictionary<long, TrackDescriptors>>(() =>
        {
            var analysed = _catalog.ListTracks(TrackStatus.Analysed).Select(t => t.Id).ToHashSet();
            return _catalog.AllDescriptors().Where(kv => analysed.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        });
        _words = words is null ? new Lazy<WordSpaces>(() => WordSpaces.Build(_catalog)) : new Lazy<WordSpaces>(words);
    }

    public string? IndexFolder { get; }

    /// <summary>The descriptors of the library's analysed tracks (for reasons and constraints).</summary>
    public IReadOnlyDictionary<long, TrackDescriptors> Descriptors => _descriptors.Value;

    /// <summary>The spaces of words (<c>tags</c>, <c>text</c>) and what they were made of, made on first use.</summary>
    public WordSpaces Words => _words.Value;

    /// <summary>The space called <paramref name="name"/>.</summary>
    /// <exception cref="UsageException">an unknown name, or a space with no vectors yet (the message says what fills it).</exception>
    public VectorSpace Load(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        RequireKnown(name);
        return _spaces.GetOrAdd(name, n => n switch
        {
            DescriptorSpace.Name => LoadDescriptors(),
            HybridSpace.Name => HybridSpace.Combine(HybridParts()),
            Tags or Text => Words.Space(n) ?? throw new UsageException(Empty(n)),
            _ => LoadLearned(n),
        });
    }

    /// <summary>The index <paramref name="name"/> is searched with (built once; HNSW from 100 000 tracks, saved).</summary>
    public IVectorIndex Index(string name, IndexKind kind = IndexKind.Auto) =>
        _indexes.GetOrAdd((name, kind), key => VectorIndex.For(Load(key.Item1), key.Item2, null, IndexFolder));

    /// <summary>Whether a space has vectors (without throwing).</summary>
    public bool IsAvailable(string name)
    {
        if (name is DescriptorSpace.Name or HybridSpace.Name) return Descriptors.Count > 0;
        if (name is Tags or Text) return Words.Space(name) is { Count: > 0 };
        return _spaces.ContainsKey(name) || _catalog.ListSpaces().Any(s => s.Space == name && s.Tracks > 0);
    }

    /// <summary>Every space with its size, or what fills it when empty.</summary>
    public IReadOnlyList<SpaceSummary> Summaries()
    {
        var list = new List<SpaceSummary>();
        foreach (var name in Names)
        {
            if (IsAvailable(name))
            {
                var s = Load(name);
                list.Add(new SpaceSummary(name, s.Count, s.Dimension, s.Description, null));
            }
            else
            {
                list.Add(new SpaceSummary(name, 0, 0, "", FillWith(name)));
            }
        }
        return list;
    }

    /// <summary>The space to use when none is named (<see cref="Preferred"/>).</summary>
    public string PreferredSpace() => Preferred(Names.Where(IsAvailable));

    /// <summary>A file's descriptors as a point of the <c>descriptors</c> space (z-scored with the library's statistics).</summary>
    public float[] ProjectDescriptors(TrackDescriptors descriptors)
    {
        Load(DescriptorSpace.Name);
        return Array.ConvertAll(_scaler!.Weighted(DescriptorSpace.Vector(descriptors)), x => (float)x);
    }

    /// <summary>A point of space <paramref name="name"/> for an audio file outside the library: its measured descriptors
    /// for <c>descriptors</c>; the content model's embedding for <c>audio</c>; both joined for a hybrid made of them.</summary>
    /// <exception cref="UsageException">the space needs listening data the file cannot have (cf, track2vec), or the audio
    /// model is not available.</exception>
    public async Task<float[]> FileVectorAsync(string name, string path, TrackDescriptors descriptors, IAudioFileEmbedder? embedder,
        CancellationToken cancellationToken)
    {
        var space = Load(name);
        switch (name)
        {
            case DescriptorSpace.Name:
                return ProjectDescriptors(descriptors);
            case Audio:
                return await EmbedAsync(path, embedder, cancellationToken).ConfigureAwait(false);
            case HybridSpace.Name:
                var parts = HybridParts();
                var vectors = new List<float[]>();
                foreach (var (s, _) in parts)
                    vectors.Add(s.Name switch
                    {
                        DescriptorSpace.Name => ProjectDescriptors(descriptors),
                        Audio => await EmbedAsync(path, embedder, cancellationToken).ConfigureAwait(false),
                        // a file outside the library has no words: its part is empty, so the other parts alone place it
                        // (every track's cosine there counts 0)
                        Tags => new float[s.Dimension],
                        _ => throw new UsageException($"a file outside the library has no '{s.Name}' vector (that space comes from " +
                                                      "listening data), so it cannot be placed in the hybrid: use --space descriptors or audio"),
                    });
                return HybridSpace.Project(parts, vectors);
            default:
                throw new UsageException($"a file outside the library has no '{space.Name}' vector (that space comes from listening data): " +
                                         "use --space descriptors or audio, or scan the file into the library");
        }
    }

    private static async Task<float[]> EmbedAsync(string path, IAudioFileEmbedder? embedder, CancellationToken ct) =>
        embedder is null
            ? throw new UsageException("placing a file outside the library in the audio space needs the catalog's audio model, which " +
                                       "was not given here: use --space descriptors, or scan the file into the library and run `earworm embed`")
            : await embedder.EmbedAsync(path, ct).ConfigureAwait(false);

    private VectorSpace LoadDescriptors()
    {
        var library = Descriptors;
        if (library.Count == 0) throw new UsageException(Empty(DescriptorSpace.Name));
        var ids = library.Keys.Order().ToArray();
        var raw = ids.Select(id => DescriptorSpace.Vector(library[id])).ToList();
        _scaler = DescriptorSpace.Standardise(raw);
        int dims = DescriptorSpace.Dimension;
        var data = new float[ids.Length * dims];
        for (int i = 0; i < ids.Length; i++)
        {
            var w = _scaler.Weighted(raw[i]);
            for (int j = 0; j < dims; j++) data[i * dims + j] = (float)w[j];
        }
        return new VectorSpace(DescriptorSpace.Name, dims, ids, data, Metric.Euclidean,
            "descriptors: tempo, key, loudness, energy, groove, brightness, busyness and timbre, z-scored over the library and weighted; Euclidean");
    }

    private VectorSpace LoadLearned(string name)
    {
        var v = _catalog.LoadTrackVectors(name);
        if (v.Count == 0) throw new UsageException(Empty(name));
        var model = _catalog.CurrentModel(name);
        var made = model is null ? "" : $", {model.Kind} model {model.Version[..Math.Min(12, model.Version.Length)]}";
        return new VectorSpace(name, v.Dims, v.Ids, v.Data, Metric.Cosine, $"{name} ({v.Dims} dimensions{made}); cosine");
    }

    private List<(VectorSpace, double)> HybridParts()
    {
        var parts = new List<(VectorSpace, double)> { (Load(DescriptorSpace.Name), _hybridWeights.GetValueOrDefault(DescriptorSpace.Name, 1)) };
        foreach (var name in LearnedSpaces.Where(IsAvailable))
        {
            double w = _hybridWeights.GetValueOrDefault(name, 1);
            if (w > 0) parts.Add((Load(name), w));
        }
        // words join only when every described track has some: the hybrid holds the tracks in all its spaces, and a
        // library tagged in part would lose the rest
        if (IsAvailable(Tags) && _hybridWeights.GetValueOrDefault(Tags, 1) is var tw and > 0 && Descriptors.Keys.All(Load(Tags).Contains))
            parts.Add((Load(Tags), tw));
        return parts;
    }

    /// <summary>What a space is made of and what fills it, in a few words for help texts (one for each of <see cref="Names"/>).</summary>
    public static string About(string name) => name switch
    {
        DescriptorSpace.Name => "tempo, key, loudness, energy, groove, brightness, timbre; Euclidean",
        Cf => "listening data, `earworm train cf`; cosine",
        Track2Vec => "playlists and listening sessions, `earworm train cf --model track2vec`; cosine",
        Audio => "the audio itself: the shipped encoder fills it at `earworm scan`, `earworm train audio` fine-tunes it; cosine",
        Tags => "the tracks' tags from files, imports, people and the audio, with the texts' terms; cosine",
        Text => "texts about the tracks, albums and artists, `earworm import text`; cosine",
        HybridSpace.Name => "descriptors, every learned space present and tags when every track has some, per-space unit vectors " +
                            "concatenated: the cosine is the mean of the spaces' cosines; tracks missing from one are left out",
        _ => "not a space Earworm knows",
    };

    /// <summary>Every space a verb takes, each with <see cref="About"/>: the list help texts show.</summary>
    public static string Listed => string.Join("; ", Names.Select(n => $"{n} ({About(n)})"));

    /// <summary>The verb that fills a space.</summary>
    public static string FillWith(string name) => name switch
    {
        DescriptorSpace.Name or HybridSpace.Name => "run `earworm scan DIR` first",
        Cf => "import listening data (`earworm import …`) and run `earworm train cf`",
        Track2Vec => "import playlists or listening sessions (`earworm import …`) and run `earworm train cf --model track2vec`",
        Audio => "run `earworm embed` (the shipped encoder, as `earworm scan` does unless --no-embed) or `earworm train audio` (it embeds every track)",
        Tags => "tag tracks (scan files with genre or mood tags, `earworm import tags FILE.csv`, `earworm tags TRACK --add TAG`) " +
                "or import texts about them (`earworm import text DIR|FILE.csv`)",
        Text => "import texts about the library's artists, albums or tracks: `earworm import text DIR|FILE.csv`",
        _ => "no verb fills it",
    };
}
