using System.Globalization;

namespace Earworm.Content.Pretraining;

/// <summary>One file of the pretraining corpus, as <c>scripts/fetch-training-corpus.sh</c> describes it.</summary>
/// <param name="Path">Absolute path.</param>
/// <param name="Package">The Debian package it came from: the unit held out in validation.</param>
/// <param name="Composer">Empty when unknown.</param>
public sealed record CorpusTrack(string Path, string Soundtrack, string Package, string Composer, double DurationSeconds, string Licence);

/// <summary>
/// The corpus's <c>manifest.csv</c> (columns path, soundtrack, package, composer, title, duration_s, licence; path relative
/// to the manifest's folder; RFC 4180 quoting). A corpus without a manifest is read from its folders: each top-level
/// folder is one package and one soundtrack, with no composer or licence known.
/// </summary>
public static class CorpusManifest
{
    public const string FileName = "manifest.csv";

    /// <exception cref="UsageException">the folder does not exist, or its manifest lacks a needed column or is malformed.</exception>
    public static IReadOnlyList<CorpusTrack> Read(string corpusFolder)
    {
        if (!Directory.Exists(corpusFolder)) throw new UsageException($"no corpus folder at {corpusFolder}");
        var root = System.IO.Path.GetFullPath(corpusFolder);
        var manifest = System.IO.Path.Combine(root, FileName);
        return File.Exists(manifest) ? Parse(File.ReadAllLines(manifest), root, manifest) : FromFolders(root);
    }

    /// <summary>Rows of a manifest's lines (the first is the header).</summary>
    public static IReadOnlyList<CorpusTrack> Parse(IReadOnlyList<string> lines, string root, string name = FileName)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0) throw new UsageException($"{name} is empty");
        var header = SplitCsv(lines[0]);
        int Column(string column, bool required = true)
        {
            int i = header.IndexOf(column);
            if (i < 0 && required) throw new UsageException($"{name}: no '{column}' column (found {string.Join(", ", header)})");
            return i;
        }
        int path = Column("path"), package = Column("package"), soundtrack = Column("soundtrack");
        int composer = Column("composer", false), duration = Column("duration_s", false), licence = Column("licence", false);
        var result = new List<CorpusTrack>();
        for (int l = 1; l < lines.Count; l++)
        {
            if (string.IsNullOrWhiteSpace(lines[l])) continue;
            var f = SplitCsv(lines[l]);
            if (f.Count != header.Count) throw new UsageException($"{name}:{l + 1}: {f.Count} fields, the header has {header.Count}");
            string At(int i) => i >= 0 ? f[i] : "";
            double seconds = double.TryParse(At(duration), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0;
            result.Add(new CorpusTrack(System.IO.Path.GetFullPath(System.IO.Path.Combine(root, f[path])), f[soundtrack], f[package],
                At(composer), seconds, At(licence)));
        }
        return result;
    }

    private static List<CorpusTrack> FromFolders(string root) =>
        Directory.EnumerateDirectories(root).Where(d => !System.IO.Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => new CorpusTrack(f, System.IO.Path.GetFileName(d), System.IO.Path.GetFileName(d), "", 0, "")))
            .ToList();

    /// <summary>One CSV line's fields (double quotes enclose fields holding commas; "" is a quote).</summary>
    internal static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}

/// <summary>
/// Folds of packages for validation: the packages sorted by their number of tracks (most first, then by name), each
/// put in the fold that holds the fewest tracks so far. Deterministic, every package in exactly one fold, the folds
/// about equal in tracks. A fold's packages are held out together: tracks of one soundtrack are near-duplicates in
/// style, so a split by track would measure memory, not generalisation.
/// </summary>
public static class PackageFolds
{
    /// <summary>The fold (0 … <paramref name="folds"/> − 1) of every package.</summary>
    public static IReadOnlyDictionary<string, int> Assign(IEnumerable<CorpusTrack> tracks, int folds)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        var sizes = tracks.GroupBy(t => t.Package).Select(g => (Package: g.Key, Tracks: g.Count()))
            .OrderByDescending(p => p.Tracks).ThenBy(p => p.Package, StringComparer.Ordinal).ToList();
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "at least 2 folds");
        if (sizes.Count < folds) throw new UsageException($"{folds} folds need at least {folds} packages; the corpus has {sizes.Count}");
        var load = new int[folds];
        var result = new Dictionary<string, int>();
        foreach (var (package, count) in sizes)
        {
            int f = Array.IndexOf(load, load.Min());
            result[package] = f;
            load[f] += count;
        }
        return result;
    }
}
