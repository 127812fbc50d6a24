using System.Text;
using Earworm.Catalog;
using Earworm.Catalog.Import.HetRec;
using Earworm.Catalog.Tags;
using Earworm.Catalog.Text;
using Earworm.Catalog.Import;
using Earworm.Learning.Text;
using Earworm.Learning.Hybrid;

namespace Earworm.Evaluation.Data;

/// <summary>
/// Items' tags as the hybrid model's features (<see cref="ItemFeatures"/>), each tag normalised (<see cref="TagText"/>,
/// spellings merged by key) and its strength the number of people who used it: from a HetRec Last.fm 2K folder
/// (<c>tags.dat</c> with <c>user_taggedartists.dat</c>) or from a catalog (the tags imports put on its listening items,
/// and the tags of the library tracks they are linked to).
/// </summary>
public static class ItemTagFeatures
{
    /// <summary>The tags of the artists of <paramref name="data"/>, from the folder it was read from; null when the
    /// folder has no tags.dat and user_taggedartists.dat.</summary>
    /// <exception cref="DatasetFormatException">a malformed tag file.</exception>
    public static ItemFeatures? FromLastFm2k(string folder, LastFmUserArtists data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var tagsFile = Path.Combine(folder, "tags.dat");
        var taggedFile = Path.Combine(folder, "user_taggedartists.dat");
        if (!File.Exists(tagsFile) || !File.Exists(taggedFile)) return null;
        Dictionary<int, string> names;
        using (var reader = new StreamReader(tagsFile, Encoding.Latin1)) // ISO-8859-1, as the dataset's readme says
            names = HetRecTags.Read(reader, tagsFile).ToDictionary(t => t.Id, t => t.Value);
        var keys = names.ToDictionary(kv => kv.Key, kv => TagText.Normalise(kv.Value) is { } n ? TagText.Key(n) : null);
        var triples = new List<(int, string, double)>();
        using (var reader = new StreamReader(taggedFile))
            foreach (var t in HetRecUserTaggedArtists.Read(reader, taggedFile))
                if (data.Artists.TryGetIndex(t.ArtistId, out int item) && keys.GetValueOrDefault(t.TagId) is { } key)
                    triples.Add((item, key, 1.0)); // one per person: Create sums them
        return ItemFeatures.Create(data.Dataset.ItemCount, triples);
    }

    /// <summary>The most terms of its texts an item gets as features (by TF-IDF over the items' texts): enough to say what
    /// a biography is about, few enough that the tags people gave still count.</summary>
    public const int TermsPerItem = 20;

    /// <summary>The prefix of a text term's feature name (a tag's key never holds ':').</summary>
    public const string TermPrefix = "term:";

    /// <summary>The tags of the catalog's listening items (<paramref name="listening"/>'s dense indices): imported item
    /// tags, and a library track's own tags for an item linked to it (its audio tags only when it has no other); and the
    /// terms of the texts about them (<c>import text</c>): an artist item's artist text, a linked track's texts (its own,
    /// its album's, its artist's), the <see cref="TermsPerItem"/> best by TF-IDF, each a feature <c>term:STEM</c> of
    /// strength its weight.</summary>
    public static ItemFeatures FromCatalog(ICatalog catalog, CatalogListening listening)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(listening);
        var triples = new List<(int, string, double)>();
        foreach (var t in catalog.AllItemTags())
            if (listening.Items.TryGetIndex(t.ItemId, out int item) && TagText.Normalise(t.Tag) is { } n)
                triples.Add((item, TagText.Key(n), t.Count));
        var items = catalog.LoadItems();
        var itemOfTrack = items.Values.Where(i => i.TrackId is not null).ToDictionary(i => i.TrackId!.Value, i => i.Id);
        // Tags heard in the audio stand in for a track nobody tagged; a track with tags of its own keeps to those.
        var trackTags = catalog.AllTrackTags();
        var tagged = trackTags.Where(t => t.Source != TagSource.Audio).Select(t => t.TrackId).ToHashSet();
        foreach (var t in trackTags)
            if ((t.Source != TagSource.Audio || !tagged.Contains(t.TrackId))
                && itemOfTrack.TryGetValue(t.TrackId, out var id) && listening.Items.TryGetIndex(id, out int item))
                triples.Add((item, TagText.Key(t.Tag), t.Score));
        triples.AddRange(TextTerms(catalog, listening, items));
        return ItemFeatures.Create(listening.Items.Count, triples);
    }

    /// <summary>The items' text terms as (item, feature, strength) triples.</summary>
    private static List<(int, string, double)> TextTerms(ICatalog catalog, CatalogListening listening, IReadOnlyDictionary<long, ItemInfo> items)
    {
        var texts = catalog.AllTexts();
        if (texts.Count == 0) return [];
        var byArtist = texts.Where(t => t.Kind == TextKind.Artist).ToDictionary(t => t.Key, t => Counts(t.Body), StringComparer.Ordinal);
        var tracks = catalog.ListTracks().Where(t => t.Status != TrackStatus.Missing).Select(t => (t.Id, t.Artist, t.Album));
        var ofTrack = TrackTexts.Collect(tracks, texts).Tracks.ToDictionary(t => t.TrackId, t => t.TermCounts);
        var docs = new List<(int Item, IReadOnlyDictionary<string, double> Terms)>();
        foreach (var info in items.Values)
        {
            if (!listening.Items.TryGetIndex(info.Id, out int item)) continue;
            if (info.TrackId is { } track && ofTrack.TryGetValue(track, out var linked)) docs.Add((item, linked));
            else if (info.Title is null && info.Artist is not null && byArtist.TryGetValue(MatchText.Fold(info.Artist), out var bio)) docs.Add((item, bio));
        }
        var weights = TfIdf.Fit(docs.Select(d => d.Terms));
        return [.. docs.SelectMany(d => weights.Top(d.Terms, TermsPerItem).Select(t => (d.Item, TermPrefix + t.Term, t.Weight)))];
    }

    private static Dictionary<string, double> Counts(string body) =>
        TextTokens.Terms(body).GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (double)g.Count(), StringComparer.Ordinal);
}
