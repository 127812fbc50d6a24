using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Catalog.Tags;
using Earworm.Content.Embedding;
using Earworm.Learning.Tagging;

namespace Earworm.App.Tags;

/// <summary>What tagging the library from its audio did.</summary>
/// <param name="Tagged">Tracks whose audio tags were written now.</param>
/// <param name="Skipped">Tracks already tagged by these heads (an interrupted run resumed).</param>
/// <param name="Heads">The heads applied (shipped, library), by version.</param>
/// <param name="Note">A line saying what was done, or why nothing could be.</param>
public sealed record AudioTaggingSummary(int Tagged, int Skipped, IReadOnlyList<string> Heads, string Note);

/// <summary>
/// Tags heard from audio: every track placed in the <c>audio</c> space gets, as <see cref="TagSource.Audio"/> tags, the
/// tags a <see cref="TagHead"/> gives its vector, scored by the head's probability. Two heads may apply: the one Earworm
/// ships (<c>models/autotag/</c>: the 16 General MIDI instrument families and drums, trained on rendered MIDI) and the
/// library's own (<c>earworm train tags</c>, the current model of the <see cref="Space"/> space), whose score wins for a
/// tag both give. A head applies only to the space of the encoder it was trained on (a library whose audio model was
/// retrained gets the shipped head's tags again after <c>train tags</c>). Each track is written on its own, and the
/// tracks done are kept beside the catalog (<c>catalog.models/audio-tags.state</c>), so an interrupted run resumes.
/// </summary>
public static class AudioTagging
{
    /// <summary>The catalog space whose current model is the library's own tag head.</summary>
    public const string Space = "audio-tags";

    /// <summary>The model kind of a tag head in the catalog.</summary>
    public const string Kind = "tag-head";

    /// <summary>Where the program finds the shipped head: <c>$EARWORM_AUTOTAG</c> when set, else <c>models/autotag</c>
    /// beside the program.</summary>
    public static string ShippedFolder => Environment.GetEnvironmentVariable("EARWORM_AUTOTAG") is { Length: > 0 } custom
        ? custom : Path.Combine(AppContext.BaseDirectory, "models", "autotag");

    private const string StateFile = "audio-tags.state";

    /// <summary>What a head's vectors must come from: the audio model's version, and how the library is read with it (layer,
    /// read-out, aggregation: <c>embed --layer</c> or <c>--aggregate</c> change the vectors, not the version).</summary>
    public static string EncoderKey(ModelRecord audioModel)
    {
        ArgumentNullException.ThrowIfNull(audioModel);
        var folder = audioModel.FilePath is { } file ? Path.GetDirectoryName(file) : null;
        if (folder is null || !File.Exists(Path.Combine(folder, AudioModelInfo.InfoFile))) return audioModel.Version;
        var info = AudioModelInfo.Load(folder);
        return $"{audioModel.Version}/{info.Layer}/{info.Readout}/{info.Aggregation}".ToLowerInvariant();
    }

    /// <summary>The heads that apply to the catalog's audio space: the shipped one, then the library's.</summary>
    public static IReadOnlyList<(string Name, TagHead Head)> Heads(ICatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var heads = new List<(string, TagHead)>();
        if (File.Exists(Path.Combine(ShippedFolder, TagHead.FileName))) heads.Add(("shipped", TagHead.Load(ShippedFolder)));
        if (catalog.CurrentModel(Space) is { FilePath: { } file } library && File.Exists(file))
            heads.Add((library.Version, TagHead.Load(Path.GetDirectoryName(file)!)));
        return heads;
    }

    /// <summary>Tags every track of the audio space with the heads that apply to it.</summary>
    public static AudioTaggingSummary TagLibrary(ICatalog catalog, string catalogPath, IProgress<(int Done, int Total)>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var model = catalog.CurrentModel(LibraryEmbedder.Space);
        if (model is null) return new(0, 0, [], "no audio tags: the catalog has no audio space (`earworm embed`)");
        var all = Heads(catalog);
        var key = EncoderKey(model);
        var heads = all.Where(h => h.Head.EncoderVersion == key).ToList();
        if (heads.Count == 0)
            return new(0, 0, [], all.Count == 0
                ? $"no audio tags: no tag head (the shipped one is missing from {ShippedFolder}; `earworm train tags` makes one)"
                : $"no audio tags: the tag heads read the space of {string.Join(", ", all.Select(h => h.Head.EncoderVersion).Distinct())}, the audio space is {key}'s (`earworm train tags` trains one for it)");

        var mine = catalog.TracksWithVectors(LibraryEmbedder.Space, model.Id);
        var vectors = catalog.LoadTrackVectors(LibraryEmbedder.Space);
        var fingerprint = Fingerprint(key, heads);
        var statePath = Path.Combine(CatalogStore.ModelFolderFor(catalogPath), StateFile);
        var done = ReadState(statePath, fingerprint);
        var rows = Enumerable.Range(0, vectors.Count).Where(i => mine.Contains(vectors.Ids[i])).ToList();
        int tagged = 0, skipped = 0, n = 0;
        foreach (int i in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long track = vectors.Ids[i];
            float sum = Checksum(vectors.Row(i));
            if (done.TryGetValue(track, out float was) && was == sum) { skipped++; continue; }
            catalog.ReplaceTrackTags(track, TagSource.Audio, Predict(heads.Select(h => h.Head), vectors.Row(i)));
            done[track] = sum;
            tagged++;
            if (++n % 500 == 0) WriteState(statePath, fingerprint, done);
            progress?.Report((tagged + skipped, rows.Count));
        }
        WriteState(statePath, fingerprint, done);
        progress?.Report((rows.Count, rows.Count));
        var names = heads.Select(h => h.Name == "shipped" ? "the shipped tagger" : $"the library's tagger {h.Name}").ToList();
        return new(tagged, skipped, [.. heads.Select(h => h.Name)],
            string.Create(CultureInfo.InvariantCulture, $"audio tags: {tagged} tracks tagged by {string.Join(" and ", names)} ({skipped} already were)"));
    }

    /// <summary>The tags the heads give one vector: each head's, a later head's score winning for a tag both give.</summary>
    public static IReadOnlyList<(string Tag, double Score)> Predict(IEnumerable<TagHead> heads, ReadOnlySpan<float> vector)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var tags = new Dictionary<string, double>();
        foreach (var head in heads)
        {
            foreach (var t in head.Tags) tags.Remove(t);         // the later head decides its own tags
            foreach (var (tag, score) in head.Predict(vector)) tags[tag] = score;
        }
        return [.. tags.OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value))];
    }

    private static string Fingerprint(string encoder, IEnumerable<(string Name, TagHead Head)> heads)
    {
        var text = encoder + "\n" + string.Join("\n", heads.Select(h => h.Name + ":" + string.Join(",", h.Head.Tags) + ":" +
            string.Join(",", h.Head.Thresholds.Select(t => t.ToString("R", CultureInfo.InvariantCulture))) + ":" + h.Head.Mean.Sum().ToString("R", CultureInfo.InvariantCulture)));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    // A track is done while its vector is the one it was tagged from (a changed file is embedded, then tagged, again).
    private static float Checksum(ReadOnlySpan<float> vector)
    {
        float sum = 0;
        for (int i = 0; i < vector.Length; i++) sum += vector[i] * (1 + (i % 7));
        return sum;
    }

    private sealed record State(string Fingerprint, long[] Tracks, float[] Checksums);

    private static Dictionary<long, float> ReadState(string path, string fingerprint)
    {
        try
        {
            if (File.Exists(path) && JsonSerializer.Deserialize<State>(File.ReadAllText(path)) is { } s && s.Fingerprint == fingerprint
                && s.Tracks.Length == s.Checksums.Length)
                return s.Tracks.Zip(s.Checksums).ToDictionary(p => p.First, p => p.Second);
        }
        catch (JsonException) { }      // a damaged state only means tagging again
        return [];
    }

    private static void WriteState(string path, string fingerprint, Dictionary<long, float> done)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var ordered = done.OrderBy(p => p.Key).ToList();
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(new State(fingerprint, [.. ordered.Select(p => p.Key)], [.. ordered.Select(p => p.Value)])));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
