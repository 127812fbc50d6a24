namespace Earworm.Mpd.Protocol;

/// <summary>MPD answered a command with <c>ACK [error@command_listNum] {current_command} message_text</c>.</summary>
/// <param name="Code">MPD's error code (<see cref="MpdAck"/>).</param>
public sealed class MpdAckException(int code, int listIndex, string command, string text)
    : EarwormException($"MPD refused {(command.Length > 0 ? command : "the command")}: {text} (error {code})")
{
    public int Code { get; } = code;

    /// <summary>Which command of a command list failed (0 outside lists).</summary>
    public int ListIndex { get; } = listIndex;

    public string Command { get; } = command;
    public string Text { get; } = text;
}

/// <summary>MPD's error codes (src/protocol/Ack.hxx).</summary>
public static class MpdAck
{
    public const int NotList = 1, Argument = 2, Password = 3, Permission = 4, Unknown = 5;
    public const int NoExist = 50, PlaylistMax = 51, System = 52, PlaylistLoad = 53, UpdateAlready = 54, PlayerSync = 55, Exist = 56;
}

/// <summary>The connection to MPD failed or broke (refused, closed, timed out, or something that is not MPD).</summary>
public sealed class MpdConnectionException : EarwormException
{
    public MpdConnectionException(string message) : base(message) { }
    public MpdConnectionException(string message, Exception inner) : base(message, inner) { }
}
