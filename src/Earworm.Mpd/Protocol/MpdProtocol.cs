using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Earworm.Mpd.Protocol;

/// <summary>
/// MPD's line protocol as pure functions (https://mpd.readthedocs.io/en/latest/protocol.html): a command is its name and
/// its arguments on one line, each argument in double quotes with <c>"</c> and <c>\</c> escaped by a backslash; an
/// answer is <c>key: value</c> lines ending with <c>OK</c>, or one <c>ACK</c> line.
/// </summary>
public static partial class MpdProtocol
{
    /// <summary>The greeting's prefix; the rest of the line is the protocol version.</summary>
    public const string Greeting = "OK MPD ";

    /// <summary>An argument in double quotes, <c>"</c> and <c>\</c> escaped (MPD unescapes every backslash in quotes).</summary>
    /// <exception cref="ArgumentException">a line break: the protocol has no way to send one.</exception>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Contains('\n', StringComparison.Ordinal) || argument.Contains('\r', StringComparison.Ordinal))
            throw new ArgumentException($"an MPD argument cannot hold a line break: \"{argument}\"", nameof(argument));
        var b = new StringBuilder(argument.Length + 2).Append('"');
        foreach (char c in argument)
        {
            if (c is '"' or '\\') b.Append('\\');
            b.Append(c);
        }
        return b.Append('"').ToString();
    }

    /// <summary>One command line, without its line feed: <c>add "a b/c.flac"</c>.</summary>
    /// <exception cref="ArgumentException">a command name that is not lower-case letters and underscores.</exception>
    public static string Command(string name, params IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (!CommandName().IsMatch(name)) throw new ArgumentException($"\"{name}\" is not an MPD command name", nameof(name));
        var b = new StringBuilder(name);
        foreach (var a in arguments) b.Append(' ').Append(Quote(a));
        return b.ToString();
    }

    /// <summary>A <c>key: value</c> line as its two parts (the value may be empty or hold further colons).</summary>
    /// <exception cref="MpdConnectionException">a line without the separator: not MPD, or a broken stream.</exception>
    public static KeyValuePair<string, string> Pair(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0)
        {
            // "key:" with an empty value and no space is sent by some versions
            if (line.EndsWith(':') && line.Length > 1) return new(line[..^1], "");
            throw new MpdConnectionException($"MPD sent a line that is not \"key: value\": \"{Shorten(line)}\"");
        }
        return new(line[..colon], line[(colon + 2)..]);
    }

    /// <summary>An <c>ACK [code@index] {command} text</c> line as the error it reports, or null for any other line.</summary>
    public static MpdAckException? Ack(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith("ACK ", StringComparison.Ordinal)) return null;
        var m = AckLine().Match(line);
        if (!m.Success) return new MpdAckException(MpdAck.Unknown, 0, "", line[4..]);
        return new MpdAckException(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value, m.Groups[4].Value);
    }

    /// <summary>The protocol version of a greeting line ("0.23.5"), or null when the line is not MPD's greeting.</summary>
    public static string? Version(string greeting) =>
        greeting is not null && greeting.StartsWith(Greeting, StringComparison.Ordinal) ? greeting[Greeting.Length..].Trim() : null;

    internal static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";

    [GeneratedRegex("^[a-z_]+$")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"^ACK \[(\d+)@(\d+)\] \{([^}]*)\} ?(.*)$")]
    private static partial Regex AckLine();
}
