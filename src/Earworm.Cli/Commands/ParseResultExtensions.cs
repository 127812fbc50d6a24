using System.CommandLine;

namespace Earworm.Cli.Commands;

internal static class ParseResultExtensions
{
    /// <summary>Whether the person gave <paramref name="option"/> on the command line (not its default): what the
    /// commands ask before refusing an option nothing reads.</summary>
    public static bool Gave(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
