using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Earworm.Catalog.Scanning;

namespace Earworm.Catalog.Import.HetRec;

/// <summary>
/// The HetRec 2011 Last.fm 2K folder as one import: <c>user_artists.dat</c> (required) gives one aggregated listen
/// per (user, artist) with the play count, users named <c>lastfm-2k:ID</c> and items keyed
/// <c>lastfm-2k:artist:ID</c>; <c>artists.dat</c>, when present, names the artists; <c>tags.dat</c> with
/// <c>user_taggedartists.dat</c> give each artist its tags, counted over the users who applied them.
/// Rows of weight 0 are left out, as are tags on artists nobody listened to.
/// </summary>
public static class LastFm2kFolder
{
    public const string UserPrefix = "lastfm-2k:";
    public const string ArtistPrefix = "lastfm-2k:artist:";

    /// <exception cref="UsageException">the folder has no user_artists.dat.</exception>
    /// <exception cref="DatasetFormatException">a malformed file (file, line and reason).</exception>
    public static ImportSource Read(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string File(string name) => Path.Combine(folder, name);
        if (!System.IO.File.Exists(File("user_artists.dat")))
            throw new UsageException($"{folder} is not the HetRec Last.fm 2K folder: it has no user_artists.dat");
        var hashes = new StringBuilder();
        string Text(string name, Encoding encoding)
        {
            var bytes = System.IO.File.ReadAllBytes(File(name));
            hashes.Append(name).Append(' ').Append(Convert.ToHexStringLower(SHA256.HashData(bytes))).Append('\n');
            return encoding.GetString(bytes);
        }

        var names = new Dictionary<int, string>();
        if (System.IO.File.Exists(File("artists.dat")))
            foreach (var a in HetRecArtists.Read(new StringReader(Text("artists.dat", Encoding.UTF8)), File("artists.dat")))
                names[a.Id] = a.Name;

        var listens = new List<Listen>();
        int rows = 0, zero = 0;
        var listened = new HashSet<int>();
        foreach (var r in HetRecUserArtists.Read(new StringReader(Text("user_artists.dat", Encoding.UTF8)), File("user_artists.dat")))
        {
            rows++;
            if (r.Weight <= 0)
            {
                zero++;
                continue;
            }
            listened.Add(r.ArtistId);
            var item = new ItemRef { Artist = names.GetValueOrDefault(r.ArtistId), SourceKey = ArtistKey(r.ArtistId) };
            listens.Add(new Listen(UserPrefix + r.UserId.ToString(CultureInfo.InvariantCulture), item, r.Weight, null, r.LineNumber));
        }

        var tags = new List<ItemTag>();
        int unlistenedTags = 0;
        if (System.IO.File.Exists(File("tags.dat")) && System.IO.File.Exists(File("user_taggedartists.dat")))
        {
            // tags.dat is ISO-8859-1 (the dataset's readme)
            var tagNames = HetRecTags.Read(new StringReader(Text("tags.dat", Encoding.Latin1)), File("tags.dat")).ToDictionary(t => t.Id, t => t.Value);
            var counts = new Dictionary<(int Artist, string Tag), int>();
            var order = new List<(int, string)>();
            foreach (var t in HetRecUserTaggedArtists.Read(new StringReader(Text("user_taggedartists.dat", Encoding.UTF8)), File("user_taggedartists.dat")))
            {
                if (!tagNames.TryGetValue(t.TagId, out var tag))
                    throw new DatasetFormatException(File("user_taggedartists.dat"), t.LineNumber, $"tagID {t.TagId} is not in tags.dat");
                if (!listened.Contains(t.ArtistId))
                {
                    unlistenedTags++;
                    continue;
                }
                var k = (t.ArtistId, tag);
                if (!counts.TryGetValue(k, out int n)) order.Add(k);
                counts[k] = n + 1;
            }
            tags.AddRange(order.Select(k => new ItemTag(ArtistKey(k.Item1), k.Item2, counts[k])));
        }

        var ignored = new Dictionary<string, int>();
        if (zero > 0) ignored["weight 0"] = zero;
        if (unlistenedTags > 0) ignored["tag on an artist nobody listened to"] = unlistenedTags;
        var canonical = LibraryWalker.Canonical(folder) ?? folder;
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashes.ToString())));
        return new ImportSource(ImportFormat.LastFm2k, canonical, sha) { Rows = rows, Listens = listens, Tags = tags, Ignored = ignored };
    }

    public static string ArtistKey(int artistId) => ArtistPrefix + artistId.ToString(CultureInfo.InvariantCulture);
}
