using System.Diagnostics;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Content.Data;

namespace Earworm.Content.Embedding;

/// <summary>What an embedding run did.</summary>
public sealed record EmbeddingSummary(int Embedded, int Skipped, int WithoutExcerpts, int Total, double Seconds)
{
    public double TracksPerSecond => Seconds > 0 ? Embedded / Seconds : 0;
}

/// <summary>
/// Embeds every analysed track of a catalog with an <see cref="AudioEmbedder"/> into the <c>audio</c> space, tagged
/// with the model's id. Mean aggregation commits track by track and skips tracks that already hold this model's
/// vector (resumable; a new model version re-embeds everything). TF-IDF first appends every track's window vectors to
/// the model folder's <c>library-windows.bin</c> (resumable too), then computes document frequencies over the whole
/// library and stores all track vectors. Vectors of other models are removed first: a space half re-embedded holds
/// fewer tracks, never points of two models' spaces side by side.
/// </summary>
public static class LibraryEmbedder
{
    public const string Space = "audio";

    public static EmbeddingSummary Run(ICatalog catalog, ExcerptStore store, AudioEmbedder embedder,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(embedder);
        var model = embedder.Model ?? throw new ArgumentException("the embedder's model is not in the catalog", nameof(embedder));
        var clock = Stopwatch.StartNew();
        var tracks = catalog.ListTracks(TrackStatus.Analysed).Where(t => t.ContentHash is not null).ToList();
        catalog.DeleteTrackVectorsNotOf(Space, model.Id);
        bool tfidf = embedder.Info.Aggregation == AggregationKind.TfIdf;
        var done = tfidf ? new HashSet<long>() : catalog.TracksWithVectors(Space, model.Id).ToHashSet();
        var windowsPath = Path.Combine(embedder.Folder, AudioModelInfo.LibraryWindowsFile);
        var windows = tfidf ? LibraryWindowStore.ReadAll(windowsPath) : [];
        if (tfidf) LibraryWindowStore.Compact(windowsPath, windows);
        int embedded = 0, skipped = 0, without = 0, step = 0;
        var pending = new List<(long, float[])>();
        foreach (var t in tracks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            step++;
            if (done.Contains(t.Id) || windows.ContainsKey(t.Id)) { skipped++; progress?.Report((step, tracks.Count)); continue; }
            Audio.Excerpts.ExcerptSet? set;
            try { set = store.TryRead(t.ContentHash!); }
            catch (InvalidDataException) { set = null; }
            var bank = new WindowBank(set?.MelBands ?? 128);
            if (set is null || !bank.Add(t.Id, set)) { without++; progress?.Report((step, tracks.Count)); continue; }
            var vectors = embedder.WindowVectors(bank, 0);
            if (tfidf)
            {
                LibraryWindowStore.Append(windowsPath, t.Id, vectors);
                windows[t.Id] = [.. vectors];
            }
            else
            {
                catalog.SaveTrackVectors(Space, model.Id, [(t.Id, WindowAggregation.Mean(vectors))]);
                embedded++;
            }
            progress?.Report((step, tracks.Count));
        }
        if (tfidf)
        {
            var ids = tracks.Select(t => t.Id).ToHashSet();
            var library = windows.Where(kv => kv.Value.Length > 0 && ids.Contains(kv.Key)).ToList();
            var all = library.Select(kv => (IReadOnlyList<float[]>)kv.Value).ToList();
            foreach (var (id, w) in library)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var df = WindowAggregation.DocumentFrequencies(w, all, queryInLibrary: true, embedder.Info.Epsilon);
                pending.Add((id, WindowAggregation.TfIdf(w, df, all.Count, embedder.Info.Epsilon)));
            }
            catalog.SaveTrackVectors(Space, model.Id, pending);
            embedded = pending.Count;
            skipped = 0;
        }
        return new EmbeddingSummary(embedded, skipped, without, tracks.Count, clock.Elapsed.TotalSeconds);
    }
}
