using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Earworm.Mpd.Protocol;

/// <summary>
/// One connection to MPD: the greeting, then one command at a time, each answered by <c>key: value</c> pairs up to
/// <c>OK</c> (binary chunks, as <c>albumart</c> sends, are read past) or by an <c>ACK</c> that becomes an
/// <see cref="MpdAckException"/>. A connection that broke, timed out or was cancelled mid-answer is closed for good
/// (<see cref="IsBroken"/>): the next answer could not be told from the last one's rest.
/// </summary>
public sealed class MpdConnection : IAsyncDisposable
{
    /// <summary>The longest line MPD may send (its own limit for tags and paths is far below).</summary>
    private const int MaxLineBytes = 16 * 1024 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    private MpdConnection(MpdAddress address, Socket socket)
    {
        Address = address;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public MpdAddress Address { get; }

    /// <summary>The protocol version MPD greeted with ("0.23.5").</summary>
    public string Version { get; private set; } = "";

    public bool IsBroken { get; private set; }

    /// <summary>How long a command may wait for its answer (never <c>idle</c>).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <exception cref="MpdConnectionException">nothing listens there, it did not greet within <paramref name="timeout"/>,
    /// or it is not MPD.</exception>
    public static async Task<MpdConnection> ConnectAsync(MpdAddress address, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var socket = address.IsLocalSocket
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (!address.IsLocalSocket)
        {
            // a vanished host (not a stopped MPD, which closes the socket) is noticed while idle
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
        }
        MpdConnection? connection = null;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(address.EndPoint(), cts.Token).ConfigureAwait(false);
            connection = new MpdConnection(address, socket);
            string greeting = await connection.ReadLineAsync(cts.Token).ConfigureAwait(false);
            connection.Version = MpdProtocol.Version(greeting)
                ?? throw new MpdConnectionException($"{address} is not MPD: it greeted with \"{MpdProtocol.Shorten(greeting)}\"");
            return connection;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await Close(connection, socket).ConfigureAwait(false);
            throw new MpdConnectionException(e is OperationCanceledException
                ? $"MPD at {address} did not answer within {timeout.TotalSeconds:0.#} s"
                : address.SocketPath is { } path && !File.Exists(path)
                    ? $"cannot reach MPD at {address}: there is no socket {path} (is MPD running, with bind_to_address \"{path}\"?)"
                    : $"cannot reach MPD at {address}: {e.Message}", e);
        }
        catch
        {
            await Close(connection, socket).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task Close(MpdConnection? connection, Socket socket)
    {
        if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        else socket.Dispose();
    }

    /// <summary>Sends one command (<see cref="MpdProtocol.Command"/>) and reads its answer.</summary>
    /// <exception cref="MpdAckException">MPD refused it; the connection stays usable.</exception>
    /// <exception cref="MpdConnectionException">the connection broke or MPD did not answer within <see cref="CommandTimeout"/>.</exception>
    public Task<IReadOnlyList<KeyValuePair<string, string>>> SendAsync(string name, IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        ExchangeAsync(MpdProtocol.Command(name, arguments), CommandTimeout, cancellationToken);

    public Task<IReadOnlyList<KeyValuePair<string, string>>> SendAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(name, [], cancellationToken);

    /// <summary><c>idle SUBSYSTEMS</c>: waits, without a time limit, until MPD reports a change in one of them, and
    /// answers the subsystems that changed. Cancelling sends <c>noidle</c> (MPD then answers at once), so the
    /// connection stays usable.</summary>
    public async Task<IReadOnlyList<string>> IdleAsync(IEnumerable<string> subsystems, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string line = MpdProtocol.Command("idle", []) + string.Concat(subsystems.Select(s => " " + MpdProtocol.Quote(s)));
        using var giveUp = new CancellationTokenSource();
        IReadOnlyList<KeyValuePair<string, string>> answer;
        using (cancellationToken.Register(() =>
               {
                   _ = WriteLineAsync("noidle", CancellationToken.None);
                   giveUp.CancelAfter(TimeSpan.FromSeconds(2)); // MPD gone: stop waiting for its answer
               }))
            answer = await ExchangeAsync(line, Timeout.InfiniteTimeSpan, giveUp.Token).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return [.. answer.Where(p => p.Key == "changed").Select(p => p.Value)];
    }

    private async Task<IReadOnlyList<KeyValuePair<string, string>>> ExchangeAsync(string line, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IsBroken) throw new MpdConnectionException($"the connection to MPD at {Address} is closed");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan) cts.CancelAfter(timeout);
        try
        {
            await WriteLineAsync(line, cts.Token).ConfigureAwait(false);
            var pairs = new List<KeyValuePair<string, string>>();
            while (true)
            {
                string reply = await ReadLineAsync(cts.Token).ConfigureAwait(false);
                if (reply == "OK") return pairs;
                if (MpdProtocol.Ack(reply) is { } ack) throw ack;
                var pair = MpdProtocol.Pair(reply);
                if (pair.Key == "binary") await SkipBinaryAsync(pair.Value, cts.Token).ConfigureAwait(false);
                else pairs.Add(pair);
            }
        }
        catch (MpdAckException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or MpdConnectionException
                                      or OperationCanceledException)
        {
            IsBroken = true;
            _stream.Dispose();
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            throw e as MpdConnectionException ?? new MpdConnectionException(e is OperationCanceledException
                ? $"MPD at {Address} did not answer \"{MpdProtocol.Shorten(line)}\" within {timeout.TotalSeconds:0.#} s"
                : $"lost the connection to MPD at {Address}: {e.Message}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken == CancellationToken.None && e is IOException or ObjectDisposedException or SocketException)
        {
            // noidle on a closing connection: the read that waits reports the failure
        }
    }

    /// <summary>The next line, without its line feed, as UTF-8.</summary>
    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                string line = Encoding.UTF8.GetString(_buffer, _start, newline - _start);
                _start = newline + 1;
                return line;
            }
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads past a binary chunk of the announced size and the line feed after it.</summary>
    private async Task SkipBinaryAsync(string size, CancellationToken cancellationToken)
    {
        if (!long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out long left))
            throw new MpdConnectionException($"MPD announced a binary chunk of \"{size}\" bytes");
        left++; // the line feed after the data
        while (left > 0)
        {
            if (_start == _end) await FillAsync(cancellationToken).ConfigureAwait(false);
            int take = (int)Math.Min(left, _end - _start);
            _start += take;
            left -= take;
        }
    }

    /// <summary>Reads more bytes after those not yet consumed (moved to the front; the buffer grows for long lines).</summary>
    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes) throw new MpdConnectionException($"MPD sent a line longer than {MaxLineBytes} bytes");
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        int n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (n == 0) throw new IOException("MPD closed the connection");
        _end += n;
    }

    public async ValueTask DisposeAsync()
    {
        IsBroken = true;
        await _stream.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
