using System.Text.Json;
using Earworm.Recommend.Projection;
using Earworm.Testing;

namespace Earworm.Recommend.Tests.Projection;

public sealed class LibraryMapFileTests
{
    [Fact]
    public void Round_trips_through_its_json_schema()
    {
        using var dir = new TempDirectory();
        var map = new LibraryMapFile("audio", "tsne", "audio-1", 30, 1, 0.5, 0.95, 10, DateTimeOffset.UnixEpoch,
            [new MapTrack(3, "/m/x/a.ogg", "A", "T", null, "x/", 1, -0.5)]);
        var path = LibraryMapFile.DefaultPath(dir.File("catalog.models"), "audio");
        Assert.EndsWith("catalog.models/map-audio.json", path);
        map.Save(path);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var p = json.RootElement.GetProperty("points")[0];
        Assert.Equal(3, p.GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, p.GetProperty("album").ValueKind);
        Assert.Equal("x/", p.GetProperty("group").GetString());
        Assert.Equal(-0.5, p.GetProperty("y").GetDouble());
        Assert.Equal("audio-1", json.RootElement.GetProperty("modelVersion").GetString());
        var back = LibraryMapFile.TryLoad(path)!;
        Assert.Equal(map.Points, back.Points);
        Assert.Equal(map with { Points = back.Points }, back);
        Assert.Null(LibraryMapFile.TryLoad(dir.File("none.json")));
    }

    [Fact]
    public void Coordinates_are_scaled_into_the_unit_square_and_groups_fall_back_to_the_folder()
    {
        var s = LibraryMapFile.Scale([2, -4], [1, 0]);
        Assert.Equal([(0.5, 0.25), (-1.0, 0.0)], s);
        var g = MapTrack.Groups([("/m/asc/a.mp3", null), ("/m/ufo/b.ogg", "UFO: Alien Invasion"), ("/m/ufo/c.ogg", "Ufo: Alien Invasion "), ("/m/d.ogg", "")]);
        Assert.Equal(["asc/", "UFO: Alien Invasion", "UFO: Alien Invasion", "m/"], g);
        Assert.Equal(["asc/", "ufo/", "ufo/"], MapTrack.Groups([("/m/asc/a.mp3", null), ("/m/ufo/b.ogg", "UFO"), ("/m/ufo/c.ogg", "Other")], byFolder: true));
    }
}
