namespace Earworm.Catalog.Import.HetRec;

/// <summary>One tag of HetRec's <c>tags.dat</c>.</summary>
public readonly record struct HetRecTag(int Id, string Value);

/// <summary>HetRec Last.fm 2K's <c>tags.dat</c> (ISO-8859-1, CRLF): tagID, tagValue, tab-separated.</summary>
public static class HetRecTags
{
    public const string Header = "tagID\ttagValue";

    /// <exception cref="DatasetFormatException">the header or a row is malformed (file, line number and reason).</exception>
    public static IEnumerable<HetRecTag> Read(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return Rows(reader, fileName);
    }

    private static IEnumerable<HetRecTag> Rows(TextReader reader, string fileName)
    {
        foreach (var (f, line) in HetRecText.Rows(reader, fileName, Header))
        {
            int id = HetRecText.Id(f[0], "tagID", fileName, line);
            var value = f[1].Trim();
            if (value.Length == 0) throw new DatasetFormatException(fileName, line, $"tag {id} is empty");
            yield return new HetRecTag(id, value);
        }
    }
}
