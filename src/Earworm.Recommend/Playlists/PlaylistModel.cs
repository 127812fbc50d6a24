using Earworm.Audio.Descriptors;

namespace Earworm.Recommend.Playlists;

/// <summary>What the playlist engine knows of a library track: tags, duration, content identity and descriptors.</summary>
public sealed record TrackFacts(long Id, string Path, string? Artist, string? Title, double? DurationSeconds, string? ContentHash,
    TrackDescriptors? Descriptors)
{
    /// <summary>"Artist – Title", else the file name.</summary>
    public string DisplayName => Title is null ? System.IO.Path.GetFileName(Path) : Artist is null ? Title : $"{Artist} – {Title}";

    /// <summary>The artist and title folded (case and surrounding spaces), or null when either is missing: two tracks with
    /// the same identity are the same recording for a listener.</summary>
    public string? Identity { get; } = Artist is null || Title is null ? null
        : $"{Artist.Trim().ToUpperInvariant()}\u0001{Title.Trim().ToUpperInvariant()}"; // computed once: searches test it for every row
}

/// <summary>How energy should move along a playlist, track to track.</summary>
public enum EnergyTrend { Rising, Falling, Steady }

/// <summary>
/// Steering: every constraint is optional. The engine prefers tracks that meet all of them; when none among the nearest
/// candidates does, the one that gives way is the least important (key, then energy, then tempo, then the artist
/// rule) and the result says so. Exclusions and "never repeat a track" never give way.
/// </summary>
public sealed record PlaylistConstraints
{
    /// <summary>Tempo range in BPM (inclusive), e.g. 90–120; tracks without a tempo do not meet it.</summary>
    public double? TempoMinBpm { get; init; }
    public double? TempoMaxBpm { get; init; }

    /// <summary>Energy rising (each track at least the previous, within <see cref="EnergyTolerance"/>), falling (at most
    /// the previous, within it), or steady (within ±<see cref="SteadyEnergyBand"/>).</summary>
    public EnergyTrend? Energy { get; init; }

    /// <summary>How far energy (0–1) may go the other way and still count as rising or falling: measuring the same
    /// music twice differs by about this much.</summary>
    public const double EnergyTolerance = 0.02;

    /// <summary>How far energy may move either way and still count as steady.</summary>
    public const double SteadyEnergyBand = 0.1;

    /// <summary>The rule of <see cref="Energy"/> in words, for help texts.</summary>
    public static string EnergyRule { get; } = string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"rising: each track's energy (0–1) at least the previous one's less {EnergyTolerance}; falling: at most the previous one's " +
        $"plus {EnergyTolerance}; steady: within ±{SteadyEnergyBand} of it");

    /// <summary>Each track's key the same as, or a Camelot neighbour of, the previous track's.</summary>
    public bool KeyCompatible { get; init; }

    /// <summary>No artist again within this many tracks (0: off).</summary>
    public int NoRepeatArtist { get; init; }

    /// <summary>Stop before the playlist would last longer than this.</summary>
    public double? MaxMinutes { get; init; }

    /// <summary>Tracks never to play (the caller adds the listener's disliked tracks here).</summary>
    public IReadOnlyCollection<long> ExcludeTracks { get; init; } = [];

    /// <summary>Artists never to play (case-insensitive).</summary>
    public IReadOnlyCollection<string> ExcludeArtists { get; init; } = [];

    /// <summary>Only these tracks may be picked (a player that holds part of the library, such as MPD); null: any.</summary>
    public IReadOnlyCollection<long>? OnlyTracks { get; init; }

    public PlaylistConstraints Validate()
    {
        if (TempoMinBpm is { } lo && TempoMaxBpm is { } hi && (lo <= 0 || hi < lo))
            throw new UsageException($"tempo range {lo}–{hi} BPM is empty: give MIN-MAX with 0 < MIN ≤ MAX");
        if (NoRepeatArtist < 0) throw new UsageException("--no-repeat-artist must be 0 or more");
        if (MaxMinutes is { } m && !(m > 0)) throw new UsageException("--max-minutes must be positive");
        return this;
    }
}

/// <summary>One track of a playlist and why it is there.</summary>
/// <param name="Role"><c>seed</c>, <c>next</c> (keep playing), <c>anchor</c> (from, via, to) or <c>step</c> (join the dots).</param>
/// <param name="Score">How close it is to what the engine looked for (the query or the interpolated target): the
/// cosine, or the negated distance in a Euclidean space; null for seeds and anchors.</param>
/// <param name="SimilarityToPrevious">The cosine of its vector and the previous track's (any space).</param>
/// <param name="Similarity">The score as shown (<see cref="Spaces.SimilarityScale"/>): the cosine, or 1/(1 + distance).</param>
/// <param name="PulledIn">The track that pulled it in: of the tracks that steered a keep-playing pick the one nearest to
/// it (a file seed has no id), else the track before it; null for the first.</param>
public sealed record PlaylistEntry(int Position, long TrackId, string Path, string? Artist, string? Title, double? DurationSeconds,
    string Role, double? Score, double? SimilarityToPrevious, double? TempoBpm, double? Energy, string? Camelot,
    IReadOnlyList<string> Reasons, double? Similarity = null, PulledIn? PulledIn = null);

/// <summary>What pulled a track into a playlist: a library track (its id), or a file seed (no id), by name.</summary>
public sealed record PulledIn(long? TrackId, string Label);

/// <summary>A constraint that could not be met at a position, and how.</summary>
public sealed record ConstraintRelaxation(int Position, string Constraint, string Detail);

/// <summary>A playlist: its tracks, which constraints gave way, and notes (why it is shorter than asked…).</summary>
public sealed record PlaylistResult(string Mode, string Space, string SpaceDescription, IReadOnlyList<PlaylistEntry> Entries,
    IReadOnlyList<ConstraintRelaxation> GaveWay, IReadOnlyList<string> Notes)
{
    public double TotalMinutes => Entries.Sum(e => e.DurationSeconds ?? 0) / 60;
}
