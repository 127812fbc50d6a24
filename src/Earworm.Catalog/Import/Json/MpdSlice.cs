using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Earworm.Catalog.Import.Json;

/// <summary>
/// The Spotify Million Playlist Dataset's slice files (RecSys Challenge 2018, <c>mpd.slice.A-B.json</c>; its challenge
/// set too): an object with <c>info</c> and <c>playlists</c>, each playlist with <c>pid</c>, <c>name</c> (absent in
/// some challenge playlists) and <c>tracks</c>, each track with <c>pos</c>, <c>artist_name</c>, <c>track_name</c>,
/// <c>album_name</c> and <c>track_uri</c>. Each playlist becomes an ordered <see cref="PlaylistRecord"/> (tracks in
/// <c>pos</c> order) filed as <c>FILE#pid=N</c>; each track an item keyed by its <c>track_uri</c> (one song on two
/// releases stays two items, as the challenge counts them), matched to a library track by artist and title.
/// </summary>
public static class MpdSlice
{
    /// <exception cref="DatasetFormatException">malformed JSON (file, line, column), or a playlist or track that is
    /// not as the format says (file, the playlist's line, its number and the track's).</exception>
    public static IReadOnlyList<PlaylistRecord> Parse(ReadOnlySpan<byte> utf8, string fileName, string sourcePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        if (utf8.StartsWith(Encoding.UTF8.Preamble)) utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var playlists = new List<PlaylistRecord>();
        var pids = new HashSet<long>();
        int number = 0, line = 1;
        long counted = 0;
        bool inPlaylist = false, sawPlaylists = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new DatasetFormatException(fileName, 1, "expected an object with \"playlists\" (a Million Playlist Dataset slice)");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isPlaylists = reader.ValueTextEquals("playlists"u8);
                reader.Read();
                if (!isPlaylists)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new DatasetFormatException(fileName, LineAt(utf8, reader.TokenStartIndex, ref counted, ref line), "\"playlists\" is not an array");
                sawPlaylists = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    int at = LineAt(utf8, reader.TokenStartIndex, ref counted, ref line);
                    number++;
                    inPlaylist = true;
                    var element = JsonElement.ParseValue(ref reader);
                    inPlaylist = false;
                    var playlist = Playlist(element, fileName, sourcePath, at, number);
                    if (!pids.Add(playlist.Pid)) throw new DatasetFormatException(fileName, at, number, $"pid {playlist.Pid} appears twice in the file");
                    playlists.Add(playlist.Record);
                }
            }
            reader.Read(); // throws on anything but white space after the object
        }
        catch (JsonException e)
        {
            int at = (int)(e.LineNumber ?? 0) + 1;
            var reason = $"column {(e.BytePositionInLine ?? 0) + 1}: malformed JSON: {JsonRecords.Brief(e.Message)}";
            throw inPlaylist ? new DatasetFormatException(fileName, at, number, reason) : new DatasetFormatException(fileName, at, reason);
        }
        if (!sawPlaylists) throw new DatasetFormatException(fileName, 1, "no \"playlists\" array: not a Million Playlist Dataset slice");
        return playlists;
    }

    private static (long Pid, PlaylistRecord Record) Playlist(JsonElement p, string fileName, string sourcePath, int line, int number)
    {
        DatasetFormatException Bad(string reason) => new(fileName, line, number, reason);
        if (p.ValueKind != JsonValueKind.Object) throw Bad($"expected a playlist object, found {p.ValueKind.ToString().ToLowerInvariant()}");
        if (!p.TryGetProperty("pid", out var pidValue) || !pidValue.TryGetInt64(out long pid))
            throw Bad("pid is missing or not an integer");
        if (!p.TryGetProperty("tracks", out var tracks) || tracks.ValueKind != JsonValueKind.Array)
            throw Bad($"playlist pid {pid}: tracks is missing or not an array");
        var entries = new List<(long Pos, PlaylistLine Line)>();
        var positions = new HashSet<long>();
        int index = 0;
        foreach (var t in tracks.EnumerateArray())
        {
            index++;
            string Where() => $"playlist pid {pid}, track {index}";
            if (t.ValueKind != JsonValueKind.Object) throw Bad($"{Where()}: expected a track object");
            var uri = JsonRecords.String(t, "track_uri") ?? throw Bad($"{Where()}: track_uri is missing");
            long pos = index - 1;
            if (JsonRecords.Has(t, "pos") && !t.GetProperty("pos").TryGetInt64(out pos))
                throw Bad($"{Where()}: pos is not an integer");
            if (pos < 0 || !positions.Add(pos)) throw Bad($"{Where()}: pos {pos} is negative or repeated");
            var item = new ItemRef
            {
                Artist = JsonRecords.String(t, "artist_name"),
                Title = JsonRecords.String(t, "track_name"),
                Album = JsonRecords.String(t, "album_name"),
                SourceKey = uri,
                KeyedBySource = true,
            };
            entries.Add((pos, new PlaylistLine(item, line)));
        }
        var name = JsonRecords.String(p, "name") ?? "playlist " + pid.ToString(CultureInfo.InvariantCulture);
        var ordered = entries.OrderBy(e => e.Pos).Select(e => e.Line).ToList();
        return (pid, new PlaylistRecord(name, $"{sourcePath}#pid={pid.ToString(CultureInfo.InvariantCulture)}", ordered));
    }

    private static int LineAt(ReadOnlySpan<byte> utf8, long at, ref long counted, ref int line)
    {
        line += utf8[(int)counted..(int)at].Count((byte)'\n');
        counted = at;
        return line;
    }
}
