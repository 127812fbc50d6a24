using System.Globalization;
using Earworm.App.Library;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Catalog.Scanning;
using Earworm.Catalog.Tags;

namespace Earworm.App.Tags;

/// <summary>A tag as shown: the tag, its score (people who used it, a weight, a tagger's confidence) and its source's name.</summary>
public sealed record TagView(string Tag, double Score, string Source)
{
    public static TagView Of(TrackTag t) => new(t.Tag, t.Score, t.Source.Name());
}

/// <summary>A track's tags (or a file's outside the library, read now: <see cref="Track"/> null).</summary>
public sealed record TargetTags(TrackRecord? Track, string Path, IReadOnlyList<TagView> Tags);

/// <summary>What <c>import tags</c> did: rows read, tracks tagged, tag rows written (added or changed), and the rows
/// left out, each "file:line: why" (an item no track matches, or several tracks by words).</summary>
public sealed record TagImportOutcome(string Path, int Rows, int TracksTagged, int TagsWritten, IReadOnlyList<string> LeftOut);

/// <summary>
/// Tags on tracks for every front end: a track's (or any file's) tags, a person's tags added and removed, and tags
/// imported from <c>item,tag[,weight]</c> files (<see cref="TagCsv"/>).
/// </summary>
public sealed class TagService(CatalogLocation location)
{
    /// <summary>The tags of what <paramref name="target"/> names: a catalog track's from every source, or the file tags
    /// of an audio file outside the library (read with ffprobe now).</summary>
    /// <exception cref="TrackNotFoundException">neither a track nor a file matches.</exception>
    public async Task<TargetTags> TagsAsync(string target, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        using var catalog = location.Exists ? location.Open() : null;
        var named = TrackResolver.Resolve(catalog, target);
        if (named.Track is { } track)
            return new TargetTags(track, track.Path, [.. catalog!.TagsOfTrack(track.Id).Select(TagView.Of)]);
        var media = await new FfmpegDecoder(FfmpegTools.Locate()).ProbeAsync(named.File!, cancellationToken).ConfigureAwait(false);
        return new TargetTags(null, named.File!, [.. FileTags.From(media.Tags).Select(t => new TagView(t, 1, TagSource.File.Name()))]);
    }

    /// <summary>A person's tag on a track (score 1); the track's tags after.</summary>
    /// <exception cref="UsageException">the tag has no letter or digit, or the track is not in the library.</exception>
    public IReadOnlyList<TagView> Add(string target, string tag) => Edit(target, tag, (catalog, id, t) =>
        catalog.SetTrackTags([new TrackTag(id, t, 1, TagSource.User)]));

    /// <summary>Removes a person's tag from a track (tags from files, imports and audio stay: they are the data's own).</summary>
    public IReadOnlyList<TagView> Remove(string target, string tag) => Edit(target, tag, (catalog, id, t) =>
    {
        if (!catalog.RemoveTrackTag(id, t, TagSource.User))
            throw new UsageException($"track {id} has no tag '{t}' a person added");
    });

    private IReadOnlyList<TagView> Edit(string target, string tag, Action<ICatalog, long, string> edit)
    {
        var normalised = TagText.Normalise(tag) ?? throw new UsageException($"'{tag}' is not a tag: it needs a letter or digit, at most {TagText.MaxLength} characters");
        using var catalog = location.OpenExisting();
        var track = TrackResolver.Find(catalog, target) ?? throw new TrackNotFoundException($"no track in the library matches \"{target}\"");
        edit(catalog, track.Id, normalised);
        return [.. catalog.TagsOfTrack(track.Id).Select(TagView.Of)];
    }

    /// <summary>Imports a tags file: every row is read first (a malformed one refuses the file, naming its line), then
    /// each item is matched to library tracks — a track id, a file path (relative to the file's folder), an artist's
    /// name (all their tracks), or words of "artist – title" naming one track — and its tags set with source
    /// <c>import</c> (weights of one tag on one track summed). Importing the file again changes nothing.</summary>
    /// <exception cref="UsageException">no such file.</exception>
    /// <exception cref="DatasetFormatException">a malformed row (file:line and why).</exception>
    public TagImportOutcome Import(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new UsageException($"no tags file at {path}");
        var full = Path.GetFullPath(path);
        IReadOnlyList<TagRow> rows;
        using (var reader = new StreamReader(full)) rows = TagCsv.Read(reader, full);
        using var catalog = location.OpenExisting();
        var tracks = catalog.ListTracks().Where(t => t.Status != TrackStatus.Missing).ToList();
        var byArtist = tracks.Where(t => t.Artist is not null).ToLookup(t => MatchText.Fold(t.Artist!));
        var texts = tracks.Select(t => (Track: t, Text: TrackSearch.Text(t))).ToList();
        var folder = Path.GetDirectoryName(full)!;
        var leftOut = new List<string>();
        var scores = new Dictionary<(long Track, string Key), (string Tag, double Score)>();
        foreach (var row in rows)
        {
            var matched = Match(catalog, row.Item, folder, byArtist, texts, out var why);
            if (matched.Count == 0)
            {
                leftOut.Add(string.Create(CultureInfo.InvariantCulture, $"{full}:{row.LineNumber}: {why}"));
                continue;
            }
            foreach (var id in matched)
            {
                var k = (id, TagText.Key(row.Tag));
                scores[k] = scores.TryGetValue(k, out var s) ? (s.Tag, s.Score + row.Weight) : (row.Tag, row.Weight);
            }
        }
        int written = catalog.SetTrackTags([.. scores.Select(kv => new TrackTag(kv.Key.Track, kv.Value.Tag, kv.Value.Score, TagSource.Import))]);
        return new TagImportOutcome(full, rows.Count, scores.Keys.Select(k => k.Track).Distinct().Count(), written, leftOut);
    }

    private static List<long> Match(ICatalog catalog, string item, string folder, ILookup<string, TrackRecord> byArtist,
        List<(TrackRecord Track, string Text)> texts, out string why)
    {
        why = "";
        if (long.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            if (catalog.FindById(id) is { Status: not TrackStatus.Missing } t) return [t.Id];
            why = $"no track {id} in the library";
            return [];
        }
        var file = Path.IsPathRooted(item) ? item : Path.Combine(folder, item);
        if (File.Exists(file))
        {
            if (TrackResolver.Find(catalog, file) is { } t) return [t.Id];
            why = $"{item} is not a library track (scan it first)";
            return [];
        }
        var artist = byArtist[MatchText.Fold(item)].Select(t => t.Id).ToList();
        if (artist.Count > 0) return artist;
        var words = TrackSearch.Words(item);
        var matches = words.Length == 0 ? [] : texts.Where(x => TrackSearch.Matches(x.Text, words)).ToList();
        why = matches.Count switch
        {
            0 => $"no track, file or artist matches \"{item}\"",
            1 => "",
            _ => $"\"{item}\" matches {matches.Count} tracks ({string.Join("; ", matches.Take(3).Select(m => $"{m.Track.Id} {m.Track.Artist} – {m.Track.Title}"))}): give the id",
        };
        return matches.Count == 1 ? [matches[0].Track.Id] : [];
    }
}
