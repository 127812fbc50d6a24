using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Earworm.Catalog;
using Parquet;
using Parquet.Serialization;
using Parquet.Serialization.Attributes;

namespace Earworm.App.Events;

/// <summary>How many events an export wrote, and where.</summary>
public sealed record EventExportResult(string Path, int Impressions, int Outcomes);

/// <summary>
/// <c>earworm events export</c>: the whole event log, impressions and outcomes merged in time order, as JSON Lines (one
/// object a line with its <c>type</c>, <c>impression</c> or <c>outcome</c>) or as Parquet (the same fields as columns,
/// one row an event, row groups of <see cref="RowGroup"/>; the fields of the other type null). Written to a temporary
/// file beside the target and moved over it at the end, so an interrupted export leaves any earlier file as it was.
/// </summary>
public static class EventExport
{
    private const int Page = 10_000;

    /// <summary>Rows per Parquet row group.</summary>
    public const int RowGroup = 100_000;

    /// <summary>The formats, by name: <c>jsonl</c> and <c>parquet</c>.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["jsonl", "parquet"];

    /// <summary>The format of an export: <paramref name="format"/> when given, else the output's extension.</summary>
    /// <exception cref="UsageException">an unknown format, or one the extension contradicts.</exception>
    public static string FormatOf(string path, string? format)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ext = System.IO.Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
        if (format is null)
            return Formats.Contains(ext) ? ext
                : throw new UsageException($"events export writes JSON Lines or Parquet: name the output FILE.jsonl or FILE.parquet, or say --format jsonl|parquet (not {System.IO.Path.GetFileName(path)})");
        var f = format.Trim().ToLowerInvariant();
        if (!Formats.Contains(f)) throw new UsageException($"--format {format}: events export writes {string.Join(" or ", Formats)}");
        if (Formats.Contains(ext) && ext != f) throw new UsageException($"--format {f} but the output is {System.IO.Path.GetFileName(path)}: name it FILE.{f}");
        return f;
    }

    /// <exception cref="UsageException">an output whose format cannot be told (<see cref="FormatOf"/>).</exception>
    public static async Task<EventExportResult> WriteAsync(ICatalog catalog, string path, string? format = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var kind = FormatOf(path, format);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temp = full + ".part";
        int impressions = 0, outcomes = 0;
        var events = Merged(catalog, cancellationToken).Select(e =>
        {
            if (e.Shown is not null) impressions++;
            else outcomes++;
            return e;
        });
        try
        {
            if (kind == "parquet") await WriteParquetAsync(events, temp, cancellationToken).ConfigureAwait(false);
            else await WriteLinesAsync(events, temp, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        File.Move(temp, full, overwrite: true);
        return new EventExportResult(full, impressions, outcomes);
    }

    /// <summary>One event: an impression or an outcome.</summary>
    private readonly record struct Event(ImpressionRecord? Shown, OutcomeRecord? Done);

    /// <summary>Impressions and outcomes in time order (an impression first at the same instant), read page by page.</summary>
    private static IEnumerable<Event> Merged(ICatalog catalog, CancellationToken cancellationToken)
    {
        using var shown = Paged(id => catalog.ReadImpressions(id, Page), r => r.Id).GetEnumerator();
        using var done = Paged(id => catalog.ReadOutcomes(id, Page), r => r.Id).GetEnumerator();
        bool hasShown = shown.MoveNext(), hasDone = done.MoveNext();
        while (hasShown || hasDone)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (hasShown && (!hasDone || shown.Current.At <= done.Current.At))
            {
                yield return new Event(shown.Current, null);
                hasShown = shown.MoveNext();
            }
            else
            {
                yield return new Event(null, done.Current);
                hasDone = done.MoveNext();
            }
        }
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

    private static async Task WriteLinesAsync(IEnumerable<Event> events, string file, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(file);
        foreach (var e in events)
            await writer.WriteLineAsync((e.Shown is { } s ? Line(s) : Line(e.Done!)).AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteParquetAsync(IEnumerable<Event> events, string file, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Create, FileAccess.ReadWrite);
        bool first = true;
        foreach (var chunk in events.Select(Row).Chunk(RowGroup))
        {
            await ParquetSerializer.SerializeAsync(chunk, stream, new ParquetOptions { Append = !first }, cancellationToken: cancellationToken).ConfigureAwait(false);
            first = false;
        }
        if (first) await ParquetSerializer.SerializeAsync(Array.Empty<EventRow>(), stream, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static EventRow Row(Event e)
    {
        if (e.Shown is { } r)
        {
            var i = r.Impression;
            return new EventRow
            {
                Type = "impression", Id = r.Id, At = r.At.UtcDateTime, User = i.User, Request = i.RequestId, Position = i.Position, Track = i.TrackId,
                Item = i.ItemId, Surface = i.Surface, Policy = i.Policy, Version = i.PolicyVersion, Propensity = i.Propensity, Score = i.Score,
                Context = i.Context,
            };
        }
        var o = e.Done!;
        return new EventRow
        {
            Type = "outcome", Id = o.Id, At = o.At.UtcDateTime, User = o.Outcome.User, Track = o.Outcome.TrackId, Kind = KindName(o.Outcome.Kind),
            PositionSeconds = o.Outcome.PositionSeconds, Impression = o.ImpressionId,
        };
    }

    private static string KindName(OutcomeKind kind) => kind.ToString().ToLowerInvariant();

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
        }.ToJsonString(LineOptions);
    }

    private static string Line(OutcomeRecord r) => new JsonObject
    {
        ["type"] = "outcome",
        ["id"] = r.Id,
        ["at"] = r.At.ToString("O", CultureInfo.InvariantCulture),
        ["user"] = r.Outcome.User,
        ["track"] = r.Outcome.TrackId,
        ["kind"] = KindName(r.Outcome.Kind),
        ["positionSeconds"] = r.Outcome.PositionSeconds,
        ["impression"] = r.ImpressionId,
    }.ToJsonString(LineOptions);

    /// <summary>Lines as other tools read them: a time's "+" and a name's accents written as they are (JSON needs only
    /// quotes, backslashes and control characters escaped).</summary>
    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>A row of the Parquet export: the JSON Lines fields as columns (the context as its JSON text).</summary>
public sealed class EventRow
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("id")] public long Id { get; set; }
    [JsonPropertyName("at"), ParquetTimestamp] public DateTime At { get; set; }
    [JsonPropertyName("user")] public string User { get; set; } = "";
    [JsonPropertyName("request")] public string? Request { get; set; }
    [JsonPropertyName("position")] public int? Position { get; set; }
    [JsonPropertyName("track")] public long? Track { get; set; }
    [JsonPropertyName("item")] public long? Item { get; set; }
    [JsonPropertyName("surface")] public string? Surface { get; set; }
    [JsonPropertyName("policy")] public string? Policy { get; set; }
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("propensity")] public double? Propensity { get; set; }
    [JsonPropertyName("score")] public double? Score { get; set; }
    [JsonPropertyName("context")] public string? Context { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("positionSeconds")] public double? PositionSeconds { get; set; }
    [JsonPropertyName("impression")] public long? Impression { get; set; }
}
