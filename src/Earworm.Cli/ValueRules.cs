using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Earworm.Cli;

/// <summary>
/// The one place the command line's values are read as a person typed them, for every verb's arguments and options at
/// once (<see cref="Apply"/> walks the whole tree, so a new verb gets them without a line of its own):
/// <list type="bullet">
/// <item>a text (a track, a file, a folder, words, a name) may not be empty or blank: <c>describe ""</c> is bad usage,
/// not a crash further down;</item>
/// <item>numbers and choices are read in the person's words: <c>--count: "abc" is not a whole number</c>,
/// <c>--energy: "up" is not one of rising, falling, steady</c>, instead of the parser's .NET type names.</item>
/// </list>
/// Each problem is a parse error, so it reaches the person as one line and exit code 2.
/// </summary>
internal static class ValueRules
{
    private static readonly ConditionalWeakTable<Symbol, object> BlankAllowed = [];

    /// <summary>The symbols that have their rules: most are static and outlive one tree, which is built once a run
    /// (and many times in one test process), so each gets its rules once.</summary>
    private static readonly ConditionalWeakTable<Symbol, object> Ruled = [];

    private static readonly Lock Gate = new();

    /// <summary>Lets <paramref name="symbol"/> take an empty or blank text (a delimiter that is a tab, a password),
    /// which <see cref="Apply"/> otherwise refuses.</summary>
    public static T AllowBlank<T>(this T symbol) where T : Symbol
    {
        BlankAllowed.AddOrUpdate(symbol, symbol);
        return symbol;
    }

    /// <summary>Adds the rules to every argument and option under <paramref name="root"/>, each once.</summary>
    public static void Apply(Command root)
    {
        lock (Gate)
        {
            var commands = new Stack<Command>([root]);
            while (commands.TryPop(out var command))
            {
                foreach (var option in command.Options)
                    if (Ruled.TryAdd(option, option)) Rule(option, option.Name, option.HelpName);
                foreach (var argument in command.Arguments)
                    if (Ruled.TryAdd(argument, argument)) Rule(argument, argument.HelpName ?? argument.Name, null);
                foreach (var sub in command.Subcommands) commands.Push(sub);
            }
        }
    }

    private static void Rule(Symbol symbol, string label, string? helpName)
    {
        var type = symbol switch
        {
            Option o => o.ValueType,
            Argument a => a.ValueType,
            _ => null,
        };
        if (type is null) return;
        if (IsText(type))
        {
            if (BlankAllowed.TryGetValue(symbol, out _)) return;
            string message = helpName is null || helpName == label ? $"{label} is empty" : $"{label} is empty: give {helpName}";
            Action<SymbolResult> notBlank = r =>
            {
                if (r.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value))) r.AddError(message);
            };
            if (symbol is Option option) option.Validators.Add(notBlank);
            else ((Argument)symbol).Validators.Add(notBlank);
            return;
        }
        var value = Nullable.GetUnderlyingType(type) ?? type;
        if (value.IsEnum)
        {
            typeof(ValueRules).GetMethod(nameof(ReadEnum), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(value).Invoke(null, [symbol, label]);
            return;
        }
        switch (symbol)
        {
            case Option<int> o: o.CustomParser = r => Read(r, label, Whole<int>); break;
            case Option<int?> o: o.CustomParser = r => Read(r, label, s => (int?)Whole<int>(s)); break;
            case Option<long> o: o.CustomParser = r => Read(r, label, Whole<long>); break;
            case Option<long?> o: o.CustomParser = r => Read(r, label, s => (long?)Whole<long>(s)); break;
            case Option<double> o: o.CustomParser = r => Read(r, label, Real<double>); break;
            case Option<double?> o: o.CustomParser = r => Read(r, label, s => (double?)Real<double>(s)); break;
            case Option<float> o: o.CustomParser = r => Read(r, label, Real<float>); break;
            case Option<float?> o: o.CustomParser = r => Read(r, label, s => (float?)Real<float>(s)); break;
            case Argument<int> a: a.CustomParser = r => Read(r, label, Whole<int>); break;
            case Argument<long> a: a.CustomParser = r => Read(r, label, Whole<long>); break;
            case Argument<double> a: a.CustomParser = r => Read(r, label, Real<double>); break;
        }
    }

    private static bool IsText(Type type) =>
        type == typeof(string) || type == typeof(string[]) || type == typeof(FileInfo) || type == typeof(DirectoryInfo) ||
        type == typeof(FileSystemInfo);

    /// <summary>Raised by a reader: the token is not a value of the type, and the words say what it should be.</summary>
    private sealed class NotAValue(string expected) : Exception(expected);

    /// <summary>The value of the single token, or an error in words (and the type's default, which nobody reads: the
    /// parse failed).</summary>
    private static T Read<T>(ArgumentResult result, string label, Func<string, T> read)
    {
        if (result.Tokens.Count == 0) return default!;
        var token = result.Tokens[^1].Value;
        try
        {
            return read(token);
        }
        catch (NotAValue e)
        {
            result.AddError($"{label}: \"{token}\" is not {e.Message}");
            return default!;
        }
    }

    private static T Whole<T>(string s) where T : IBinaryInteger<T>, IMinMaxValue<T> =>
        T.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
        : throw new NotAValue(BigIntegerLike(s) ? $"a whole number from {T.MinValue} to {T.MaxValue}" : "a whole number");

    /// <summary>Digits with an optional sign: a whole number, too large for the type.</summary>
    private static bool BigIntegerLike(string s) =>
        s.Trim().TrimStart('-', '+') is { Length: > 0 } digits && digits.All(char.IsAsciiDigit);

    private static T Real<T>(string s) where T : IFloatingPoint<T> =>
        T.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && T.IsFinite(v) ? v : throw new NotAValue("a number");

    /// <summary>A choice by its name, in any case (never by its number), the names listed in lower case when it is none.</summary>
    private static void ReadEnum<TEnum>(Symbol symbol, string label) where TEnum : struct, Enum
    {
        var names = Enum.GetNames<TEnum>();
        string list = string.Join(", ", names.Select(n => n.ToLowerInvariant()));
        TEnum Parse(string s) =>
            names.FirstOrDefault(n => string.Equals(n, s.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
                ? Enum.Parse<TEnum>(name)
                : throw new NotAValue($"one of {list}");
        switch (symbol)
        {
            case Option<TEnum> o: o.CustomParser = r => Read(r, label, Parse); break;
            case Option<TEnum?> o: o.CustomParser = r => Read(r, label, s => (TEnum?)Parse(s)); break;
            case Argument<TEnum> a: a.CustomParser = r => Read(r, label, Parse); break;
            case Argument<TEnum?> a: a.CustomParser = r => Read(r, label, s => (TEnum?)Parse(s)); break;
        }
    }
}
