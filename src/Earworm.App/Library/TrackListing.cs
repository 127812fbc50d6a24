using Earworm.Catalog;

namespace Earworm.App.Library;

/// <summary>A page of the library: tracks matching <paramref name="Query"/> (<see cref="TrackSearch"/>), sorted by
/// <paramref name="Sort"/> (one of <see cref="TrackListing.Sorts"/>; null: library order), from <paramref name="Offset"/>.</summary>
public sealed record TrackListRequest(string? Query = null, string? Sort = null, bool Descending = false, int Offset = 0, int Limit = 200);

/// <summary>How many tracks match, and the page asked for.</summary>
public sealed record TrackList(int Total, int Offset, IReadOnlyList<TrackRecord> Tracks);

/// <summary>The library as a list: search, sort, page.</summary>
public static class TrackListing
{
    public const int MaxLimit = 20_000;

    public static IReadOnlyList<string> Sorts { get; } =
        ["artist", "title", "album", "genre", "year", "duration", "tempo", "key", "energy", "danceability", "loudness"];

    /// <exception cref="UsageException">a negative offset, a limit outside 1–<see cref="MaxLimit"/>, an unknown sort.</exception>
    public static TrackList List(LibraryView view, TrackListRequest request)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Offset < 0) throw new UsageException("offset must not be negative");
        if (request.Limit is < 1 or > MaxLimit) throw new UsageException($"limit must be 1–{MaxLimit}");
        if (request.Sort is not null && !Sorts.Contains(request.Sort)) throw new UsageException($"sort must be one of {string.Join(", ", Sorts)}");
        var rows = view.Search(request.Query).ToList();
        if (request.Sort is { } sort)
        {
            var key = Key(view, sort);
            rows = [.. request.Descending ? rows.OrderByDescending(key, Comparer<object?>.Default) : rows.OrderBy(key, Comparer<object?>.Default)];
        }
        return new TrackList(rows.Count, request.Offset, [.. rows.Skip(request.Offset).Take(request.Limit)]);
    }

    private static Func<TrackRecord, object?> Key(LibraryView view, string sort)
    {
        object? D(TrackRecord t, Func<Audio.Descriptors.TrackDescriptors, object?> f) => view.Descriptors.GetValueOrDefault(t.Id) is { } d ? f(d) : null;
        return sort switch
        {
            "title" => t => t.Title ?? Path.GetFileNameWithoutExtension(t.Path),
            "album" => t => t.Album,
            "genre" => t => t.Genre,
            "year" => t => t.Year,
            "duration" => t => t.DurationSeconds,
            "tempo" => t => D(t, d => d.TempoBpm),
            "key" => t => D(t, d => d.CamelotCode),
            "energy" => t => D(t, d => d.Energy),
            "danceability" => t => D(t, d => d.Danceability),
            "loudness" => t => D(t, d => d.IntegratedLoudnessLufs),
            _ => t => t.Artist,
        };
    }
}
