using System.CommandLine;

namespace Earworm.Cli.Commands;

internal static class ParseResultExtensions
{
    /// <summary>Whether the person gave <paramref name="option"/> on the command line (not its default): what the
    /// commands ask before refusing an option nothing reads.</summary>
    public static bool Gave(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>An option the other options leave unread is refused, not ignored: when the person gave
    /// <paramref name="option"/> and nothing will <paramref name="read"/> it, a usage error "<c>--option why</c>".</summary>
    public static void RefuseUnread(this ParseResult parse, Option option, bool read, string why)
    {
        if (parse.Gave(option) && !read) throw new UsageException($"{option.Name} {why}");
    }
}
