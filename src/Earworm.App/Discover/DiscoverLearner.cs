using System.Globalization;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Learning.Bandits;

namespace Earworm.App.Discover;

/// <summary>
/// What the discovery list's contextual bandit sees of a candidate for a listener, at the moment of the list: a
/// constant, the listener's taste for it (their cf factors · the item's, z-scored over the list's candidates and
/// clipped to ±3, scaled to ±1), its popularity (log listeners over the most-listened item's), its freshness (a library
/// track's e^(−days since analysed / 30)), how much it sounds like what the listener played lately (cosine with the
/// centroid of their recent tracks in the library's audio space, else its descriptors space; 0 without either), and the
/// time of day (sin and cos of the UTC hour).
/// </summary>
public static class DiscoverFeatures
{
    public static IReadOnlyList<string> Names { get; } = ["bias", "taste", "popularity", "freshness", "sounds-like", "hour-sin", "hour-cos"];

    public static int Count => Names.Count;

    public static double[] Of(double tasteZ, double popularity, double freshness, double soundsLike, DateTimeOffset at)
    {
        double hour = at.UtcDateTime.TimeOfDay.TotalHours * 2 * Math.PI / 24;
        return [1, Math.Clamp(tasteZ, -3, 3) / 3, Math.Clamp(popularity, 0, 1), Math.Clamp(freshness, 0, 1), Math.Clamp(soundsLike, -1, 1),
            Math.Round(Math.Sin(hour), 4), Math.Round(Math.Cos(hour), 4)];
    }
}

/// <summary>
/// The discovery list's contextual bandit: LinUCB (Li et al., WWW 2010) over <see cref="DiscoverFeatures"/> with one
/// block of weights per exploration arm — BaRT's reward model of an item under an explanation (McInerney et al.,
/// RecSys 2018) — shared by every listener (the features carry the listener). Its state follows the event log
/// incrementally: each call reads only the impressions and outcomes logged since the last (the first reads the log
/// once), so a play, a skip or a like changes the next list at once. An outcome of a discovery pick updates the pick's
/// arm with the features the pick was shown with (logged in its impression's context): a play, a play to the end or a
/// like is a reward of 1, a skip or a dislike 0. Picks logged before the features were (arm only) count as the arm's
/// evidence but teach the model nothing. Thread-safe.
/// </summary>
public sealed class DiscoverLearner(IReadOnlyList<string> arms, string surface, double alpha = 0.5)
{
    private readonly Lock _gate = new();
    private readonly LinUcbPolicy _model = new(arms.Count * DiscoverFeatures.Count, alpha, perUser: false);
    private readonly Dictionary<long, (int Arm, double[]? X)> _shown = []; // the log's discovery picks, by impression id
    private readonly int[] _successes = new int[arms.Count], _failures = new int[arms.Count];
    private long _impressionsRead, _outcomesRead;

    public string Name => _model.Name;

    public string Version => _model.Version;

    /// <summary>Reads what the log gained since the last call and learns from it; each arm's successes and misses.</summary>
    public (int Successes, int Failures)[] CatchUp(ICatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        lock (_gate)
        {
            for (; catalog.ReadImpressions(_impressionsRead) is { Count: > 0 } page; _impressionsRead = page[^1].Id)
                foreach (var i in page)
                    if (i.Impression.Surface == surface && Parse(i.Impression.Context) is { } pick) _shown[i.Id] = pick;
            for (; catalog.ReadOutcomes(_outcomesRead) is { Count: > 0 } page; _outcomesRead = page[^1].Id)
                foreach (var o in page)
                    if (o.ImpressionId is long id && _shown.TryGetValue(id, out var pick))
                    {
                        bool success = o.Outcome.Kind is not (OutcomeKind.Skip or OutcomeKind.Dislike);
                        if (success) _successes[pick.Arm]++;
                        else _failures[pick.Arm]++;
                        if (pick.X is { } x) _model.Update(Context([(pick.Arm, x)]), 0, success ? 1 : 0);
                    }
            return [.. _successes.Zip(_failures)];
        }
    }

    /// <summary>The upper confidence bound of each (arm, features) pair, as of the last <see cref="CatchUp"/>.</summary>
    public double[] Bounds(IReadOnlyList<(int Arm, double[] X)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0) return [];
        lock (_gate) return _model.Bounds(Context(pairs));
    }

    /// <summary>The model's expected reward of an arm for features <paramref name="x"/> (θᵀx, without the bound's width).</summary>
    public double Estimate(int arm, double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        lock (_gate) return _model.Means(Context([(arm, x)]))[0];
    }

    /// <summary>The context JSON a pick is logged with: its arm and features.</summary>
    public static string LogContext(string arm, double[] x, int count, double explore) => JsonSerializer.Serialize(new
    {
        arm, x = x.Select(v => Math.Round(v, 4)).ToArray(), count, explore,
    });

    private (int Arm, double[]? X)? Parse(string? context)
    {
        if (context is null) return null;
        try
        {
            using var doc = JsonDocument.Parse(context);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("arm", out var arm) || arm.ValueKind != JsonValueKind.String) return null;
            int k = arms.ToList().IndexOf(arm.GetString()!);
            if (k < 0) return null;
            double[]? x = root.TryGetProperty("x", out var xs) && xs.ValueKind == JsonValueKind.Array && xs.GetArrayLength() == DiscoverFeatures.Count
                && xs.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number)
                ? [.. xs.EnumerateArray().Select(v => v.GetDouble())] : null;
            return (k, x);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The pairs as LinUCB's arms: arm k's features in block k, zeros elsewhere.</summary>
    private BanditContext Context(IReadOnlyList<(int Arm, double[] X)> pairs) => new(0, [.. pairs.Select((p, i) =>
    {
        var full = new double[_model.Dimensions];
        p.X.CopyTo(full, p.Arm * DiscoverFeatures.Count);
        return new BanditArm(i, 0, full);
    })]);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Version}");
}
