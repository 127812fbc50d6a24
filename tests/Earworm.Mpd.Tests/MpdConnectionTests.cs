using Earworm.Mpd.Protocol;

namespace Earworm.Mpd.Tests;

/// <summary>The client against a scripted server on loopback: framing, quoting on the wire, errors, idle.</summary>
public class MpdConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SendsQuotedCommandsAndReadsPairsUpToOk()
    {
        await using var server = new FakeMpdServer(line => line.StartsWith("addid", StringComparison.Ordinal) ? "Id: 42\nOK\n" : "OK\n");
        await using var client = new MpdClient(await MpdConnection.ConnectAsync(MpdAddress.Parse(server.Address), Timeout));
        Assert.Equal("0.23.5", client.Connection.Version);
        Assert.Equal(42, await client.AddAsync("Nightbus \"Collective\"/01 a\\b.flac"));
        Assert.Equal("addid \"Nightbus \\\"Collective\\\"/01 a\\\\b.flac\"", server.Received.Single());
    }

    [Fact]
    public async Task AnAckIsAnErrorAndTheConnectionGoesOn()
    {
        await using var server = new FakeMpdServer(line => line switch
        {
            "addid \"missing.flac\"" => "ACK [50@0] {addid} No such directory\n",
            "status" => "state: stop\nplaylistlength: 0\nOK\n",
            _ => "OK\n",
        });
        await using var client = new MpdClient(await MpdConnection.ConnectAsync(MpdAddress.Parse(server.Address), Timeout));
        var ack = await Assert.ThrowsAsync<MpdAckException>(() => client.AddAsync("missing.flac"));
        Assert.Equal((MpdAck.NoExist, "addid", "No such directory"), (ack.Code, ack.Command, ack.Text));
        Assert.Equal(MpdPlayState.Stop, (await client.StatusAsync()).State);
        Assert.False(client.Connection.IsBroken);
    }

    [Fact]
    public async Task AWrongPasswordIsAUsageError()
    {
        await using var server = new FakeMpdServer(_ => "ACK [3@0] {password} incorrect password\n");
        await using var client = new MpdClient(await MpdConnection.ConnectAsync(MpdAddress.Parse(server.Address), Timeout));
        var e = await Assert.ThrowsAsync<UsageException>(() => client.PasswordAsync("wrong"));
        Assert.Contains("incorrect password", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BinaryChunksAreReadPast()
    {
        await using var server = new FakeMpdServer(_ => "size: 5\nbinary: 5\nab\ncd\nOK\n");
        await using var connection = await MpdConnection.ConnectAsync(MpdAddress.Parse(server.Address), Timeout);
        var pairs = await connection.SendAsync("albumart", ["x.flac", "0"]);
        Assert.Equal([new("size", "5")], pairs);
    }

    [Fact]
    public async Task LongAnswersAcrossManyReadsArrive()
    {
        const int files = 20_000;
        string listing = string.Concat(Enumerable.Range(0, files).Select(i => $"directory: d{i}\nfile: d{i}/song {i}.flac\n")) + "OK\n";
        await using var server = new FakeMpdServer(_ => listing);
        await using var client = new MpdClient(await MpdConnection.ConnectAsync(MpdAddress.Parse(server.Address), Timeout));
        var all = await client.AllFilesAsync();
        Assert.Equal(files, all.Count);
        Assert.Equal("d19999/song 19999.flac", all[^1]);
    }

    [Fact]
    public async Task IdleAnswersWhatChangedAndCancellingSendsNoidle()
    {
        var release = new TaskCompletionSource();
        await using var server = new FakeMpdServer(line => line switch
        {
            "idle \"player\" \"playlist\"" when !release.Task.IsCompleted => "",  // waits: no answer yet
            "idle \"player\" \"playlist\"" => "changed: playlist\nchanged: player\nOK\n",
            "noidle" => "OK\n",
            _ => "OK\n",
        });
        await using var client = new MpdClient(await MpdConnection.ConnectAsync(MpdAddress.Parse(server.Address), Timeout));
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.IdleAsync(["player", "playlist"], cts.Token));
        Assert.Equal("noidle", server.Received[^1]);
        Assert.False(client.Connection.IsBroken);
        release.SetResult();
        Assert.Equal(["playlist", "player"], await client.IdleAsync(["player", "playlist"]));
    }

    [Fact]
    public async Task AClosedConnectionIsAConnectionError()
    {
        await using var server = new FakeMpdServer(_ => null);
        await using var connection = await MpdConnection.ConnectAsync(MpdAddress.Parse(server.Address), Timeout);
        await Assert.ThrowsAsync<MpdConnectionException>(() => connection.SendAsync("status"));
        Assert.True(connection.IsBroken);
        await Assert.ThrowsAsync<MpdConnectionException>(() => connection.SendAsync("status"));
    }

    [Fact]
    public async Task SomethingElseThanMpdIsRefused()
    {
        await using var server = new FakeMpdServer(_ => "", greeting: "SSH-2.0-OpenSSH_9.2\n");
        var e = await Assert.ThrowsAsync<MpdConnectionException>(() => MpdConnection.ConnectAsync(MpdAddress.Parse(server.Address), Timeout));
        Assert.Contains("not MPD", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingSocketIsNamedAsSuch()
    {
        var e = await Assert.ThrowsAsync<MpdConnectionException>(() => MpdConnection.ConnectAsync(MpdAddress.Parse("/nonexistent/mpd.sock"), Timeout));
        Assert.Contains("there is no socket /nonexistent/mpd.sock", e.Message, StringComparison.Ordinal);   // not "Cannot assign requested address"
    }

    [Fact]
    public async Task NothingListeningIsAConnectionError()
    {
        int port;
        using (var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        }
        var e = await Assert.ThrowsAsync<MpdConnectionException>(() => MpdConnection.ConnectAsync(MpdAddress.Parse($"127.0.0.1:{port}"), Timeout));
        Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASilentServerTimesOut()
    {
        await using var server = new FakeMpdServer(_ => "");
        await using var connection = await MpdConnection.ConnectAsync(MpdAddress.Parse(server.Address), Timeout);
        connection.CommandTimeout = TimeSpan.FromMilliseconds(200);
        var e = await Assert.ThrowsAsync<MpdConnectionException>(() => connection.SendAsync("status"));
        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
        Assert.True(connection.IsBroken);
    }
}
