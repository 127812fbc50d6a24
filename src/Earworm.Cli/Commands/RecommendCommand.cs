using System.CommandLine;
using System.Globalization;
using Earworm.Catalog;
using Earworm.Learning.Factorization;
using Earworm.Learning.Persistence;
using Earworm.Recommend.Personal;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm recommend</c>: personal recommendations from the current <c>cf</c> model, with the cold-start
/// bridge through audio-predicted factors, a diversity knob and explanations.</summary>
internal static class RecommendCommand
{
    private static readonly Option<string?> User = new("--user") { Description = "The listener (a name `earworm users` lists)", HelpName = "NAME" };
    private static readonly Option<int> Count = new("--count", "-n") { Description = "How many recommendations", DefaultValueFactory = _ => 20 };
    private static readonly Option<double> Diversity = new("--diversity")
    {
        Description = "0 = best scores only; towards 1 trades score for variety (maximal marginal relevance in factor space)",
        DefaultValueFactory = _ => 0,
        HelpName = "0..1",
    };
    private static readonly Option<bool> Explain = new("--explain") { Description = "Name the listener's items that pulled each recommendation in, and how tracks without plays were scored" };
    private static readonly Option<bool> IncludeHeard = new("--include-heard") { Description = "Keep what the listener already played" };
    private static readonly Option<string[]> Seeds = new("--seed")
    {
        Description = "For a listener the model does not know: tracks they like (id, path, \"artist title\", or item:ID), folded into the model",
        HelpName = "TRACK",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<bool> LibraryOnly = new("--library-only") { Description = "Only tracks of the library (leave out items heard elsewhere that have no audio file)" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("recommend", "Personal recommendations: CF scores from the current cf model (`earworm train cf`) for what has " +
                                           "listening data, audio-predicted factors for library tracks without any (when an audio model was trained " +
                                           "on the cf factors), heard items left out; a listener the model does not know is folded in from --seed tracks")
        {
            User, Count, Diversity, Explain, IncludeHeard, Seeds, LibraryOnly,
        };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            var options = new PersonalOptions(parse.GetValue(Count), parse.GetValue(Diversity), 3);
            try
            {
                options.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException($"--{(e.ParamName == "Count" ? "count" : "diversity")}: {e.Message.Split('(')[0].Trim()}");
            }
            var user = parse.GetValue(User);
            var seeds = parse.GetValue(Seeds) ?? [];
            if (user is null && seeds.Length == 0) throw new UsageException("say who for: --user NAME, or --seed TRACK... for a new listener");
            using var catalog = ctx.OpenExistingCatalog();
            var result = PersonalSession.Recommend(catalog, user, seeds, options, parse.GetValue(IncludeHeard), parse.GetValue(LibraryOnly));
            Print(ctx, result, parse.GetValue(Explain));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void Print(CliContext ctx, PersonalResult result, bool explain)
    {
        foreach (var note in result.Notes.Where(n => explain || n.Important)) ctx.Err.WriteLine($"recommend: {note.Text}");
        if (ctx.Json)
        {
            ctx.WriteJson(new
            {
                user = result.User,
                model = result.ModelVersion,
                how = result.How,
                notes = result.Notes.Select(n => n.Text),
                recommendations = result.Items.Select((r, i) => new
                {
                    rank = i + 1,
                    r.ItemId,
                    r.TrackId,
                    r.Label,
                    r.Path,
                    score = Math.Round(r.Score, 5),
                    source = r.Source == FactorSource.Audio ? "audio" : "listening",
                    because = r.Because.Select(b => new { b.ItemId, b.Label, similarity = Math.Round(b.Similarity, 4) }),
                }),
            });
            return;
        }
        ctx.Console.MarkupLine($"[bold]{Markup.Escape(result.How)}[/]");
        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "score", "recommendation", "from");
        table.Columns[0].RightAligned();
        table.Columns[1].RightAligned();
        if (explain) table.AddColumn("because you played");
        int rank = 0;
        foreach (var r in result.Items)
        {
            var row = new List<string>
            {
                (++rank).ToString(CultureInfo.InvariantCulture), r.Score.ToString("0.000", CultureInfo.InvariantCulture),
                Markup.Escape(r.Label), r.Source == FactorSource.Audio ? "audio" : "plays",
            };
            if (explain)
                row.Add(Markup.Escape(string.Join("; ", r.Because.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Label} ({b.Similarity:0.00})")))));
            table.AddRow(row.ToArray());
        }
        ctx.Console.Write(table);
        if (result.Items.Count == 0) ctx.Console.MarkupLine("Nothing left to recommend (everything was heard, or filtered).");
    }
}

internal sealed record PersonalNote(string Text, bool Important);

internal sealed record PersonalReason(long ItemId, string Label, float Similarity);

internal sealed record PersonalItem(long? ItemId, long? TrackId, string Label, string? Path, float Score, FactorSource Source,
    IReadOnlyList<PersonalReason> Because);

internal sealed record PersonalResult(string? User, string ModelVersion, string How, IReadOnlyList<PersonalItem> Items, IReadOnlyList<PersonalNote> Notes);

/// <summary>The I/O around <see cref="PersonalRecommender"/>: the catalog's current cf model, the user's factors (trained,
/// or folded in), candidates with listening data and, through the bridge, library tracks without.</summary>
internal static class PersonalSession
{
    // keys of candidates: items by their catalog id, bridged tracks by −track id (no clash)
    private static long TrackKey(long trackId) => -trackId;

    public static PersonalResult Recommend(CatalogStore catalog, string? userName, string[] seeds, PersonalOptions options,
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
        var warmTracks = new HashSet<long>();
        for (int i = 0; i < model.ItemCount; i++)
        {
            var f = model.ItemFactors(i).ToArray();
            if (!(Learning.Numerics.Simd.Norm(f) > 0)) continue; // no plays in training: no direction
            long id = saved.ItemIds[i];
            var info = items.GetValueOrDefault(id);
            if (info?.TrackId is long t) warmTracks.Add(t);
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
        var (usable, bridgeNote) = ColdStartBridge.Check(audio?.ParamsJson, audio?.Version, record.Version);
        notes.Add(new(bridgeNote, false));
        var trackInfo = new Dictionary<long, TrackRecord>();
        if (usable)
        {
            var predicted = catalog.LoadTrackVectors("audio");
            if (predicted.Count > 0 && predicted.Dims != model.Factors)
                notes.Add(new($"cold-start bridge off: audio vectors have {predicted.Dims} dimensions, the cf model {model.Factors}", true));
            else
            {
                float norm = ColdStartBridge.MedianNorm(candidates.Where(c => c.Source == FactorSource.Listening).Select(c => c.Factors));
                float bias = model.HasItemBiases
                    ? ColdStartBridge.Median([.. Enumerable.Range(0, model.ItemCount).Where(i => Learning.Numerics.Simd.Norm(model.ItemFactors(i)) > 0).Select(model.ItemBias).Order()])
                    : 0;
                int bridged = 0;
                for (int i = 0; i < predicted.Count; i++)
                {
                    long t = predicted.Ids[i];
                    if (warmTracks.Contains(t)) continue;
                    if (ColdStartBridge.FromPrediction(TrackKey(t), predicted.Row(i), norm, bias) is { } c)
                    {
                        candidates.Add(c);
                        bridged++;
                    }
                }
                notes.Add(new(string.Create(CultureInfo.InvariantCulture,
                    $"{bridged} library tracks without listening data scored through audio-predicted factors, scaled to the median factor norm of the items with plays ({norm:0.###}){(model.HasItemBiases ? string.Create(CultureInfo.InvariantCulture, $" with the median item bias ({bias:0.###})") : "")}"), false));
            }
        }

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

    private static long SeedItem(CatalogStore catalog, string seed)
    {
        if (seed.StartsWith("item:", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(seed.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long itemId))
            return itemId;
        var track = TrackLookup.Find(catalog, seed) ?? throw new UsageException($"--seed {seed}: no track matches");
        return catalog.ItemOfTrack(track.Id)
            ?? throw new UsageException($"--seed {seed}: track {track.Id} has no listening data, so the cf model has no factors for it");
    }

    private static TrackRecord? Track(CatalogStore catalog, Dictionary<long, TrackRecord> cache, long id)
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
}
