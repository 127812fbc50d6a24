using Earworm.Catalog.Text;
using Earworm.Testing;

namespace Earworm.Catalog.Tests.Text;

public sealed class TextCsvTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void RowsKeepQuotedLineBreaksAndUnquotedCommasAndSkipTheHeader()
    {
        var rows = TextCsv.Read(new StringReader("item,text\nAir,\"French duo;\nlush, analogue synths\"\nalbum:Moon Safari,warm, dreamy pop\n"), "t.csv");
        Assert.Equal([("Air", "French duo;\nlush, analogue synths", 2), ("album:Moon Safari", "warm, dreamy pop", 4)],
            rows.Select(r => (r.Item, r.Body, r.LineNumber)));
        Assert.Equal((TextKind.Album, "Moon Safari"), TextCsv.Kind(rows[1].Item));
        Assert.Equal((null, "Air"), TextCsv.Kind(rows[0].Item));
    }

    [Theory]
    [InlineData("Air,synths\nBjork\n", "t.csv:2: 1 field: expected item,text")]
    [InlineData("Air,synths\n,words\n", "t.csv:2: the item is empty")]
    [InlineData("Air,synths\nBjork,the of and 1999\n", "t.csv:2: the text has no words")]
    [InlineData("", "t.csv:1: no rows")]
    public void AMalformedRowIsNamedByFileAndLine(string csv, string message)
    {
        var e = Assert.Throws<DatasetFormatException>(() => TextCsv.Read(new StringReader(csv), "t.csv"));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderGivesOneTextPerTxtOrMdFileNamedByItsFileName()
    {
        Directory.CreateDirectory(_dir.File("texts/albums"));
        File.WriteAllText(_dir.File("texts/Air.md"), "# Air\nFrench electronic duo.");
        File.WriteAllText(_dir.File("texts/albums/album:Moon Safari.txt"), "Dreamy debut album.");
        File.WriteAllText(_dir.File("texts/cover.jpg"), "not a text");
        File.WriteAllText(_dir.File("texts/.hidden.txt"), "left out");
        var rows = TextCsv.ReadFolder(_dir.File("texts"));
        Assert.Equal(["Air", "album:Moon Safari"], rows.Select(r => r.Item));
        File.WriteAllText(_dir.File("texts/empty.txt"), "  ");
        var e = Assert.Throws<DatasetFormatException>(() => TextCsv.ReadFolder(_dir.File("texts")));
        Assert.Contains("empty.txt:1: the text is empty", e.Message, StringComparison.Ordinal);
    }
}
