using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Earworm.Catalog;

namespace Earworm.App.Events;

/// <summary>How many events an export wrote, and where.</summary>
public sealed record EventExportResult(string Path, int Impressions, int Outcomes);

/// <summary>
/// <c>earworm events export</c>: the whole event log as JSON Lines, impressions and outcomes merged in time order, one
/// object a line with its <c>type</c> (<c>impression</c> or <c>outcome</c>). Written to a temporary file beside the
/// target and moved over it at the end, so an interrupted export leaves any earlier file as it was.
/// </summary>
public static class EventExport
{
    private const int Page = 10_000;

    /// <exception cref="UsageException">an output that is not .jsonl.</exception>
    public static EventExportResult Write(ICatalog catalog, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"events export writes JSON Lines: name the output FILE.jsonl (not {System.IO.Path.GetFileName(path)})");
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temp = full + ".part";
        int impressions = 0, outcomes = 0;
        using (var writer = new StreamWriter(temp))
        {
            using var shown = Paged(id => catalog.ReadImpressions(id, Page), r => r.Id).GetEnumerator();
            using var done = Paged(id => catalog.ReadOutcomes(id, Page), r => r.Id).GetEnumerator();
            bool hasShown = shown.MoveNext(), hasDone = done.MoveNext();
            while (hasShown || hasDone)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (hasShown && (!hasDone || shown.Current.At <= done.Current.At))
                {
                    writer.WriteLine(Line(shown.Current));
                    impressions++;
                    hasShown = shown.MoveNext();
                }
                else
                {
                    writer.WriteLine(Line(done.Current));
                    outcomes++;
                    hasDone = done.MoveNext();
                }
            }
        }
        File.Move(temp, full, overwrite: true);
        return new EventExportResult(full, impressions, outcomes);
    }

    private static IEnumerable<T> Paged<T>(Func<long, IReadOnlyList<T>> read, Func<T, long> id)
    {
        long after = 0;
        while (true)
        {
            var page = read(after);
            foreach (var r in page) yield return r;
            if (page.Count < Page) yield break;
            after = id(page[^1]);
        }
    }

    private static string Line(ImpressionRecord r)
    {
        var i = r.Impression;
        JsonNode? context = null;
        if (i.Context is { } c)
        {
            try { context = JsonNode.Parse(c); }
            catch (JsonException) { context = c; }
        }
        return new JsonObject
        {
            ["type"] = "impression",
            ["id"] = r.Id,
            ["at"] = r.At.ToString("O", CultureInfo.InvariantCulture),
            ["user"] = i.User,
            ["request"] = i.RequestId,
            ["position"] = i.Position,
            ["track"] = i.TrackId,
            ["item"] = i.ItemId,
            ["surface"] = i.Surface,
            ["policy"] = i.Policy,
            ["version"] = i.PolicyVersion,
            ["propensity"] = i.Propensity,
            ["score"] = i.Score,
            ["context"] = context,
        }.ToJsonString();
    }

    private static string Line(OutcomeRecord r) => new JsonObject
    {
        ["type"] = "outcome",
        ["id"] = r.Id,
        ["at"] = r.At.ToString("O", CultureInfo.InvariantCulture),
        ["user"] = r.Outcome.User,
        ["track"] = r.Outcome.TrackId,
        ["kind"] = r.Outcome.Kind.ToString().ToLowerInvariant(),
        ["positionSeconds"] = r.Outcome.PositionSeconds,
        ["impression"] = r.ImpressionId,
    }.ToJsonString();
}
