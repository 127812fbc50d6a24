using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Recommend.Playlists;

namespace Earworm.App.Playlists;

/// <summary>Steering both kinds of playlist share, as every front end asks for it (the CLI's <c>playlist</c> options,
/// the web API's JSON).</summary>
public record PlaylistSteering
{
    /// <summary>The space to walk; null: the best the library has (<see cref="Library.LibraryView.BestSpaceName"/>), or
    /// from an upload the best it can be placed in.</summary>
    public string? Space { get; init; }

    /// <summary>"MIN-MAX" in BPM, e.g. "90-120" (<see cref="PlaylistLimits.TempoRange"/>).</summary>
    public string? Tempo { get; init; }

    public EnergyTrend? Energy { get; init; }

    /// <summary>Each next track in the same or a neighbouring Camelot key.</summary>
    public bool KeyCompatible { get; init; }

    /// <summary>No artist again within this many tracks (0: no rule).</summary>
    public int NoRepeatArtist { get; init; }

    /// <summary>Stop before the playlist passes this many minutes.</summary>
    public double? MaxMinutes { get; init; }

    /// <summary>Tracks (as a person names them, or ids) or artists never to play.</summary>
    [JsonConverter(typeof(TrackNamesConverter))]
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Artists never to play (case ignored).</summary>
    public IReadOnlyList<string> ExcludeArtists { get; init; } = [];

    /// <summary>The listener: their disliked tracks are left out (<see cref="ExcludeDisliked"/>); with no seeds, their
    /// most recent tracks seed a keep-playing playlist.</summary>
    public string? User { get; init; }

    /// <summary>Leave out what <see cref="User"/> disliked (default true).</summary>
    public bool ExcludeDisliked { get; init; } = true;

    /// <summary>Seed of the random numbers (drunk), for a reproducible playlist; null: a new one each time.</summary>
    public int? SeedRandom { get; init; }
}

/// <summary>Keep playing (Deej-A.I.): each next track the best unplayed one near the last <see cref="KeepOn"/> tracks.</summary>
public sealed record KeepPlayingRequest : PlaylistSteering
{
    /// <summary>Seeds: catalog ids, paths, words of "artist – title", or audio files outside the library.</summary>
    [JsonConverter(typeof(TrackNamesConverter))]
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>Words ("calm piano for the evening"): matched to the tracks' tags (<see cref="Recommend.Text.TagQuery"/>), the
    /// best-matching tracks seed the playlist and every track the words match says which pulled it in. Null: none;
    /// blank is a usage error.</summary>
    public string? Text { get; init; }

    /// <summary>An analysed upload (<see cref="Uploads.UploadAnalyser"/>) as a seed.</summary>
    public string? Upload { get; init; }

    /// <summary>Tracks already played, oldest first: they steer (after the seeds) and are not played again.</summary>
    public IReadOnlyList<long> History { get; init; } = [];

    /// <summary>Tracks the listener liked this session: they steer last, so they stay in the keep-on window.</summary>
    public IReadOnlyList<long> Liked { get; init; } = [];

    /// <summary>Tracks the listener skipped: the next picks steer away from them (Rocchio:
    /// <see cref="KeepPlayingOptions.AwayWeight"/>), and they are not played.</summary>
    public IReadOnlyList<long> Away { get; init; } = [];

    /// <summary>Only these tracks may be picked (a player that holds part of the library, such as MPD); null: any.</summary>
    public IReadOnlyCollection<long>? Among { get; init; }

    /// <summary>Tracks in the playlist, the library seeds included; with <see cref="NextOnly"/>, the tracks to add.</summary>
    public int Length { get; init; } = 20;

    /// <summary>Follow the order of listening when a sequence model is trained (<c>earworm train sequence</c>): it picks
    /// each next track while it knows the tracks so far (default true); false: the space alone.</summary>
    public bool FollowOrder { get; init; } = true;

    /// <summary>Answer only what comes after the seeds, history and likes (a player refilling its queue).</summary>
    public bool NextOnly { get; init; }

    /// <summary>How many of the last tracks steer the next pick.</summary>
    public int KeepOn { get; init; } = 3;

    /// <summary>Randomness: Gaussian noise of σ = drunk·‖query‖ in every dimension (0: deterministic; at most
    /// <see cref="KeepPlayingOptions.MaxDrunk"/>).</summary>
    public double Drunk { get; init; }
}

/// <summary>Join the dots: from one track to another through waypoints, one track per step.</summary>
public sealed record JoinTheDotsRequest : PlaylistSteering
{
    [JsonConverter(typeof(TrackNameConverter))]
    public string From { get; init; } = "";

    [JsonConverter(typeof(TrackNameConverter))]
    public string To { get; init; } = "";

    [JsonConverter(typeof(TrackNamesConverter))]
    public IReadOnlyList<string> Via { get; init; } = [];

    /// <summary>Tracks in all, the ends and waypoints included.</summary>
    public int Length { get; init; } = 12;
}

/// <summary>The limits of a playlist request, one set for every front end; a value outside them is a usage error
/// before any work.</summary>
public static class PlaylistLimits
{
    public const int MaxLength = 500;
    public const int MaxKeepOn = 100;
    public const int MaxNoRepeatArtist = 100;
    public const double MaxMinutes = 10_000;
    public const double MaxDrunk = KeepPlayingOptions.MaxDrunk;
    public const int MaxTextLength = 500;

    /// <exception cref="UsageException">a value out of its range, or a tempo that is not MIN-MAX.</exception>
    public static void Validate(PlaylistSteering s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.NoRepeatArtist is < 0 or > MaxNoRepeatArtist) throw new UsageException($"no-repeat-artist must be 0–{MaxNoRepeatArtist}");
        if (s.MaxMinutes is { } m && !(m > 0 && m <= MaxMinutes)) throw new UsageException("max-minutes must be positive");
        if (s.Energy is { } e && !Enum.IsDefined(e)) throw new UsageException("energy must be rising, falling or steady");
        _ = TempoRange(s.Tempo);
    }

    public static void Validate(KeepPlayingRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        Validate((PlaylistSteering)r);
        if (r.Length is < 1 or > MaxLength) throw new UsageException($"length must be 1–{MaxLength}");
        if (r.KeepOn is < 1 or > MaxKeepOn) throw new UsageException($"keep-on must be 1–{MaxKeepOn}");
        if (!(r.Drunk >= 0 && r.Drunk <= MaxDrunk)) throw new UsageException($"drunk must be 0–{MaxDrunk} ({MaxDrunk} is nearly random)");
        if (r.Text is { } text && Earworm.Catalog.Tags.TagText.Normalise(text) is null)
            throw new UsageException("the text is empty: give words to match the tracks' tags (e.g. \"calm piano\")");
        if (r.Text is { Length: > MaxTextLength }) throw new UsageException($"the text is longer than {MaxTextLength} characters");
    }

    public static void Validate(JoinTheDotsRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        Validate((PlaylistSteering)r);
        if (string.IsNullOrWhiteSpace(r.From) || string.IsNullOrWhiteSpace(r.To)) throw new UsageException("join the dots needs both from and to");
        int anchors = 2 + r.Via.Count;
        if (r.Length < anchors || r.Length > MaxLength) throw new UsageException($"length must be {anchors}–{MaxLength} (the ends and waypoints are in it)");
    }

    /// <summary>"90-120" → (90, 120); null or blank → null.</summary>
    /// <exception cref="UsageException">not MIN-MAX with 0 &lt; MIN ≤ MAX &lt; 1000.</exception>
    public static (double Min, double Max)? TempoRange(string? tempo)
    {
        if (string.IsNullOrWhiteSpace(tempo)) return null;
        var parts = tempo.Split('-', 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lo)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var hi) && lo > 0 && hi >= lo && hi < 1000)
            return (lo, hi);
        throw new UsageException($"tempo \"{tempo}\" is not MIN-MAX in BPM (e.g. 90-120)");
    }
}

/// <summary>A track as a person names it, read from JSON as a string or a number (a catalog id).</summary>
public sealed class TrackNameConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => reader.GetInt64().ToString(CultureInfo.InvariantCulture),
        _ => throw new JsonException("a track is an id or a name"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Tracks as a person names them, read from JSON as an array of strings or numbers (null: none).</summary>
public sealed class TrackNamesConverter : JsonConverter<IReadOnlyList<string>>
{
    private static readonly TrackNameConverter One = new();

    public override bool HandleNull => true;

    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return [];
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("tracks are an array of ids or names");
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(One.Read(ref reader, typeof(string), options));
        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var v in value) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }
}
