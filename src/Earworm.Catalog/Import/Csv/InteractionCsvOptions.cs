namespace Earworm.Catalog.Import.Csv;

/// <summary>How the item column of a generic CSV is read.</summary>
public enum CsvItemKind
{
    /// <summary><c>track:N</c> is catalog track N; an absolute path or <c>file://</c> URL is a file; anything else
    /// an opaque key of the file's own.</summary>
    Auto,

    /// <summary>Every value is an opaque key (item ids of another system).</summary>
    Key,

    /// <summary>Every value is a catalog track id (an integer).</summary>
    TrackId,

    /// <summary>Every value is a file path; relative ones are resolved against the CSV's folder.</summary>
    Path,
}

/// <summary>
/// The generic listening CSV: a header line naming the columns, then one row per (user, item) count or event.
/// Header names are matched without regard to case. Only the item column (or the artist and title columns) is
/// required: without a user column every row is the <c>--user</c>'s; without a count column each row counts 1;
/// without a timestamp column (or with an empty cell) the row is an aggregated count rather than an event.
/// </summary>
public sealed record InteractionCsvOptions
{
    public string UserColumn { get; init; } = "user";
    public string ItemColumn { get; init; } = "item";
    public string CountColumn { get; init; } = "count";

    /// <summary>Unix seconds (milliseconds from 10^11) or ISO 8601; UTC unless an offset is given.</summary>
    public string TimestampColumn { get; init; } = "timestamp";

    /// <summary>Optional; with <see cref="TitleColumn"/>, used to match catalog tracks and to name the item.</summary>
    public string ArtistColumn { get; init; } = "artist";

    public string TitleColumn { get; init; } = "title";

    /// <summary>The field delimiter; null detects it from the header (the most frequent of , tab ; |).</summary>
    public char? Delimiter { get; init; }

    public CsvItemKind ItemKind { get; init; } = CsvItemKind.Auto;

    /// <summary>The roles <c>--column ROLE=NAME</c> can rename.</summary>
    public static IReadOnlyList<string> Roles { get; } = ["user", "item", "count", "timestamp", "artist", "title"];

    /// <summary>A copy with the column of <paramref name="role"/> renamed.</summary>
    /// <exception cref="ArgumentException">an unknown role or an empty name.</exception>
    public InteractionCsvOptions WithColumn(string role, string name)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"the column for {role} has an empty name", nameof(name));
        name = name.Trim();
        return role.Trim().ToLowerInvariant() switch
        {
            "user" => this with { UserColumn = name },
            "item" => this with { ItemColumn = name },
            "count" => this with { CountColumn = name },
            "timestamp" or "time" => this with { TimestampColumn = name },
            "artist" => this with { ArtistColumn = name },
            "title" => this with { TitleColumn = name },
            _ => throw new ArgumentException($"unknown column role '{role}': use one of {string.Join(", ", Roles)}", nameof(role)),
        };
    }

    /// <exception cref="ArgumentException">an empty or repeated column name, or a delimiter that cannot be one.</exception>
    public void Validate()
    {
        string[] names = [UserColumn, ItemColumn, CountColumn, TimestampColumn, ArtistColumn, TitleColumn];
        if (names.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("a column name is empty");
        var twice = names.GroupBy(n => n.Trim(), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"the column name '{twice.Key}' is given to two roles");
        if (Delimiter is { } d && (d == '"' || d == '\r' || d == '\n'))
            throw new ArgumentException($"'{d}' cannot be a delimiter");
    }
}
