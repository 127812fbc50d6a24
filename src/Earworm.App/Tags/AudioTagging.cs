using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Catalog.Tags;
using Earworm.Content.Embedding;
using Earworm.Content.Tagging;
using Earworm.Learning.Tagging;

namespace Earworm.App.Tags;

/// <summary>What tagging the library from its audio did.</summary>
/// <param name="Tagged">Tracks whose audio tags were written now.</param>
/// <param name="Skipped">Tracks already tagged by these heads (an interrupted run resumed).</param>
/// <param name="Heads">The heads applied (shipped, library), by version.</param>
/// <param name="Note">A line saying what was done, or why nothing could be.</param>
public sealed record AudioTaggingSummary(int Tagged, int Skipped, IReadOnlyList<string> Heads, string Note);

/// <summary>
/// Tags heard from audio: every analysed track gets, as <see cref="TagSource.Audio"/> tags, the tags its taggers give,
/// scored by their probability. A tagger is a network on the track's cached log-mel (<see cref="TagNetworkModel"/>: any
/// analysed track) or a head on its vector in the <c>audio</c> space (<see cref="TagHead"/>: only the space of the encoder
/// it was trained on). Two may apply: the one Earworm ships (<c>models/autotag/</c>: the 16 General MIDI instrument
/// families and drums, trained on rendered MIDI) and the library's own (<c>earworm train tags</c>, the current model of
/// the <see cref="Space"/> space), whose score wins for a tag both give. Each track is written on its own, and the
/// tracks done are kept beside the catalog (<c>catalog.models/audio-tags.state</c>), so an interrupted run resumes.
/// </summary>
public static class AudioTagging
{
    /// <summary>The catalog space whose current model is the library's own tag head.</summary>
    public const string Space = "audio-tags";

    /// <summary>The model kind of a tag head in the catalog.</summary>
    public const string Kind = "tag-head";

    /// <summary>The model kind of a tag network (<c>train tags --network</c>) in the catalog.</summary>
    public const string NetworkKind = "tag-network";

    /// <summary>Where the program finds the shipped tagger: <c>$EARWORM_AUTOTAG</c> when set, else <c>models/autotag</c>
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

    /// <summary>A tagger that applies to the library: a head on the audio space's vectors, or a network on the log-mel.</summary>
    private sealed record Tagger(string Name, TagHead? Head, TagNetworkModel? Network, string Identity);

    /// <summary>The heads that apply to the catalog's audio space: the shipped one, then the library's.</summary>
    public static IReadOnlyList<(string Name, TagHead Head)> Heads(ICatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var heads = new List<(string, TagHead)>();
        if (File.Exists(Path.Combine(ShippedFolder, TagHead.FileName))) heads.Add(("shipped", TagHead.Load(ShippedFolder)));
        if (catalog.CurrentModel(Space) is { FilePath: { } file, Kind: not NetworkKind } library && File.Exists(file))
            heads.Add((library.Version, TagHead.Load(Path.GetDirectoryName(file)!)));
        return heads;
    }

    // The networks that tag the library (any track with cached log-mel): the shipped one, then the library's.
    private static List<(string Name, string Folder)> NetworkFolders(ICatalog catalog)
    {
        var folders = new List<(string, string)>();
        if (TagNetworkModel.IsIn(ShippedFolder)) folders.Add(("shipped", ShippedFolder));
        if (catalog.CurrentModel(Space) is { FilePath: { } file, Kind: NetworkKind } library && File.Exists(file))
            folders.Add((library.Version, Path.GetDirectoryName(file)!));
        return folders;
    }

    /// <summary>Tags every track with the taggers that apply to it: the heads on the audio space's vectors (tracks in
    /// the space of their encoder), the networks on the cached log-mel (every analysed track).</summary>
    public static AudioTaggingSummary TagLibrary(ICatalog catalog, string catalogPath, IProgress<(int Done, int Total)>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var model = catalog.CurrentModel(LibraryEmbedder.Space);
        var key = model is null ? null : EncoderKey(model);
        var allHeads = Heads(catalog);
        var heads = allHeads.Where(h => h.Head.EncoderVersion == key).ToList();
        var networkFolders = NetworkFolders(catalog);
        if (heads.Count == 0 && networkFolders.Count == 0)
            return new(0, 0, [], model is null
                ? "no audio tags: the catalog has no audio space (`earworm embed`) and no tag network applies"
                : allHeads.Count == 0
                ? $"no audio tags: no tagger (the shipped one is missing from {ShippedFolder}; `earworm train tags` makes one)"
                : $"no audio tags: the tag heads read the space of {string.Join(", ", allHeads.Select(h => h.Head.EncoderVersion).Distinct())}, the audio space is {key}'s (`earworm train tags` trains one for it)");

        var taggers = new List<Tagger>();
        try
        {
            foreach (var (name, head) in heads.Where(h => h.Name == "shipped")) taggers.Add(new(name, head, null, HeadIdentity(head)));
            foreach (var (name, folder) in networkFolders.Where(n => n.Name == "shipped"))
                taggers.Add(new(name, null, TagNetworkModel.Load(folder), TagNetworkModel.Version(folder)));
            foreach (var (name, head) in heads.Where(h => h.Name != "shipped")) taggers.Add(new(name, head, null, HeadIdentity(head)));
            foreach (var (name, folder) in networkFolders.Where(n => n.Name != "shipped"))
                taggers.Add(new(name, null, TagNetworkModel.Load(folder), TagNetworkModel.Version(folder)));
            return TagTracks(catalog, catalogPath, model, key, taggers, progress, cancellationToken);
        }
        finally
        {
            foreach (var t in taggers) t.Network?.Dispose();
        }
    }

    private static AudioTaggingSummary TagTracks(ICatalog catalog, string catalogPath, ModelRecord? model, string? key, List<Tagger> taggers,
        IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        bool listens = taggers.Any(t => t.Network is not null), reads = taggers.Any(t => t.Head is not null);
        var vectors = reads ? catalog.LoadTrackVectors(LibraryEmbedder.Space) : null;
        var rowOf = new Dictionary<long, int>();
        if (vectors is not null && model is not null)
        {
            var mine = catalog.TracksWithVectors(LibraryEmbedder.Space, model.Id);
            for (int i = 0; i < vectors.Count; i++) if (mine.Contains(vectors.Ids[i])) rowOf[vectors.Ids[i]] = i;
        }
        var analysed = catalog.ListTracks(TrackStatus.Analysed).Where(t => t.ContentHash is not null).ToDictionary(t => t.Id);
        List<long> tracks = listens ? [.. analysed.Keys.Order()] : [.. rowOf.Keys.Order()];
        var store = new ExcerptStore(ExcerptStore.DefaultFor(catalogPath));
        var fingerprint = Fingerprint(key ?? "log-mel", taggers);
        var statePath = Path.Combine(CatalogStore.ModelFolderFor(catalogPath), StateFile);
        var done = ReadState(statePath, fingerprint);
        int tagged = 0, skipped = 0, n = 0;
        foreach (long track in tracks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool hasVector = rowOf.TryGetValue(track, out int row);
            float sum = (hasVector ? Checksum(vectors!.Row(row)) : 0) + (analysed.TryGetValue(track, out var record) ? HashNumber(record.ContentHash!) : 0);
            if (done.TryGetValue(track, out float was) && was == sum) { skipped++; progress?.Report((tagged + skipped, tracks.Count)); continue; }
            Audio.Excerpts.ExcerptSet? excerpts = null;
            if (listens && record is not null)
            {
                try { excerpts = store.TryRead(record.ContentHash!); }
                catch (Exception e) when (e is InvalidDataException or ArgumentException) { excerpts = null; }   // no readable cache entry: the heads still tag it
            }
            var tags = new Dictionary<string, double>();
            foreach (var tagger in taggers)
            {
                IReadOnlyList<(string Tag, double Score)>? given = tagger.Head is { } head
                    ? (hasVector ? head.Predict(vectors!.Row(row)) : null)
                    : excerpts is not null && excerpts.MelBands == tagger.Network!.Options.MelBands ? tagger.Network.Predict(excerpts) : null;
                if (given is null) continue;
                foreach (var t in tagger.Head?.Tags ?? tagger.Network!.Tags) tags.Remove(t);      // the later tagger decides its own tags
                foreach (var (tag, score) in given) tags[tag] = score;
            }
            catalog.ReplaceTrackTags(track, TagSource.Audio, [.. tags.OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value))]);
            done[track] = sum;
            tagged++;
            if (++n % 500 == 0) WriteState(statePath, fingerprint, done);
            progress?.Report((tagged + skipped, tracks.Count));
        }
        WriteState(statePath, fingerprint, done);
        progress?.Report((tracks.Count, tracks.Count));
        var names = taggers.Select(t => (t.Name == "shipped" ? "the shipped " : "the library's ") + (t.Network is null ? "head" : "network") +
            (t.Name == "shipped" ? "" : $" {t.Name}")).ToList();
        return new(tagged, skipped, [.. taggers.Select(t => t.Name)],
            string.Create(CultureInfo.InvariantCulture, $"audio tags: {Counted.Of(tagged, "track")} tagged by {string.Join(" and ", names)} ({skipped} already were)"));
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

    private static string HeadIdentity(TagHead head) => string.Join(",", head.Tags) + ":" +
        string.Join(",", head.Thresholds.Select(t => t.ToString("R", CultureInfo.InvariantCulture))) + ":" + head.Mean.Sum().ToString("R", CultureInfo.InvariantCulture);

    // A track's content as a number for the resume state (its hash's first 24 bits: exact in a float).
    private static float HashNumber(string contentHash) =>
        contentHash.Length >= 6 && int.TryParse(contentHash.AsSpan(0, 6), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int v) ? v : 0;

    private static string Fingerprint(string encoder, IEnumerable<Tagger> taggers)
    {
        var text = encoder + "\n" + string.Join("\n", taggers.Select(t => t.Name + ":" + t.Identity));
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
