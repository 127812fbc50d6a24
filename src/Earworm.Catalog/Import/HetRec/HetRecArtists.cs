namespace Earworm.Catalog.Import.HetRec;

/// <summary>One artist of HetRec's <c>artists.dat</c>.</summary>
public readonly record struct HetRecArtist(int Id, string Name, string Url);

/// <summary>HetRec Last.fm 2K's <c>artists.dat</c> (UTF-8, LF): id, name, url, pictureURL, tab-separated.</summary>
public static class HetRecArtists
{
    public const string Header = "id\tname\turl\tpictureURL";

    /// <exception cref="DatasetFormatException">the header or a row is malformed (file, line number and reason).</exception>
    public static IEnumerable<HetRecArtist> Read(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return Rows(reader, fileName);
    }

    private static IEnumerable<HetRecArtist> Rows(TextReader reader, string fileName)
    {
        foreach (var (f, line) in HetRecText.Rows(reader, fileName, Header))
        {
            int id = HetRecText.Id(f[0], "id", fileName, line);
            var name = f[1].Trim();
            if (name.Length == 0) throw new DatasetFormatException(fileName, line, $"artist {id} has an empty name");
            yield return new HetRecArtist(id, name, f[2].Trim());
        }
    }
}
