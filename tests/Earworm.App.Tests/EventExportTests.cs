using System.Text.Json;
using Earworm.App.Events;
using Earworm.Catalog;
using Parquet.Serialization;

namespace Earworm.App.Tests;

public sealed class EventExportTests : IDisposable
{
    private readonly SmallCatalog _library = new();

    public void Dispose() => _library.Dispose();

    [Fact]
    public async Task ParquetHoldsTheSameEventsAsJsonLinesInTheSameOrder()
    {
        using (var catalog = _library.Open())
        {
            catalog.AppendImpressions([new Impression("ann", "r1", 0, _library.Ids[0], null, "discover", "discover", "v1", 0.8, 1.5, """{"arm":"taste"}"""),
                new Impression("ann", "r1", 1, null, 42, "discover", "discover", "v1", 0.05)]);
            catalog.AppendOutcome(new Outcome("ann", _library.Ids[0], OutcomeKind.Skip, 12.5));
            catalog.AppendOutcome(new Outcome("bob", _library.Ids[3], OutcomeKind.Like));
        }
        using var c = _library.Open();
        var lines = await EventExport.WriteAsync(c, _library.File("out/log.jsonl"));
        var parquet = await EventExport.WriteAsync(c, _library.File("out/log.data"), "parquet");
        Assert.Equal((2, 2), (lines.Impressions, lines.Outcomes));
        Assert.Equal((2, 2), (parquet.Impressions, parquet.Outcomes));

        var json = File.ReadAllLines(lines.Path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(File.ReadAllLines(lines.Path), l => Assert.Matches("\"at\":\"[-0-9T:.]+\\+00:00\"", l));   // as written, not "\u002B00:00"
        DeserializationResult<EventRow> read;
        await using (var stream = File.OpenRead(parquet.Path)) read = await ParquetSerializer.DeserializeAsync<EventRow>(stream);
        var rows = read.Data;
        Assert.Equal(["type", "id", "at", "user", "request", "position", "track", "item", "surface", "policy", "version", "propensity", "score",
            "context", "kind", "positionSeconds", "impression"], read.Schema.GetDataFields().Select(f => f.Name));
        Assert.Equal(json.Select(j => (j.GetProperty("type").GetString(), j.GetProperty("id").GetInt64())), rows.Select(r => ((string?)r.Type, r.Id)));
        Assert.Equal((0.8, 1.5, (int?)0, """{"arm":"taste"}"""), (rows[0].Propensity, rows[0].Score, rows[0].Position, rows[0].Context));
        Assert.Equal(((long?)42, (long?)null, (double?)null), (rows[1].Item, rows[1].Track, rows[1].Score));
        Assert.Equal(("skip", 12.5, (long?)json[0].GetProperty("id").GetInt64()), (rows[2].Kind, rows[2].PositionSeconds, rows[2].Impression));
        Assert.Equal(("like", (long?)null), (rows[3].Kind, rows[3].Impression));
        Assert.Equal(json[2].GetProperty("at").GetDateTimeOffset().UtcDateTime, rows[2].At, TimeSpan.FromMilliseconds(1));
        Assert.Equal(["bob"], rows.Where(r => r.Kind == "like").Select(r => r.User));
    }

    [Theory]
    [InlineData("log.csv", null)]
    [InlineData("log.jsonl", "parquet")]
    [InlineData("log.out", "xml")]
    public async Task AnOutputWhoseFormatCannotBeToldIsAUsageErrorAndWritesNothing(string file, string? format)
    {
        using var c = _library.Open();
        await Assert.ThrowsAsync<UsageException>(() => EventExport.WriteAsync(c, _library.File(file), format));
        Assert.False(File.Exists(_library.File(file)));
    }
}
