using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Earworm.Cli.Commands;

/// <summary>
/// The server's log as <c>serve</c> and <c>silo</c> show it without <c>--verbose</c>: a line an entry —
/// <c>warn: CATEGORY: MESSAGE (EXCEPTION: WHY)</c>, the exception by its innermost cause (what failed: "Unable to connect
/// to 127.0.0.1:11112"), never its stack, where the console's default spends 10 to 30 lines on every failed probe of a
/// dead silo. Orleans' notes at start that the process does not run the server garbage collector are left out: they are
/// advice about Orleans' own configuration file, which Earworm has none of (<c>DOTNET_gcServer=1</c> turns it on).
/// </summary>
internal sealed class OneLineLogFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "earworm-one-line";

    /// <summary>Orleans' event for its notes on the garbage collector (<c>Orleans.Runtime.Silo</c>, 100405).</summary>
    private const int GcNote = 100405;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var line = Format(logEntry.LogLevel, logEntry.Category, logEntry.EventId, logEntry.Formatter(logEntry.State, logEntry.Exception), logEntry.Exception);
        if (line is not null) textWriter.WriteLine(line);
    }

    /// <summary>The line an entry is shown as; null for one left out.</summary>
    internal static string? Format(LogLevel level, string category, EventId eventId, string? message, Exception? exception)
    {
        if (category == "Orleans.Runtime.Silo" && eventId.Id == GcNote) return null;
        var text = OneLine(message);
        if (exception is not null)
        {
            var cause = exception.GetBaseException();
            var why = OneLine(cause.Message);
            text = text.Length == 0 ? $"{cause.GetType().Name}: {why}" : $"{text} ({cause.GetType().Name}: {why})";
        }
        return $"{Label(level)}: {category}: {text}";
    }

    private static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(' ', lines);
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString().ToLowerInvariant(),
    };
}
