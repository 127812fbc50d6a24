using Earworm.Mpd.Protocol;

namespace Earworm.Mpd.Tests;

public class MpdProtocolTests
{
    [Theory]
    [InlineData("plain.flac", "\"plain.flac\"")]
    [InlineData("a b/c d.mp3", "\"a b/c d.mp3\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"back\slash", "\"back\\\\slash\"")]
    [InlineData("", "\"\"")]
    [InlineData("Clara Weiß – Ballade für Klavier 1.ogg", "\"Clara Weiß – Ballade für Klavier 1.ogg\"")]
    public void QuotesEscapeQuotesAndBackslashes(string argument, string quoted) => Assert.Equal(quoted, MpdProtocol.Quote(argument));

    [Fact]
    public void ALineBreakCannotBeSent()
    {
        Assert.Throws<ArgumentException>(() => MpdProtocol.Quote("a\nb"));
        Assert.Throws<ArgumentException>(() => MpdProtocol.Quote("a\rb"));
    }

    [Fact]
    public void CommandsQuoteEveryArgumentAndRefuseOddNames()
    {
        Assert.Equal("status", MpdProtocol.Command("status"));
        Assert.Equal("addid \"x y.flac\" \"3\"", MpdProtocol.Command("addid", "x y.flac", "3"));
        Assert.Throws<ArgumentException>(() => MpdProtocol.Command("add\nclear"));
        Assert.Throws<ArgumentException>(() => MpdProtocol.Command("Status"));
    }

    [Fact]
    public void PairsSplitAtTheFirstColonSpace()
    {
        Assert.Equal(new KeyValuePair<string, string>("file", "a: b/c.flac"), MpdProtocol.Pair("file: a: b/c.flac"));
        Assert.Equal(new KeyValuePair<string, string>("Title", ""), MpdProtocol.Pair("Title: "));
        Assert.Equal(new KeyValuePair<string, string>("Title", ""), MpdProtocol.Pair("Title:"));
        Assert.Throws<MpdConnectionException>(() => MpdProtocol.Pair("no separator here"));
    }

    [Fact]
    public void AcksCarryCodeIndexCommandAndText()
    {
        var ack = MpdProtocol.Ack("ACK [50@3] {addid} No such song: {weird} name");
        Assert.NotNull(ack);
        Assert.Equal(MpdAck.NoExist, ack.Code);
        Assert.Equal(3, ack.ListIndex);
        Assert.Equal("addid", ack.Command);
        Assert.Equal("No such song: {weird} name", ack.Text);
        Assert.Contains("addid", ack.Message, StringComparison.Ordinal);
        Assert.Null(MpdProtocol.Ack("OK"));
        Assert.Null(MpdProtocol.Ack("file: ACK.flac"));
        Assert.Equal("garbled", MpdProtocol.Ack("ACK garbled")!.Text);
    }

    [Fact]
    public void GreetingGivesTheVersion()
    {
        Assert.Equal("0.23.5", MpdProtocol.Version("OK MPD 0.23.5"));
        Assert.Null(MpdProtocol.Version("SSH-2.0-OpenSSH_9.2"));
    }

    [Fact]
    public void StatusReadsStateSongElapsedAndQueue()
    {
        var s = MpdStatus.From(Pairs("volume: -1", "repeat: 0", "random: 0", "single: 0", "consume: 0", "playlist: 7", "playlistlength: 3",
            "state: play", "song: 1", "songid: 12", "time: 4:11", "elapsed: 4.250", "bitrate: 320", "duration: 11.000", "nextsong: 2"));
        Assert.Equal(MpdPlayState.Play, s.State);
        Assert.Equal(1, s.SongPosition);
        Assert.Equal(12, s.SongId);
        Assert.Equal(4.25, s.ElapsedSeconds);
        Assert.Equal(11, s.DurationSeconds);
        Assert.Equal(3, s.QueueLength);
        Assert.Equal(7, s.QueueVersion);
        var old = MpdStatus.From(Pairs("state: pause", "time: 4:11", "playlistlength: 0"));
        Assert.Equal((MpdPlayState.Pause, 4.0, 11.0), (old.State, old.ElapsedSeconds!.Value, old.DurationSeconds!.Value));
        Assert.Equal(MpdPlayState.Stop, MpdStatus.From(Pairs("state: stop")).State);
    }

    [Fact]
    public void SongsStartAtEachFileLine()
    {
        var songs = MpdSong.ListFrom(Pairs("file: a/1.flac", "Artist: One", "Artist: Two", "Title: First", "Time: 11", "duration: 11.250",
            "Pos: 0", "Id: 5", "directory: sub", "file: b/2.mp3", "Pos: 1", "Id: 6", "playlist: x.m3u"));
        Assert.Equal(2, songs.Count);
        Assert.Equal(new MpdSong("a/1.flac", 5, 0, 11.25, "One", "First"), songs[0]);
        Assert.Equal(new MpdSong("b/2.mp3", 6, 1, null, null, null), songs[1]);
        Assert.Equal("2.mp3", songs[1].DisplayName);
        Assert.Equal("One – First", songs[0].DisplayName);
    }

    [Theory]
    [InlineData("localhost:6601", "localhost", 6601, null)]
    [InlineData("music.lan", "music.lan", 6600, null)]
    [InlineData("[::1]:6602", "::1", 6602, null)]
    [InlineData("::1", "::1", 6600, null)]
    [InlineData("/run/mpd/socket", null, 0, "/run/mpd/socket")]
    public void AddressesParse(string text, string? host, int port, string? socket) =>
        Assert.Equal(new MpdAddress(host, port, socket), MpdAddress.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("host:")]
    [InlineData("host:70000")]
    [InlineData("host:x")]
    [InlineData(":6600")]
    [InlineData("[::1")]
    public void BadAddressesAreUsageErrors(string text) => Assert.Throws<UsageException>(() => MpdAddress.Parse(text));

    private static List<KeyValuePair<string, string>> Pairs(params string[] lines) => [.. lines.Select(MpdProtocol.Pair)];
}
