namespace Earworm.Catalog.Import.HetRec;

/// <summary>One tag assignment of HetRec's <c>user_taggedartists.dat</c> (the day, month and year are not kept).</summary>
public readonly record struct UserTaggedArtist(int UserId, int ArtistId, int TagId, int LineNumber);

/// <summary>HetRec Last.fm 2K's <c>user_taggedartists.dat</c>: userID, artistID, tagID, day, month, year, tab-separated.</summary>
public static class HetRecUserTaggedArtists
{
    public const string Header = "userID\tartistID\ttagID\tday\tmonth\tyear";

    /// <exception cref="DatasetFormatException">the header or a row is malformed (file, line number and reason).</exception>
    public static IEnumerable<UserTaggedArtist> Read(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return Rows(reader, fileName);
    }

    private static IEnumerable<UserTaggedArtist> Rows(TextReader reader, string fileName)
    {
        foreach (var (f, line) in HetRecText.Rows(reader, fileName, Header))
        {
            yield return new UserTaggedArtist(
                HetRecText.Id(f[0], "userID", fileName, line),
                HetRecText.Id(f[1], "artistID", fileName, line),
                HetRecText.Id(f[2], "tagID", fileName, line),
                line);
        }
    }
}
