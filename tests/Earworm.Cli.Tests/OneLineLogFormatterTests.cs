using System.Net.Sockets;
using Earworm.Cli.Commands;
using Microsoft.Extensions.Logging;

namespace Earworm.Cli.Tests;

public sealed class OneLineLogFormatterTests
{
    [Fact]
    public void An_exception_is_said_by_its_innermost_cause_on_the_entrys_line()
    {
        var inner = new SocketException((int)SocketError.ConnectionRefused);
        Exception thrown;
        try
        {
            throw new InvalidOperationException("Exception while sending message:\n  see the inner exception", inner);
        }
        catch (InvalidOperationException e)
        {
            thrown = e; // with a stack, as a logged exception has
        }
        var line = OneLineLogFormatter.Format(LogLevel.Warning, "Orleans.Runtime.MembershipService.SiloHealthMonitor", new EventId(100613),
            "Did not get response for probe #44 to silo S127.0.0.1:11112:1\nCurrent number of consecutive failed probes is 1", thrown);

        Assert.Equal("warn: Orleans.Runtime.MembershipService.SiloHealthMonitor: Did not get response for probe #44 to silo S127.0.0.1:11112:1 "
            + $"Current number of consecutive failed probes is 1 (SocketException: {inner.Message})", line);
        Assert.DoesNotContain('\n', line!);
    }

    [Fact]
    public void Entries_keep_their_level_and_orleans_notes_on_the_garbage_collector_are_left_out()
    {
        Assert.Equal("fail: Earworm: it broke", OneLineLogFormatter.Format(LogLevel.Error, "Earworm", default, "it broke", null));
        Assert.Equal("info: Earworm: TimeoutException: The operation has timed out.",
            OneLineLogFormatter.Format(LogLevel.Information, "Earworm", default, "", new TimeoutException()));
        Assert.Null(OneLineLogFormatter.Format(LogLevel.Warning, "Orleans.Runtime.Silo", new EventId(100405),
            "Note: Silo not running with ServerGC turned on", null));
        // the same event number from anywhere else is kept
        Assert.NotNull(OneLineLogFormatter.Format(LogLevel.Warning, "Earworm", new EventId(100405), "a note", null));
    }
}
