using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Earworm.Evaluation.Data;
using Earworm.Learning.Bandits;

namespace Earworm.Evaluation.OffPolicy;

/// <summary>A decision log read from JSON Lines: the decisions, the names of their listeners and tracks, and the
/// logging policy (name and version of the first line).</summary>
public sealed record DecisionLogFile(IReadOnlyList<LoggedDecision> Decisions, IReadOnlyList<string> Users, IReadOnlyList<string> Items,
    string LoggingPolicy, int FeatureDimensions);

/// <summary>
/// The decision log off-policy evaluation reads, one JSON object per line:
/// <c>{"user": "…", "policy": "softmax", "version": "tau=1", "candidates": [{"item": "…", "score": 1.2, "features": [...]}, …],
/// "chosen": 0, "propensity": 0.31, "reward": 1}</c> — <c>chosen</c> the index of the shown candidate, <c>propensity</c>
/// the probability with which the policy chose it (in (0, 1]), <c>reward</c> in [0, 1]; <c>features</c> optional (LinUCB
/// needs them, of one length). A line without a propensity, or with one outside (0, 1], is refused with its file and
/// line: a log without propensities cannot be evaluated off-policy, and guessing them would be silent bias.
/// </summary>
public static class DecisionLog
{
    /// <exception cref="DatasetFormatException">a malformed line, a missing or impossible propensity, chosen out of range.</exception>
    public static DecisionLogFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new UsageException($"no decision log at {path}");
        var users = new DenseIdMap<string>();
        var items = new DenseIdMap<string>();
        var decisions = new List<LoggedDecision>();
        string? policy = null;
        int dimensions = -1, number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            DatasetFormatException Bad(string why) => new(path, number, why);
            JsonObject o;
            try { o = JsonNode.Parse(line) as JsonObject ?? throw Bad("expected a JSON object"); }
            catch (JsonException e) { throw Bad("not JSON: " + e.Message); }
            var propensity = Number(o, "propensity") ?? throw Bad("no propensity: off-policy evaluation needs the probability with which the logged item was chosen");
            if (!(propensity > 0 && propensity <= 1)) throw Bad(string.Create(CultureInfo.InvariantCulture, $"propensity {propensity} outside (0, 1]"));
            var reward = Number(o, "reward") ?? throw Bad("no reward");
            if (!(reward >= 0 && reward <= 1)) throw Bad(string.Create(CultureInfo.InvariantCulture, $"reward {reward} outside [0, 1]"));
            var user = Text(o, "user") ?? throw Bad("no user");
            if (o["candidates"] is not JsonArray candidates || candidates.Count == 0) throw Bad("no candidates");
            var arms = new List<BanditArm>(candidates.Count);
            foreach (var node in candidates)
            {
                if (node is not JsonObject c) throw Bad("a candidate is not an object");
                var item = Text(c, "item") ?? throw Bad("a candidate without an item");
                var score = Number(c, "score") ?? throw Bad($"candidate {item} has no score");
                double[]? features = null;
                if (c["features"] is JsonArray f)
                {
                    try { features = [.. f.Select(x => x!.GetValue<double>())]; }
                    catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException) { throw Bad($"candidate {item}: features must be numbers"); }
                    if (dimensions < 0) dimensions = features.Length;
                    else if (dimensions != features.Length) throw Bad($"candidate {item} has {features.Length} features, earlier ones {dimensions}");
                }
                arms.Add(new BanditArm(items.GetOrAdd(item), score, features));
            }
            var chosen = Number(o, "chosen") ?? throw Bad("no chosen index");
            if (chosen != Math.Floor(chosen) || chosen < 0 || chosen >= arms.Count) throw Bad($"chosen {chosen} is not the index of one of the {arms.Count} candidates");
            policy ??= Text(o, "policy") is { } name ? name + (Text(o, "version") is { } v ? $" ({v})" : "") : "unnamed";
            decisions.Add(new LoggedDecision(new BanditContext(users.GetOrAdd(user), arms), (int)chosen, propensity, reward));
        }
        if (decisions.Count == 0) throw new DatasetFormatException(path, number, "the log holds no decision");
        return new DecisionLogFile(decisions, users.Ids, items.Ids, policy ?? "unnamed", Math.Max(dimensions, 0));
    }

    /// <summary>Writes decisions in the format <see cref="Read"/> reads (listeners and tracks named by their dense ids
    /// unless names are given).</summary>
    public static void Write(string path, IEnumerable<LoggedDecision> decisions, IBanditPolicy logging,
        Func<int, string>? userName = null, Func<int, string>? itemName = null)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(logging);
        userName ??= u => "u" + u.ToString(CultureInfo.InvariantCulture);
        itemName ??= i => "t" + i.ToString(CultureInfo.InvariantCulture);
        using var writer = new StreamWriter(path);
        foreach (var d in decisions)
        {
            var line = new JsonObject
            {
                ["user"] = userName(d.Context.User),
                ["policy"] = logging.Name,
                ["version"] = logging.Version,
                ["candidates"] = new JsonArray([.. d.Context.Arms.Select(a => (JsonNode)new JsonObject
                {
                    ["item"] = itemName(a.Item),
                    ["score"] = a.Score,
                    ["features"] = a.Features is null ? null : new JsonArray([.. a.Features.Select(x => (JsonNode?)x)]),
                })]),
                ["chosen"] = d.Chosen,
                ["propensity"] = d.Propensity,
                ["reward"] = d.Reward,
            };
            writer.WriteLine(line.ToJsonString());
        }
    }

    private static double? Number(JsonObject o, string name)
    {
        if (o[name] is not JsonValue v) return null;
        return v.TryGetValue<double>(out var d) ? d : null;
    }

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : o[name] is JsonValue n ? n.ToJsonString() : null;
}
