using System.Globalization;
using Earworm.App.Events;
using Earworm.App.Library;
using Earworm.Catalog;
using Earworm.Learning.Factorization;
using Earworm.Learning.Numerics;
using Earworm.Learning.Persistence;
using Earworm.Recommend.Personal;

namespace Earworm.App.Recommendations;

/// <summary>
/// Personal recommendations for every front end: the catalog's current cf model scores every item with listening data
/// (<see cref="PersonalRecommender"/>: diversity by MMR, explanations), the listener's factors trained or folded in by
/// the model (<see cref="MatrixFactorizationModel.FoldIn"/>), library tracks without listening data through the
/// cold-start bridge (<see cref="ColdStartBridge"/>); what the listener heard is left out. Without a cf model a request
/// may fall back to the listener's likes (<see cref="FeedbackRecommendations"/>).
/// What it shows a named listener is logged as impressions (<see cref="EventLog"/>): a deterministic ranking, so each
/// with propensity 1.
/// </summary>
public sealed class RecommendationService(LibraryCache library, EventLog? events = null)
{
    // keys of candidates: items by their catalog id, bridged tracks by −track id (no clash)
    internal static long TrackKey(long trackId) => -trackId;

    /// <exception cref="UsageException">no cf model, an unknown listener without seeds, a seed without factors.</exception>
    /// <exception cref="UserNotFoundException">falling back to feedback, the listener has none either.</exception>
    public PersonalResult Recommend(RecommendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validated();
        var result = Rank(request);
        events?.Shown(request.User, "recommend", "greedy", result.ModelVersion is { } v ? $"cf {v}" : "feedback",
            [.. result.Items.Select(i => new ShownTrack(i.TrackId, i.ItemId, i.Score))],
            string.Create(CultureInfo.InvariantCulture, $$"""{"count":{{request.Options.Count}},"diversity":{{request.Options.Diversity}},"seeds":{{request.Seeds.Count}}}"""));
        return result;
    }

    private PersonalResult Rank(RecommendRequest request)
    {
        try
        {
            return library.WithCatalog(catalog => FromCf(catalog, request));
        }
        catch (UsageException e) when (request.FallBackToFeedback && request.User is { } user)
        {
            var feedback = library.WithCatalog(c => c.FeedbackOf(user));
            try
            {
                var own = FeedbackRecommendations.Recommend(library.Current, feedback, user, request.Options.Count);
                return own with { How = $"{own.How} ({e.Message})" };
            }
            catch (UserNotFoundException)
            {
                throw new UserNotFoundException(user, e.Message);
            }
        }
    }

    private PersonalResult FromCf(ICatalog catalog, RecommendRequest request)
    {
        var s = Score(catalog, request);
        var recs = PersonalRecommender.Recommend(s.Listener.Factors, s.Candidates, s.Exclude, s.History, request.Options);
        var result = Describe(recs, catalog, s.Items, request.LibraryOnly ? library.Current : null);
        if (PersonalRecommender.SaysLittle(recs))
            s.Notes.Add(new($"every score is about 0: the model learnt next to nothing from {(request.User is { } u ? $"{u}'s listening" : "the seeds")} " +
                            "(what was played, no one else in its training data played), so this order says little; more listening, or seed tracks " +
                            "others played (--seed), will place them", true));
        return new PersonalResult(request.User, s.Record.Version, s.Listener.How, result, s.Notes);
    }

    /// <summary>What a listener's ranking is drawn from: the current cf model, every candidate (items with listening
    /// data, library tracks through the bridge; keys: item ids, −track ids), the listener's factors, what they heard
    /// (left out unless the request includes it), their items with factors (what explains a pick) and notes.</summary>
    internal sealed record Scoring(ModelRecord Record, IReadOnlyDictionary<long, ItemInfo> Items, List<Candidate> Candidates,
        ListenerFactors Listener, HashSet<long> Exclude, List<Candidate> History, List<PersonalNote> Notes);

    /// <exception cref="UsageException">no cf model, an unknown listener without seeds, a seed without factors.</exception>
    internal static Scoring Score(ICatalog catalog, RecommendRequest request)
    {
        var notes = new List<PersonalNote>();
        var (record, saved, model) = CurrentModel(catalog, notes);
        var items = catalog.LoadItems();
        var (candidates, warmTracks) = Candidates(model, saved, items, request.LibraryOnly);
        var listener = Listener(catalog, model, saved, record, request.User, request.Seeds);
        notes.Add(new(Bridge(catalog, model, record, candidates, warmTracks, out var bridgeNote), false));
        if (bridgeNote is not null) notes.Add(bridgeNote);
        var exclude = new HashSet<long>();
        if (!request.IncludeHeard)
            foreach (var i in listener.Heard)
            {
                exclude.Add(i);
                if (items.GetValueOrDefault(i)?.TrackId is long t) exclude.Add(TrackKey(t));
            }
        var history = listener.Weights.Keys.Select(j => new Candidate(saved.ItemIds[j], model.ItemFactors(j).ToArray(), 0, FactorSource.Listening)).ToList();
        return new Scoring(record, items, candidates, listener, exclude, history, notes);
    }

    /// <summary>The current cf model, which must be a factor model; a note when it predates the listening data.</summary>
    private static (ModelRecord Record, SavedModel Saved, MatrixFactorizationModel Model) CurrentModel(ICatalog catalog, List<PersonalNote> notes)
    {
        var record = catalog.CurrentModel("cf")
            ?? throw new UsageException("the catalog has no cf model: import listening data (`earworm import`) then `earworm train cf`");
        if (record.FilePath is null) throw new UsageException($"cf model {record.Version} has no model file: run `earworm train cf --force`");
        var saved = ModelFile.Load(record.FilePath);
        if (saved.Model is not MatrixFactorizationModel model)
            throw new UsageException($"the current cf model {record.Version} is a {saved.Model.Name} model, not a factor model: `earworm train cf --model als`");
        if (record.DataVersion != catalog.ListeningDataVersion())
            notes.Add(new("the cf model was trained before the latest listening data was imported: `earworm train cf` to bring it up to date", true));
        return (record, saved, model);
    }

    /// <summary>Every item the model learned a direction for (with plays in training), and the library tracks among them.</summary>
    /// <returns>The candidates with listening data, and the library tracks among them with their factors.</returns>
    private static (List<Candidate> Candidates, Dictionary<long, float[]> WarmTracks) Candidates(MatrixFactorizationModel model, SavedModel saved,
        IReadOnlyDictionary<long, ItemInfo> items, bool libraryOnly)
    {
        var candidates = new List<Candidate>();
        var warm = new Dictionary<long, float[]>();
        for (int i = 0; i < model.ItemCount; i++)
        {
            var f = model.ItemFactors(i).ToArray();
            if (!VectorNorm.HasDirection(VectorNorm.Norm(f))) continue; // no plays in training: no direction
            long id = saved.ItemIds[i];
            var info = items.GetValueOrDefault(id);
            if (info?.TrackId is long t) warm[t] = f;
            if (libraryOnly && info?.TrackId is null) continue;
            candidates.Add(new Candidate(id, f, model.ItemBias(i), FactorSource.Listening));
        }
        return (candidates, warm);
    }

    /// <summary>The listener in the model: their factors, how they were had, what they heard and the weight of each of
    /// their items the model knows.</summary>
    internal sealed record ListenerFactors(float[] Factors, string How, HashSet<long> Heard, Dictionary<int, float> Weights);

    /// <summary>A listener the model was trained on keeps their factors; anyone else is folded in by the model from
    /// their plays and their seeds (ALS: one least-squares solve).</summary>
    private static ListenerFactors Listener(ICatalog catalog, MatrixFactorizationModel model, SavedModel saved, ModelRecord record,
        string? userName, IReadOnlyList<string> seeds)
    {
        var itemIndex = new Dictionary<long, int>();
        for (int i = 0; i < saved.ItemIds.Length; i++) itemIndex[saved.ItemIds[i]] = i;
        long? userId = userName is null ? null : catalog.FindUserId(userName);
        var plays = userId is long uid ? catalog.LoadListening().Where(r => r.UserId == uid).ToList() : [];
        var heard = plays.Select(r => r.ItemId).ToHashSet();
        var weights = new Dictionary<int, float>();
        foreach (var r in plays.Where(r => r.Count > 0))
            if (itemIndex.TryGetValue(r.ItemId, out int j)) weights[j] = weights.GetValueOrDefault(j) + (float)r.Count;
        int modelUser = userId is long u ? Array.IndexOf(saved.UserIds, u) : -1;
        if (modelUser >= 0 && seeds.Count == 0)
            return new(model.UserFactors(modelUser).ToArray(),
                $"For {userName}: {model.Name} factors learned from {weights.Count} items they played (model {record.Version}).", heard, weights);
        if (userName is not null && userId is null && seeds.Count == 0)
            throw new UsageException($"unknown user '{userName}' (`earworm users` lists them): for a new listener pass --seed TRACK... (tracks they like) to fold them in");
        foreach (var seed in seeds)
        {
            long item = SeedItem(catalog, seed);
            if (!itemIndex.TryGetValue(item, out int j) || !VectorNorm.HasDirection(VectorNorm.Norm(model.ItemFactors(j))))
                throw new UsageException(!itemIndex.ContainsKey(item) && !catalog.LoadItems().ContainsKey(item)
                    ? $"--seed {seed}: no item {item} in this catalog (`earworm tracks` lists the library; items heard elsewhere are item:ID of an import)"
                    : $"--seed {seed}: it has no listening data in cf model {record.Version}, so it has no factors to fold in from (pick a track others played)");
            weights[j] = weights.GetValueOrDefault(j) + 1;
            heard.Add(item);
        }
        if (weights.Count == 0)
            throw new UsageException($"'{userName}' has no plays the cf model knows: pass --seed TRACK... (tracks they like) to fold them in");
        var ids = weights.Keys.ToArray();
        var x = model.FoldIn(ids, [.. ids.Select(j => weights[j])]);
        return new(x, $"For {userName ?? "a new listener"}: folded into {model.Name} model {record.Version} from {Counted.Of(weights.Count, "item")} ({model.FoldInMethod}).",
            heard, weights);
    }

    /// <summary>The cold-start bridge (<see cref="ColdStartBridge"/>): the library tracks without listening data join the
    /// candidates with factors from their audio vectors — regressed (<see cref="ColdStartBridge.AudioRegression"/>, fitted
    /// once per cf model, audio model and set of tracks) from the <c>audio</c> space onto the factors of the tracks with plays, or read directly when the current audio model predicts this cf
    /// model's factors — scaled to the median norm (and bias) of the items with plays. Returns the sentence saying
    /// whether it is on; <paramref name="extra"/> says how many joined.</summary>
    private static string Bridge(ICatalog catalog, MatrixFactorizationModel model, ModelRecord record, List<Candidate> candidates,
        Dictionary<long, float[]> warmTracks, out PersonalNote? extra)
    {
        extra = null;
        var audio = catalog.CurrentModel("audio");
        var (mode, note) = ColdStartBridge.Check(audio?.ParamsJson, audio?.Version, record.Version);
        if (mode == BridgeMode.Off) return note;
        var vectors = catalog.LoadTrackVectors("audio");
        Func<int, float[]> predict;
        string how;
        if (mode == BridgeMode.Direct)
        {
            if (vectors.Count > 0 && vectors.Dims != model.Factors)
            {
                extra = new($"cold-start bridge off: audio vectors have {vectors.Dims} dimensions, the cf model {model.Factors}", true);
                return note;
            }
            predict = i => vectors.Row(i).ToArray();
            how = "audio-predicted factors";
        }
        else
        {
            var train = Enumerable.Range(0, vectors.Count).Where(i => warmTracks.ContainsKey(vectors.Ids[i])).ToList();
            var regression = FittedBridge(record.Version, audio!.Version, vectors.Count, [.. train.Select(i => vectors.Ids[i])],
                () => ColdStartBridge.FitRegression([.. train.Select(i => vectors.Row(i).ToArray())], [.. train.Select(i => warmTracks[vectors.Ids[i]])]));
            if (regression is null)
                return $"cold-start bridge off: {train.Count} library tracks have both plays and audio vectors, the regression from the audio space " +
                       $"needs {ColdStartBridge.MinimumRegressionTracks}";
            predict = i => regression.Predict([.. vectors.Row(i).ToArray().Select(x => (double)x)]);
            how = $"factors regressed from the audio space ({regression.Describe()} by cross-validation on {train.Count} tracks with plays)";
        }
        float norm = ColdStartBridge.MedianNorm(candidates.Where(c => c.Source == FactorSource.Listening).Select(c => c.Factors));
        float bias = model.HasItemBiases
            ? ColdStartBridge.Median([.. Enumerable.Range(0, model.ItemCount).Where(i => VectorNorm.HasDirection(VectorNorm.Norm(model.ItemFactors(i)))).Select(model.ItemBias).Order()])
            : 0;
        int bridged = 0;
        for (int i = 0; i < vectors.Count; i++)
        {
            long t = vectors.Ids[i];
            if (warmTracks.ContainsKey(t) || ColdStartBridge.FromPrediction(TrackKey(t), predict(i), norm, bias) is not { } c) continue;
            candidates.Add(c);
            bridged++;
        }
        extra = new(string.Create(CultureInfo.InvariantCulture,
            $"{bridged} library tracks without listening data scored through {how}, scaled to the median factor norm of the items with plays ({norm:0.###}){(model.HasItemBiases ? string.Create(CultureInfo.InvariantCulture, $" with the median item bias ({bias:0.###})") : "")}"), false);
        return note;
    }

    // the bridge's regression depends only on the cf model, the audio model and which tracks have vectors and plays: fitted
    // once for them in a process, not on every request (its cross-validation is the costly part of a recommendation)
    private static readonly Lock BridgeLock = new();
    private static (string Key, IVectorRegression? Regression)? _bridge;

    private static IVectorRegression? FittedBridge(string cfVersion, string audioVersion, int vectorCount, IReadOnlyList<long> trainTracks, Func<IVectorRegression?> fit)
    {
        var tracks = new HashCode();
        foreach (long t in trainTracks) tracks.Add(t); // in-process only: so is the memo
        var key = string.Create(CultureInfo.InvariantCulture, $"{cfVersion}|{audioVersion}|{vectorCount}|{trainTracks.Count}|{tracks.ToHashCode()}");
        lock (BridgeLock)
        {
            if (_bridge is { } b && b.Key == key) return b.Regression;
        }
        var regression = fit();
        lock (BridgeLock) _bridge = (key, regression);
        return regression;
    }

    /// <summary>The recommendations with their items' and tracks' names; with <paramref name="libraryOnly"/>, only the
    /// tracks of that view.</summary>
    internal static List<PersonalItem> Describe(IReadOnlyList<Recommendation> recs, ICatalog catalog, IReadOnlyDictionary<long, ItemInfo> items,
        LibraryView? libraryOnly)
    {
        var tracks = new Dictionary<long, TrackRecord?>();
        TrackRecord? Track(long id) => tracks.TryGetValue(id, out var t) ? t : tracks[id] = catalog.FindById(id);
        var result = new List<PersonalItem>();
        foreach (var r in recs)
        {
            var c = r.Candidate;
            long? itemId = c.Key > 0 ? c.Key : null;
            long? trackId = c.Key < 0 ? -c.Key : items.GetValueOrDefault(c.Key)?.TrackId;
            if (libraryOnly is not null && (trackId is not long lt || libraryOnly.Find(lt) is null)) continue;
            var track = trackId is long tid ? Track(tid) : null;
            var label = Label(itemId is long iid ? items.GetValueOrDefault(iid) : null, track);
            result.Add(new PersonalItem(itemId, trackId, label, track?.Path, r.Score, c.Source,
                [.. r.Because.Select(b => new PersonalReason(b.Key, Label(items.GetValueOrDefault(b.Key), null), b.Similarity))]));
        }
        return result;
    }

    private static long SeedItem(ICatalog catalog, string seed)
    {
        if (seed.StartsWith("item:", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(seed.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long itemId))
            return itemId;
        var track = TrackResolver.Find(catalog, seed) ?? throw new UsageException($"--seed {seed}: no track matches");
        return catalog.ItemOfTrack(track.Id)
            ?? throw new UsageException($"--seed {seed}: track {track.Id} has no listening data, so the cf model has no factors for it");
    }

    /// <summary>How an item (and its library track) is shown: "artist – title", else what is known.</summary>
    internal static string Label(ItemInfo? item, TrackRecord? track)
    {
        string? artist = track?.Artist ?? item?.Artist, title = track?.Title ?? item?.Title;
        if (artist is not null && title is not null) return $"{artist} – {title}";
        if (title is not null) return title;
        if (artist is not null) return artist;
        if (track is not null) return Path.GetFileName(track.Path);
        return item?.Location ?? item?.Key ?? "?";
    }
}
