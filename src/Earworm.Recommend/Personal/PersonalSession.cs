using System.Globalization;
using Earworm.Catalog;
using Earworm.Learning.Factorization;
using Earworm.Learning.Persistence;

namespace Earworm.Recommend.Personal;

// Moved from the CLI's recommend verb so the web app calls the same code (one owner per concept).

public sealed record PersonalNote(string Text, bool Important);

public sealed record PersonalReason(long ItemId, string Label, float Similarity);

public sealed record PersonalItem(long? ItemId, long? TrackId, string Label, string? Path, float Score, FactorSource Source,
    IReadOnlyList<PersonalReason> Because);

public sealed record PersonalResult(string? User, string ModelVersion, string How, IReadOnlyList<PersonalItem> Items, IReadOnlyList<PersonalNote> Notes);

/// <summary>The I/O around <see cref="PersonalRecommender"/>: the catalog's current cf model, the user's factors (trained,
/// or folded in), candidates with listening data and, through the bridge, library tracks without.</summary>
public static class PersonalSession
{
    // keys of candidates: items by their catalog id, bridged tracks by −track id (no clash)
    private static long TrackKey(long trackId) => -trackId;

    public static PersonalResult Recommend(ICatalog catalog, string? userName, string[] seeds, PersonalOptions options,
        bool includeHeard, bool libraryOnly)
    {
        var notes = new List<PersonalNote>();
        var record = catalog.CurrentModel("cf")
            ?? throw new UsageException("the catalog has no cf model: import listening data (`earworm import`) then `earworm train cf`");
        if (record.FilePath is null) throw new UsageException($"cf model {record.Version} has no model file: run `earworm train cf --force`");
        var saved = ModelFile.Load(record.FilePath);
        if (saved.Model is not MatrixFactorizationModel model)
            throw new UsageException($"the current cf model {record.Version} is a {saved.Model.Name} model, not a factor model: `earworm train cf --model als`");
        if (record.DataVersion != catalog.ListeningDataVersion())
            notes.Add(new("the cf model was trained before the latest listening data was imported: `earworm train cf` to bring it up to date", true));

        var items = catalog.LoadItems();
        var itemIndex = new Dictionary<long, int>();
        for (int i = 0; i < saved.ItemIds.Length; i++) itemIndex[saved.ItemIds[i]] = i;
        var candidates = new List<Candidate>();
        var warmTracks = new Dictionary<long, float[]>(); // library tracks with plays: their factors
        for (int i = 0; i < model.ItemCount; i++)
        {
            var f = model.ItemFactors(i).ToArray();
            if (!(Learning.Numerics.Simd.Norm(f) > 0)) continue; // no plays in training: no direction
            long id = saved.ItemIds[i];
            var info = items.GetValueOrDefault(id);
            if (info?.TrackId is long t) warmTracks[t] = f;
            if (libraryOnly && info?.TrackId is null) continue;
            candidates.Add(new Candidate(id, f, model.ItemBias(i), FactorSource.Listening));
        }

        // the listener: trained factors, else fold-in from their plays or from seeds
        var listening = catalog.LoadListening();
        long? userId = userName is null ? null : catalog.FindUserId(userName);
        var plays = userId is long uid ? listening.Where(r => r.UserId == uid).ToList() : [];
        var heardItems = plays.Select(r => r.ItemId).ToHashSet();
        var weights = new Dictionary<int, float>();
        foreach (var r in plays.Where(r => r.Count > 0))
            if (itemIndex.TryGetValue(r.ItemId, out int j)) weights[j] = weights.GetValueOrDefault(j) + (float)r.Count;
        int modelUser = userId is long u2 ? Array.IndexOf(saved.UserIds, u2) : -1;
        float[] x;
        string how;
        if (modelUser >= 0 && seeds.Length == 0)
        {
            x = model.UserFactors(modelUser).ToArray();
            how = $"For {userName}: {model.Name} factors learned from {weights.Count} items they played (model {record.Version}).";
        }
        else
        {
            if (userName is not null && userId is null && seeds.Length == 0)
                throw new UsageException($"unknown user '{userName}' (`earworm users` lists them): for a new listener pass --seed TRACK... (tracks they like) to fold them in");
            foreach (var seed in seeds)
            {
                long item = SeedItem(catalog, seed);
                if (!itemIndex.TryGetValue(item, out int j) || !(Learning.Numerics.Simd.Norm(model.ItemFactors(j)) > 0))
                    throw new UsageException($"--seed {seed}: it has no listening data in cf model {record.Version}, so it has no factors to fold in from (pick a track others played)");
                weights[j] = weights.GetValueOrDefault(j) + 1;
                heardItems.Add(item);
            }
            if (weights.Count == 0)
                throw new UsageException($"'{userName}' has no plays the cf model knows: pass --seed TRACK... (tracks they like) to fold them in");
            (x, string method) = FoldIn(model, weights);
            how = $"For {userName ?? "a new listener"}: folded into {model.Name} model {record.Version} from {weights.Count} item{(weights.Count == 1 ? "" : "s")} ({method}).";
        }

        // the cold-start bridge
        var audio = catalog.CurrentModel("audio");
        var (bridge, bridgeNote) = ColdStartBridge.Check(audio?.ParamsJson, audio?.Version, record.Version);
        var bridged = bridge == BridgeMode.Off ? null : Bridge(catalog, model, bridge, warmTracks, candidates, ref bridgeNote);
        notes.Add(new(bridgeNote, false));
        if (bridged is not null) notes.Add(bridged);
        var trackInfo = new Dictionary<long, TrackRecord>();

        var exclude = new HashSet<long>();
        if (!includeHeard)
        {
            foreach (var i in heardItems)
            {
                exclude.Add(i);
                if (items.GetValueOrDefault(i)?.TrackId is long t) exclude.Add(TrackKey(t));
            }
        }
        var history = weights.Keys.Select(j => new Candidate(saved.ItemIds[j], model.ItemFactors(j).ToArray(), 0, FactorSource.Listening)).ToList();
        var recs = PersonalRecommender.Recommend(x, candidates, exclude, history, options);
        var result = recs.Select(r =>
        {
            var c = r.Candidate;
            long? itemId = c.Key > 0 ? c.Key : null;
            long? trackId = c.Key < 0 ? -c.Key : items.GetValueOrDefault(c.Key)?.TrackId;
            var track = trackId is long tid ? Track(catalog, trackInfo, tid) : null;
            var label = itemId is long iid ? Label(items.GetValueOrDefault(iid), track) : Label(null, track);
            return new PersonalItem(itemId, trackId, label, track?.Path, r.Score, c.Source,
                [.. r.Because.Select(b => new PersonalReason(b.Key, Label(items.GetValueOrDefault(b.Key), null), b.Similarity))]);
        }).ToList();
        return new PersonalResult(userName, record.Version, how, result, notes);
    }

    /// <summary>ALS: the exact fold-in (one least-squares solve). BPR has no closed form: the mean of the items'
    /// factors, which ranks by the summed item-item dot products.</summary>
    private static (float[] Factors, string Method) FoldIn(MatrixFactorizationModel model, Dictionary<int, float> weights)
    {
        var ids = weights.Keys.ToArray();
        var counts = ids.Select(j => weights[j]).ToArray();
        if (model is AlsModel als) return (als.FoldIn(ids, counts), "one ALS least-squares solve");
        var x = new float[model.Factors];
        foreach (var j in ids)
        {
            var f = model.ItemFactors(j);
            for (int d = 0; d < x.Length; d++) x[d] += f[d] / ids.Length;
        }
        return (x, "the mean of their BPR item factors");
    }

    private static long SeedItem(ICatalog catalog, string seed)
    {
        if (seed.StartsWith("item:", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(seed.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long itemId))
            return itemId;
        var track = TrackLookup.Find(catalog, seed) ?? throw new UsageException($"--seed {seed}: no track matches");
        return catalog.ItemOfTrack(track.Id)
            ?? throw new UsageException($"--seed {seed}: track {track.Id} has no listening data, so the cf model has no factors for it");
    }

    private static TrackRecord? Track(ICatalog catalog, Dictionary<long, TrackRecord> cache, long id)
    {
        if (cache.TryGetValue(id, out var t)) return t;
        t = catalog.FindById(id);
        if (t is not null) cache[id] = t;
        return t;
    }

    private static string Label(ItemInfo? item, TrackRecord? track)
    {
        string? artist = track?.Artist ?? item?.Artist, title = track?.Title ?? item?.Title;
        if (artist is not null && title is not null) return $"{artist} – {title}";
        if (title is not null) return title;
        if (artist is not null) return artist;
        if (track is not null) return Path.GetFileName(track.Path);
        return item?.Location ?? item?.Key ?? "?";
    }

    /// <summary>Adds the library tracks without plays as candidates through factors from their audio vectors
    /// (<see cref="ColdStartBridge"/>): the vectors themselves, or the ridge regression fitted on the tracks with plays.</summary>
    /// <returns>What was bridged, as a note; null (with <paramref name="bridgeNote"/> saying why) when the bridge stays off.</returns>
    private static PersonalNote? Bridge(ICatalog catalog, MatrixFactorizationModel model, BridgeMode mode, Dictionary<long, float[]> warmTracks,
        List<Candidate> candidates, ref string bridgeNote)
    {
        var vectors = catalog.LoadTrackVectors("audio");
        Func<int, float[]> predict;
        string how;
        if (mode == BridgeMode.Direct)
        {
            if (vectors.Count > 0 && vectors.Dims != model.Factors)
            {
                bridgeNote = $"cold-start bridge off: audio vectors have {vectors.Dims} dimensions, the cf model {model.Factors}";
                return null;
            }
            predict = i => vectors.Row(i).ToArray();
            how = "audio-predicted factors";
        }
        else
        {
            var train = Enumerable.Range(0, vectors.Count).Where(i => warmTracks.ContainsKey(vectors.Ids[i])).ToList();
            var ridge = ColdStartBridge.FitRegression([.. train.Select(i => vectors.Row(i).ToArray())], [.. train.Select(i => warmTracks[vectors.Ids[i]])]);
            if (ridge is null)
            {
                bridgeNote = $"cold-start bridge off: {train.Count} library tracks have both plays and audio vectors, the regression from the audio space " +
                             $"needs {ColdStartBridge.MinimumRegressionTracks}";
                return null;
            }
            predict = i => ridge.Predict([.. vectors.Row(i).ToArray().Select(x => (double)x)]);
            how = string.Create(CultureInfo.InvariantCulture, $"factors regressed from the audio space (ridge, λ {ridge.Lambda:G3} by cross-validation on {train.Count} tracks with plays)");
        }
        float norm = ColdStartBridge.MedianNorm(candidates.Where(c => c.Source == FactorSource.Listening).Select(c => c.Factors));
        float bias = model.HasItemBiases
            ? ColdStartBridge.Median([.. Enumerable.Range(0, model.ItemCount).Where(i => Learning.Numerics.Simd.Norm(model.ItemFactors(i)) > 0).Select(model.ItemBias).Order()])
            : 0;
        int bridged = 0;
        for (int i = 0; i < vectors.Count; i++)
        {
            long t = vectors.Ids[i];
            if (warmTracks.ContainsKey(t)) continue;
            if (ColdStartBridge.FromPrediction(TrackKey(t), predict(i), norm, bias) is { } c)
            {
                candidates.Add(c);
                bridged++;
            }
        }
        return new(string.Create(CultureInfo.InvariantCulture,
            $"{bridged} library tracks without listening data scored through {how}, scaled to the median factor norm of the items with plays ({norm:0.###}){(model.HasItemBiases ? string.Create(CultureInfo.InvariantCulture, $" with the median item bias ({bias:0.###})") : "")}"), false);
    }
}
