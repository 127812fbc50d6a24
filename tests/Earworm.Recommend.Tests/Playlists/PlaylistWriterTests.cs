using System.Text.Json;
using System.Xml.Linq;
using Earworm.Recommend.Playlists;
using Earworm.Recommend.Spaces;
using Earworm.Testing;

namespace Earworm.Recommend.Tests.Playlists;

public class PlaylistWriterTests
{
    private static PlaylistResult Playlist(string root) => new("keep-playing", "descriptors", "d",
    [
        new PlaylistEntry(1, 4, Path.Combine(root, "music", "a & b.mp3"), "Ann", "Rain", 201.6, "seed", null, null, 120, 0.5, "8B", ["seed"]),
        new PlaylistEntry(2, 9, "/elsewhere/c.ogg", null, null, null, "next", 0.9, 0.8, null, null, null, ["near"]),
    ], [new ConstraintRelaxation(2, "tempo", "no tempo measured")], []);

    [Fact]
    public void M3u8PathsAreRelativeWhenTheTrackLiesNearTheList()
    {
        using var dir = new TempDirectory();
        var p = Playlist(dir.Path);
        var file = dir.File("lists/p.m3u8");
        PlaylistWriter.Write(p, file);
        var lines = File.ReadAllLines(file);
        Assert.Equal("#EXTM3U", lines[0]);
        Assert.Equal("#EXTINF:202,Ann - Rain", lines[2]);
        Assert.Equal("../music/a & b.mp3", lines[3]);
        Assert.Equal("#EXTINF:-1,c", lines[4]);
        Assert.Equal("/elsewhere/c.ogg", lines[5]);
    }

    [Fact]
    public void XspfAndJsonCarryTheTracks()
    {
        var p = Playlist("/home/x");
        var xml = XDocument.Parse(PlaylistWriter.Xspf(p));
        XNamespace ns = "http://xspf.org/ns/0/";
        var tracks = xml.Root!.Element(ns + "trackList")!.Elements(ns + "track").ToList();
        Assert.Equal(2, tracks.Count);
        Assert.Equal("file:///home/x/music/a%20&%20b.mp3", tracks[0].Element(ns + "location")!.Value);
        Assert.Equal("201600", tracks[0].Element(ns + "duration")!.Value);
        using var json = JsonDocument.Parse(PlaylistWriter.JsonText(p));
        Assert.Equal(2, json.RootElement.GetProperty("entries").GetArrayLength());
        Assert.Equal("tempo", json.RootElement.GetProperty("gaveWay")[0].GetProperty("constraint").GetString());
        Assert.Throws<UsageException>(() => PlaylistWriter.Write(p, "/tmp/x.txt"));
    }

    [Fact]
    public void SimilarLeavesOutTheQueryAndCollapsesDuplicates()
    {
        var space = new VectorSpace("s", 1, [1, 2, 3, 4, 5], [1, 0.99f, 0.98f, 0.97f, 0.5f], Metric.Euclidean, "");
        TrackFacts F(long id, string? hash, string title) => new(id, $"/{id}", "A", title, 60, hash, null);
        var facts = new Dictionary<long, TrackFacts>
        {
            [1] = F(1, "h1", "One"), [2] = F(2, "h1", "Copy of one"), [3] = F(3, "h3", "One"), [4] = F(4, "h4", "Four"), [5] = F(5, "h5", "Five"),
        };
        var r = SimilarTracks.Find(space, new ExactIndex(space), facts, [1f], facts[1], null, 5);
        Assert.Equal([4L, 5], r.Select(x => x.Track.Id)); // 2: same content; 3: same artist and title
        Assert.Equal(0.03, r[0].Distance!.Value, 4);
        Assert.Equal(1 / 1.03, r[0].Score, 3);
        // without a query track, the duplicates among the results collapse to the first
        var free = SimilarTracks.Find(space, new ExactIndex(space), facts, [1f], null, null, 5);
        Assert.Equal([1L, 4, 5], free.Select(x => x.Track.Id));
        // without reasons: the same tracks, scores and distances, and no reasons at all
        var bare = SimilarTracks.Find(space, new ExactIndex(space), facts, [1f], facts[1], null, 5, reasons: false);
        Assert.Equal(r.Select(x => (x.Track.Id, x.Score, x.Distance)), bare.Select(x => (x.Track.Id, x.Score, x.Distance)));
        Assert.All(r, x => Assert.NotEmpty(x.Reasons));
        Assert.All(bare, x => Assert.Empty(x.Reasons));
    }
}
