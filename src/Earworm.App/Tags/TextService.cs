using System.Globalization;
using Earworm.App.Library;
using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Catalog.Text;
using Earworm.Learning.Text;

namespace Earworm.App.Tags;

/// <summary>What <c>import text</c> did: texts read, texts added or changed, by kind, and the texts left out, each
/// "file:line: why" (an item no artist, album or track of the library matches, or one that matches several tracks).</summary>
public sealed record TextImportOutcome(IReadOnlyList<string> Paths, int Texts, int Written, IReadOnlyDictionary<string, int> ByKind, IReadOnlyList<string> LeftOut);

/// <summary>A term of the texts about a track, shown as the word the texts most often write for it, with its TF-IDF weight.</summary>
public sealed record TermView(string Term, string Word, double Weight);

/// <summary>The terms that say most about a track, best first, and the texts they come from ("artist Nina Simone").</summary>
public sealed record TrackTerms(TrackRecord Track, IReadOnlyList<TermView> Terms, IReadOnlyList<string> Texts);

/// <summary>
/// Texts about music for every front end: <c>import text DIR|FILE.csv</c> (<see cref="TextCsv"/>) stores one text per
/// artist, album or track (<see cref="TextDocument"/>), and a track's top terms by TF-IDF over the library's texts.
/// The <c>text</c> and <c>tags</c> spaces are made of them (<see cref="Recommend.Text.WordSpaces"/>).
/// </summary>
public sealed class TextService(CatalogLocation location)
{
    /// <summary>Imports folders of <c>.txt</c>/<c>.md</c> files and <c>item,text</c> CSVs: everything is read first (a
    /// malformed row or file refuses the whole import, naming file and line), then each item is matched — its kind when
    /// it says it (<c>artist:</c>, <c>album:</c>, <c>track:</c>), else an artist's name (of the library's tracks or of
    /// the listening data's items), an album's name, a track id, a file path, or words of "artist – title" naming one track — and the texts stored at once (several texts on
    /// one item joined). Importing the same again changes nothing.</summary>
    /// <exception cref="UsageException">no such file or folder.</exception>
    /// <exception cref="DatasetFormatException">a malformed row or file (file:line and why).</exception>
    public TextImportOutcome Import(params IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new UsageException("give a folder of texts or an item,text file");
        var read = paths.Select(Read).ToList();
        using var catalog = location.OpenExisting();
        var tracks = catalog.ListTracks().Where(t => t.Status != TrackStatus.Missing).ToList();
        // an artist of the listening data counts too: a text on an artist with plays and no tracks feeds the hybrid model
        var artists = tracks.Select(t => t.Artist).Concat(catalog.LoadItems().Values.Select(i => i.Artist)).OfType<string>()
            .Select(MatchText.Fold).ToHashSet(StringComparer.Ordinal);
        var albums = tracks.Where(t => t.Album is not null).Select(t => MatchText.Fold(t.Album!)).ToHashSet(StringComparer.Ordinal);
        var leftOut = new List<string>();
        var texts = new Dictionary<(TextKind, string), TextDocument>();
        foreach (var (folder, row) in read.SelectMany(r => r.Rows.Select(row => (r.Folder, row))))
        {
            var (kind, key, why) = Match(catalog, row.Item, folder, artists, albums);
            if (kind is not { } k)
            {
                leftOut.Add(string.Create(CultureInfo.InvariantCulture, $"{row.File}:{row.LineNumber}: {why}"));
                continue;
            }
            var source = string.Create(CultureInfo.InvariantCulture, $"{row.File}:{row.LineNumber}");
            texts[(k, key)] = texts.TryGetValue((k, key), out var earlier)
                ? earlier with { Body = earlier.Body + "\n\n" + row.Body }
                : new TextDocument(k, key, TextCsv.Kind(row.Item).Name, row.Body, source);
        }
        int written = catalog.SetTexts([.. texts.Values]);
        var byKind = texts.Keys.GroupBy(x => x.Item1.Name()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new TextImportOutcome([.. read.Select(r => r.Path)], read.Sum(r => r.Rows.Count), written, byKind, leftOut);
    }

    /// <summary>A folder's or file's texts, and the folder relative paths in it are read from.</summary>
    private static (string Path, string Folder, IReadOnlyList<TextRow> Rows) Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return (full, full, TextCsv.ReadFolder(full));
        if (!File.Exists(full)) throw new UsageException($"no texts file or folder at {path}");
        using var reader = new StreamReader(full);
        return (full, Path.GetDirectoryName(full)!, TextCsv.Read(reader, full));
    }

    /// <summary>The terms that set the texts about <paramref name="target"/> apart from the others' (TF-IDF over every
    /// track the library's texts reach), at most <paramref name="count"/>.</summary>
    /// <exception cref="TrackNotFoundException">no library track matches.</exception>
    public TrackTerms Terms(string target, int count = 15)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using var catalog = location.OpenExisting();
        var track = TrackResolver.Find(catalog, target) ?? throw new TrackNotFoundException($"no track in the library matches \"{target}\"");
        var tracks = catalog.ListTracks().Where(t => t.Status != TrackStatus.Missing);
        var texts = TrackTexts.Collect(tracks.Select(t => (t.Id, t.Artist, t.Album)), catalog.AllTexts());
        var mine = texts.Tracks.FirstOrDefault(t => t.TrackId == track.Id);
        if (mine is null) return new TrackTerms(track, [], []);
        var weights = TfIdf.Fit(texts.Tracks.Select(t => t.TermCounts));
        return new TrackTerms(track, [.. weights.Top(mine.TermCounts, count).Select(x => new TermView(x.Term, texts.Show(x.Term), Math.Round(x.Weight, 4)))],
            mine.Texts);
    }

    /// <summary>What a text's item names: its kind and key, or why nothing in the library matches.</summary>
    private static (TextKind? Kind, string Key, string Why) Match(ICatalog catalog, string item, string folder, HashSet<string> artists, HashSet<string> albums)
    {
        var (said, name) = TextCsv.Kind(item);
        var folded = MatchText.Fold(name);
        if (said is TextKind.Artist or null && artists.Contains(folded)) return (TextKind.Artist, folded, "");
        if (said is TextKind.Album or null && albums.Contains(folded)) return (TextKind.Album, folded, "");
        if (said is TextKind.Artist) return (null, "", $"no artist \"{name}\" in the library");
        if (said is TextKind.Album) return (null, "", $"no album \"{name}\" in the library");
        var file = Path.IsPathRooted(name) ? name : Path.Combine(folder, name);
        try
        {
            var track = TrackResolver.Find(catalog, File.Exists(file) ? file : name);
            if (track is { Status: not TrackStatus.Missing })
                return (TextKind.Track, track.Id.ToString(CultureInfo.InvariantCulture), "");
            return (null, "", said is TextKind.Track ? $"no track \"{name}\" in the library" : $"no artist, album or track matches \"{name}\"");
        }
        catch (UsageException e)
        {
            return (null, "", e.Message); // several tracks match: the message lists them
        }
    }
}
