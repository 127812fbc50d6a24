using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Earworm.Mpd.Protocol;

/// <summary>Where MPD listens: <c>HOST:PORT</c> (<c>[::1]:6600</c> for IPv6), <c>HOST</c> (port 6600), or the path of
/// its local socket (<c>/run/mpd/socket</c>, <c>~/.mpd/socket</c>).</summary>
public sealed record MpdAddress(string? Host, int Port, string? SocketPath)
{
    public const int DefaultPort = 6600;

    /// <summary>A local socket: MPD then answers <c>config</c>, so the DJ can read its music directory.</summary>
    public bool IsLocalSocket => SocketPath is not null;

    public override string ToString() => SocketPath ?? (Host!.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}");

    /// <exception cref="UsageException">an empty address, a port outside 1–65535, or a relative socket path.</exception>
    public static MpdAddress Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new UsageException("--mpd needs HOST:PORT or the path of MPD's socket");
        text = text.Trim();
        if (text.StartsWith('~'))
            text = Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), text[1..].TrimStart('/'));
        if (text.StartsWith('/')) return new MpdAddress(null, 0, text);
        string host = text;
        string? port = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw new UsageException($"--mpd {text}: an IPv6 address is written [ADDRESS]:PORT");
            host = text[1..close];
            if (close + 1 < text.Length)
            {
                if (text[close + 1] != ':') throw new UsageException($"--mpd {text}: an IPv6 address is written [ADDRESS]:PORT");
                port = text[(close + 2)..];
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            port = text[(colon + 1)..];
        }
        else if (text.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(text, out _))
            throw new UsageException($"--mpd {text} is not HOST:PORT");
        if (host.Length == 0) throw new UsageException($"--mpd {text} names no host");
        int p = DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out p) || p is < 1 or > 65535))
            throw new UsageException($"--mpd {text}: the port must be a number 1–65535");
        return new MpdAddress(host, p, null);
    }

    internal EndPoint EndPoint() => SocketPath is { } path ? new UnixDomainSocketEndPoint(path) : new DnsEndPoint(Host!, Port);
}
