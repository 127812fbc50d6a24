namespace Earworm.Catalog.Tests.Import;

/// <summary>Checks that a parser refuses input with the file, line and reason in its message.</summary>
internal static class ParseAssert
{
    public static DatasetFormatException Fails(Action parse, string file, int line, string reason)
    {
        var e = Assert.Throws<DatasetFormatException>(parse);
        Assert.Equal(file, e.FilePath);
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{file}:{line}: ", e.Message, StringComparison.Ordinal);
        return e;
    }

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
