using Earworm.Catalog.Import;
using Earworm.Catalog.Import.Csv;

namespace Earworm.Catalog.Tests.Import;

public class CsvTests
{
    private static List<List<string>> Records(string text, char? delimiter = ',')
    {
        var reader = new CsvRecordReader(new StringReader(text), delimiter, "f.csv");
        var list = new List<List<string>>();
        while (reader.Read() is { } r) list.Add(r);
        return list;
    }

    [Fact]
    public void ReadsQuotedFieldsAsRfc4180()
    {
        var r = Records("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",,x\n\nlast,\n");
        Assert.Equal(3, r.Count);
        Assert.Equal(["a", "b,c", "say \"hi\""], r[0]);
        Assert.Equal(["multi\nline", "", "x"], r[1]);
        Assert.Equal(["last", ""], r[2]);
    }

    [Fact]
    public void KeepsAQuoteInsideAnUnquotedField() => Assert.Equal(["12\" single", "b"], Records("12\" single,b\n")[0]);

    [Fact]
    public void LineNumbersCountTheLinesInsideQuotes()
    {
        var reader = new CsvRecordReader(new StringReader("h\n\"a\nb\"\n\nc\n"), ',', "f.csv");
        reader.Read();
        Assert.Equal(1, reader.LineNumber);
        reader.Read();
        Assert.Equal(2, reader.LineNumber);
        reader.Read();
        Assert.Equal(5, reader.LineNumber);
    }

    [Theory]
    [InlineData("user,item\nu,\"never closed\n", 2, "never closed")]
    [InlineData("user,item\nu,\"a\"b\n", 2, "after the closing quote of field 2")]
    public void MalformedQuotingNamesTheLine(string text, int line, string reason) =>
        ParseAssert.Fails(() => Records(text), "f.csv", line, reason);

    [Theory]
    [InlineData("user,item,count", ',')]
    [InlineData("user\titem\tcount", '\t')]
    [InlineData("user;item;\"a,b\"", ';')]
    [InlineData("user|item", '|')]
    [InlineData("item", ',')]
    public void DetectsTheDelimiterFromTheHeader(string header, char delimiter) => Assert.Equal(delimiter, CsvRecordReader.Detect(header));

    private static ListenLog Parse(string text, InteractionCsvOptions? options = null) =>
        InteractionCsv.Parse(new StringReader(text), "plays.csv", "/data", options ?? new InteractionCsvOptions());

    [Fact]
    public void ReadsUserItemCountAndTimestamp()
    {
        var log = Parse("User,Item,Count,Timestamp\nalice,42,3,1609459200\nbob,track:7,1,2021-01-01T00:00:00Z\nbob,/m/a.mp3,2,\nbob,x,0,\n");
        Assert.Equal(4, log.Rows);
        Assert.Equal(1, log.Ignored["count 0"]);
        Assert.Equal(3, log.Listens.Count);
        var (a, b, c) = (log.Listens[0], log.Listens[1], log.Listens[2]);
        Assert.Equal(("alice", "csv:42", 3.0, (long?)1609459200, 2), (a.User, a.Item.SourceKey, a.Count, a.TimestampUnixSeconds, a.LineNumber));
        Assert.Equal((7L, (long?)1609459200), (b.Item.TrackId!.Value, b.TimestampUnixSeconds));
        Assert.Equal(("/m/a.mp3", (long?)null), (c.Item.Path, c.TimestampUnixSeconds));
    }

    [Fact]
    public void RenamedColumnsTabsMillisecondsAndArtistTitle()
    {
        var options = new InteractionCsvOptions().WithColumn("user", "listener").WithColumn("count", "plays").WithColumn("time", "at");
        var log = Parse("listener\tsong\tartist\ttitle\tplays\tat\nann\t\tBjörk\tJóga\t2\t1609459200123\n", options with { ItemColumn = "song" });
        var l = Assert.Single(log.Listens);
        Assert.Equal(("ann", "Björk", "Jóga", 2.0, (long?)1609459200), (l.User, l.Item.Artist, l.Item.Title, l.Count, l.TimestampUnixSeconds));
    }

    [Fact]
    public void WithoutAUserColumnTheUserIsLeftToTheCommandLine()
    {
        var l = Assert.Single(Parse("item\n\"a, b\"\n").Listens);
        Assert.Null(l.User);
        Assert.Equal("csv:a, b", l.Item.SourceKey);
        Assert.Equal(1, l.Count);
    }

    [Fact]
    public void ItemKindsReadTheItemColumnAsAsked()
    {
        var path = Parse("item\nsub/a.mp3\n", new() { ItemKind = CsvItemKind.Path }).Listens[0].Item;
        Assert.Equal("/data/sub/a.mp3", path.Path);
        Assert.Equal(12L, Parse("item\n12\n", new() { ItemKind = CsvItemKind.TrackId }).Listens[0].Item.TrackId);
        Assert.Equal("csv:track:3", Parse("item\ntrack:3\n", new() { ItemKind = CsvItemKind.Key }).Listens[0].Item.SourceKey);
        // by default track:N is a catalog track, so track: with no number is a mistake, not an id of the file's own
        var e = Assert.Throws<DatasetFormatException>(() => Parse("item\ntrack:3\ntrack:abc\n"));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("track: takes a catalog track id", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user,item,count\nalice,1,2\nbob,2\n", 3, "expected 3 fields as in the header, found 2")]
    [InlineData("user,item,count\nalice,1,many\n", 2, "count \"many\" is not a non-negative number")]
    [InlineData("user,item,count\nalice,1,-1\n", 2, "count \"-1\"")]
    [InlineData("user,item,timestamp\nalice,1,yesterday\n", 2, "timestamp \"yesterday\"")]
    [InlineData("user,item\n,1\n", 2, "the user is empty")]
    [InlineData("user,item\nalice,\n", 2, "the item is empty")]
    [InlineData("listener,song\na,b\n", 1, "the header has no \"item\" column")]
    [InlineData("", 1, "empty file")]
    public void AMalformedRowNamesTheFileAndLine(string text, int line, string reason) =>
        ParseAssert.Fails(() => Parse(text), "plays.csv", line, reason);

    [Fact]
    public void OptionsRefuseUnknownRolesAndNamesGivenTwice()
    {
        Assert.Throws<ArgumentException>(() => new InteractionCsvOptions().WithColumn("colour", "x"));
        Assert.Throws<ArgumentException>(() => new InteractionCsvOptions { UserColumn = "item" }.Validate());
        Assert.Throws<ArgumentException>(() => new InteractionCsvOptions { Delimiter = '"' }.Validate());
    }

    private static ListenLog Scrobbles(string text) => LastFmScrobbleCsv.Parse(new StringReader(text), "scrobbles.csv");

    [Fact]
    public void ReadsLastFmToCsvWithoutAHeader()
    {
        var log = Scrobbles("Radiohead,OK Computer,Airbag,31 Jan 2021 14:05\n\"Crosby, Stills & Nash\",,Helplessly Hoping,01 Feb 2021 09:00\nNow,Playing,Song,\n");
        Assert.Equal(3, log.Rows);
        Assert.Equal(1, log.Ignored["no date (playing when exported)"]);
        Assert.Equal(2, log.Listens.Count);
        var a = log.Listens[0];
        Assert.Equal(("Radiohead", "Airbag", "OK Computer"), (a.Item.Artist, a.Item.Title, a.Item.Album));
        Assert.Equal(new DateTimeOffset(2021, 1, 31, 14, 5, 0, TimeSpan.Zero).ToUnixTimeSeconds(), a.TimestampUnixSeconds);
        Assert.Null(a.User);
        Assert.Equal(("Crosby, Stills & Nash", (string?)null), (log.Listens[1].Item.Artist, log.Listens[1].Item.Album));
    }

    [Fact]
    public void ReadsExportsWithAHeaderPreferringUnixSeconds()
    {
        var log = Scrobbles("uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n" +
                            "1612101900,\"31 Jan 2021, 14:05\",Radiohead,a74b,OK Computer,,Airbag,B1C2\n");
        var l = Assert.Single(log.Listens);
        Assert.Equal((1612101900L, "Airbag", "b1c2"), (l.TimestampUnixSeconds!.Value, l.Item.Title, l.Item.Mbid));
    }

    [Theory]
    [InlineData("Radiohead,OK Computer,Airbag,31 Jan 2021 14:05\nRadiohead,Airbag,31 Jan 2021 14:09\n", 2, "expected 4 fields (artist, album, title, date), found 3")]
    [InlineData("Radiohead,OK Computer,Airbag,31 Jan 2021 14:05\nRadiohead,OK Computer,Airbag,someday\n", 2, "date \"someday\"")]
    [InlineData("artist,album,title,date\n,OK Computer,Airbag,31 Jan 2021 14:05\n", 2, "the artist is empty")]
    [InlineData("artist,track,album\nRadiohead,Airbag,OK Computer\n", 1, "no time column")]
    public void AMalformedScrobbleNamesTheFileAndLine(string text, int line, string reason) =>
        ParseAssert.Fails(() => Scrobbles(text), "scrobbles.csv", line, reason);
}
