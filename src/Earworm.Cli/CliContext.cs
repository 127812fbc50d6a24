using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.App;
using Earworm.Catalog;
using Spectre.Console;

namespace Earworm.Cli;

/// <summary>The options every verb takes, declared once and inherited by subcommands.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Db = new("--db")
    {
        Description = "The catalog: a SQLite file, or a PostgreSQL server as postgresql://USER@HOST:PORT/DB " +
                      "(default: $EARWORM_DB, else $EARWORM_HOME/catalog.db, else ~/.local/share/earworm/catalog.db)",
        Recursive = true,
        HelpName = "PATH|URL",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine-readable JSON on stdout (progress and messages go to stderr)",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Say more: every failure in full",
        Recursive = true,
    };
}

/// <summary>What a verb needs from the world: where things live, how to print, the parse result.</summary>
internal sealed class CliContext(ParseResult parse, TextWriter stdout, TextWriter stderr, bool interactive)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public ParseResult Parse { get; } = parse;
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;
    public bool Json => Parse.GetValue(GlobalOptions.Json);
    public bool Verbose => Parse.GetValue(GlobalOptions.Verbose);

    /// <summary>True when stderr is a terminal a progress bar can be drawn on.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Human output on stdout (plain when redirected).</summary>
    public IAnsiConsole Console { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(stdout),
        Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
    });

    /// <summary>Output that is not a terminal has no width to wrap at: lines stay whole for logs and grep.</summary>
    private const int RedirectedWidth = 240;

    /// <summary>Progress and notes on stderr.</summary>
    public IAnsiConsole ErrConsole { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(stderr),
        Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
    });

    /// <summary>Widens the consoles that do not write to a terminal (called once, at construction).</summary>
    public CliContext Sized(bool stdoutIsTerminal)
    {
        if (!stdoutIsTerminal) Console.Profile.Width = RedirectedWidth;
        if (!Interactive) ErrConsole.Profile.Width = RedirectedWidth;
        return this;
    }

    /// <summary>$EARWORM_HOME, else $XDG_DATA_HOME/earworm, else ~/.local/share/earworm.</summary>
    public static string Home => CatalogLocation.DefaultHome;

    /// <summary>The environment variable that names the catalog when --db does not.</summary>
    public const string DbVariable = "EARWORM_DB";

    /// <summary>The catalog: --db, else $EARWORM_DB, else <paramref name="fallback"/>, else catalog.db under <see cref="Home"/>;
    /// a file's path made absolute, a PostgreSQL address as given.</summary>
    public string CatalogPath(string? fallback = null)
    {
        var db = Parse.GetValue(GlobalOptions.Db) ?? NonEmpty(Environment.GetEnvironmentVariable(DbVariable)) ?? fallback ?? Path.Combine(Home, "catalog.db");
        return PostgresAddress.IsPostgres(db) ? db : Path.GetFullPath(db);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>The catalog the verb works on (<see cref="CatalogPath"/>).</summary>
    public CatalogLocation Location => new(CatalogPath());

    /// <summary>Opens the catalog, creating it when it does not exist.</summary>
    public ICatalog OpenCatalog(string? fallback = null) => new CatalogLocation(CatalogPath(fallback)).Open();

    /// <summary>Opens an existing catalog for reading verbs; a missing one is a usage error that says how to make it.</summary>
    public ICatalog OpenExistingCatalog() => Location.OpenExisting();

    /// <summary>Lines for the person waiting, on stderr, as they come (a service's <c>IProgress&lt;string&gt;</c>).</summary>
    public IProgress<string> ErrLines => new InlineProgress<string>(line => Err.WriteLine(line));

    /// <summary>The application layer over the catalog (<see cref="EarwormServices"/>): files outside the library are placed
    /// in the <c>audio</c> space by the catalog's current audio model (loaded only if a file is embedded).</summary>
    public EarwormServices Services(string? fallback = null) => new(new CatalogLocation(CatalogPath(fallback)));

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
}
