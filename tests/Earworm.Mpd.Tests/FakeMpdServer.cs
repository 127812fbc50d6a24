using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Earworm.Mpd.Tests;

/// <summary>A scripted MPD on loopback: greets, records every line it receives, and answers each with what
/// <see cref="Answer"/> returns (raw protocol text, "OK\n" included; null closes the connection).</summary>
internal sealed class FakeMpdServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeMpdServer(Func<string, string?> answer, string greeting = "OK MPD 0.23.5\n")
    {
        Answer = answer;
        Greeting = greeting;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Func<string, string?> Answer { get; set; }
    public string Greeting { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Every line received, in order, over all connections.</summary>
    public List<string> Received { get; } = [];

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, new UTF8Encoding(false));
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(Greeting), _stop.Token);
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                lock (Received) Received.Add(line);
                var reply = Answer(line);
                if (reply is null) return;
                if (reply.Length > 0) await stream.WriteAsync(Encoding.UTF8.GetBytes(reply), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
