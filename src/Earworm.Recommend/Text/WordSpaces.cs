using Earworm.Catalog;
using Earworm.Catalog.Tags;
using Earworm.Catalog.Text;
using Earworm.Learning.Text;
using Earworm.Recommend.Spaces;

namespace Earworm.Recommend.Text;

/// <summary>
/// The spaces words make, for the library's analysed tracks: <c>text</c>, the LSA (<see cref="Lsa"/>) of the texts
/// that reach each track (its own, its album's, its artist's: <see cref="TrackTexts"/>), and <c>tags</c>, the LSA of
/// its tags and text terms together — each tag a feature of strength its share of the track's tags (its score over
/// the track's best), each text term one of its count. A track no word reaches is in neither. Made from the catalog
/// each time the library changes (tags and texts move its generation), so they are never stale; cosine.
/// </summary>
public sealed class WordSpaces
{
    public const string TextName = "text";
    public const string TagsName = "tags";

    /// <summary>Dimensions of both spaces at most; a space of few tracks keeps half as many as it has tracks
    /// (<see cref="RankFor"/>).</summary>
    public const int Rank = 64;

    /// <summary>The dimensions a space of <paramref name="documents"/> tracks keeps: at most <see cref="Rank"/>, and at
    /// most half the tracks — a decomposition that kept every dimension of a small library would give back its texts
    /// unchanged, and it is the reduction that brings words said together close (LSA's point).</summary>
    public static int RankFor(int documents) => Math.Clamp((documents + 1) / 2, 1, Rank);

    private const string TagPrefix = "tag:";

    private WordSpaces(VectorSpace? text, Lsa? textLsa, VectorSpace? tags, Lsa? tagsLsa, TrackTexts texts, IReadOnlyList<TrackTag> trackTags)
    {
        Text = text;
        TextLsa = textLsa;
        Tags = tags;
        TagsLsa = tagsLsa;
        Texts = texts;
        TrackTags = trackTags;
    }

    /// <summary>The <c>text</c> space; null when no text reaches an analysed track.</summary>
    public VectorSpace? Text { get; }

    /// <summary>The LSA behind <see cref="Text"/> (its terms' vectors place words in it).</summary>
    public Lsa? TextLsa { get; }

    /// <summary>The <c>tags</c> space; null when the analysed tracks have no tags and no texts.</summary>
    public VectorSpace? Tags { get; }

    public Lsa? TagsLsa { get; }

    /// <summary>The texts' terms on each track.</summary>
    public TrackTexts Texts { get; }

    /// <summary>Every analysed track's tags (<see cref="ITagRepository.AllTrackTags"/>).</summary>
    public IReadOnlyList<TrackTag> TrackTags { get; }

    /// <summary>The space called <paramref name="name"/> (<see cref="TextName"/> or <see cref="TagsName"/>), or null when empty.</summary>
    public VectorSpace? Space(string name) => name switch
    {
        TextName => Text,
        TagsName => Tags,
        _ => throw new ArgumentException($"'{name}' is not a space of words", nameof(name)),
    };

    /// <summary>The name of a tag as a feature of the <c>tags</c> space (one per spelling key).</summary>
    public static string TagFeature(string tag) => TagPrefix + TagText.Key(tag);

    /// <summary>Reads the catalog's analysed tracks, their tags and the texts, and makes both spaces.</summary>
    public static WordSpaces Build(ICatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var tracks = catalog.ListTracks(TrackStatus.Analysed);
        var ids = tracks.Select(t => t.Id).ToHashSet();
        var tags = catalog.AllTrackTags().Where(t => ids.Contains(t.TrackId)).ToList();
        var texts = TrackTexts.Collect(tracks.Select(t => (t.Id, t.Artist, t.Album)), catalog.AllTexts());
        return Build(tags, texts);
    }

    /// <summary>Both spaces from tracks' tags and the texts' terms on them (pure).</summary>
    public static WordSpaces Build(IReadOnlyList<TrackTag> tags, TrackTexts texts)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(texts);
        var textDocs = texts.Tracks.OrderBy(t => t.TrackId).ToList();
        var (text, textLsa) = Make(TextName, [.. textDocs.Select(t => t.TrackId)], [.. textDocs.Select(t => t.TermCounts)],
            "text: LSA of the texts on each track, its album and its artist (TF-IDF, truncated SVD); cosine");
        var bags = new SortedDictionary<long, Dictionary<string, double>>();
        foreach (var g in tags.GroupBy(t => t.TrackId))
        {
            double best = g.Max(t => t.Score);
            var bag = bags[g.Key] = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var t in g)
            {
                var f = TagFeature(t.Tag);
                bag[f] = Math.Min(1, bag.GetValueOrDefault(f) + t.Score / best);
            }
        }
        foreach (var t in textDocs)
        {
            var bag = bags.TryGetValue(t.TrackId, out var b) ? b : bags[t.TrackId] = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (term, n) in t.TermCounts) bag[term] = n;
        }
        var (tagSpace, tagsLsa) = Make(TagsName, [.. bags.Keys], [.. bags.Values],
            "tags: LSA of each track's tags (every source) and text terms together (TF-IDF, truncated SVD); cosine");
        return new WordSpaces(text, textLsa, tagSpace, tagsLsa, texts, tags);
    }

    private static (VectorSpace?, Lsa?) Make(string name, long[] ids, IReadOnlyDictionary<string, double>[] documents, string description)
    {
        if (ids.Length == 0) return (null, null);
        var lsa = Lsa.Fit(documents, RankFor(ids.Length));
        int dims = Math.Max(lsa.Dimension, 1);
        var data = new float[ids.Length * dims];
        for (int i = 0; i < ids.Length && lsa.Dimension > 0; i++) lsa.Document(i).CopyTo(data, i * dims);
        return (new VectorSpace(name, dims, ids, data, Metric.Cosine, $"{description}; {lsa.Dimension} dimensions"), lsa);
    }
}
