using Earworm.Audio.Descriptors;
using Earworm.Web.Library;

namespace Earworm.Web.Services;

/// <summary>Steering shared by both kinds of playlist (the CLI's <c>playlist</c> options).</summary>
public record PlaylistSteering
{
    /// <summary>The space to walk (default: the best the library has, as <see cref="LibrarySnapshot.BestSpaceName"/>; from an
    /// upload, the best it can be placed in).</summary>
    public string? Space { get; init; }

    /// <summary>"MIN-MAX" in BPM, e.g. "90-120".</summary>
    public string? Tempo { get; init; }

    /// <summary>rising, falling or steady.</summary>
    public string? Energy { get; init; }

    /// <summary>Each next track in the same or a neighbouring Camelot key.</summary>
    public bool KeyCompatible { get; init; }

    /// <summary>No artist again within this many tracks (0: no rule).</summary>
    public int NoRepeatArtist { get; init; }

    /// <summary>Stop before the playlist passes this many minutes.</summary>
    public double? MaxMinutes { get; init; }

    /// <summary>Tracks never to pick.</summary>
    public IReadOnlyList<long>? Exclude { get; init; }

    /// <summary>Artists never to pick (case ignored).</summary>
    public IReadOnlyList<string>? ExcludeArtists { get; init; }

    /// <summary>The listener whose dislikes are left out (default: the server's listener).</summary>
    public string? User { get; init; }

    /// <summary>Leave out what the listener disliked (default true).</summary>
    public bool ExcludeDisliked { get; init; } = true;

    /// <summary>Seed of the random numbers (drunk), for a reproducible playlist.</summary>
    public int? SeedRandom { get; init; }
}

/// <summary>Keep playing (Deej-A.I.): each next track the best unplayed one near the last <see cref="KeepOn"/> tracks.</summary>
public sealed record KeepPlayingRequest : PlaylistSteering
{
    /// <summary>Seed tracks (catalog ids).</summary>
    public IReadOnlyList<long>? Seeds { get; init; }

    /// <summary>An analysed upload (from <c>POST /api/analyse</c>) as the seed.</summary>
    public string? Upload { get; init; }

    /// <summary>Tracks already played in this session, oldest first: they steer (with the seeds) and are not repeated.</summary>
    public IReadOnlyList<long>? History { get; init; }

    /// <summary>Tracks to add.</summary>
    public int Length { get; init; } = 10;

    /// <summary>How many of the last tracks steer the next pick.</summary>
    public int KeepOn { get; init; } = 3;

    /// <summary>Randomness: Gaussian noise of σ = drunk·‖query‖ added to the query (0: deterministic).</summary>
    public double Drunk { get; init; }

    /// <summary>Tracks the listener liked this session: they keep steering however long ago they played.</summary>
    public IReadOnlyList<long>? Liked { get; init; }
}

/// <summary>Join the dots: from one track to another through waypoints, one track per step.</summary>
public sealed record JoinTheDotsRequest : PlaylistSteering
{
    public long From { get; init; }
    public long To { get; init; }
    public IReadOnlyList<long>? Via { get; init; }

    /// <summary>Tracks in all, the ends included.</summary>
    public int Length { get; init; } = 12;
}

/// <summary>A playlist: its tracks with reasons, and the constraints that had to give way.</summary>
public sealed record PlaylistResult(string Kind, string Space, IReadOnlyList<Pick> Tracks, IReadOnlyList<string> GaveWay, double TotalMinutes);

/// <summary>An analysed upload as a keep-playing seed: its point in the space the playlist walks (<see cref="UploadPlacement"/>).</summary>
public sealed record UploadSeed(string Space, float[] Vector, TrackDescriptors Descriptors, string Label, string? ContentHash = null);

/// <summary>The playlist generator the endpoints call (the CLI's, once Earworm.Recommend has it).</summary>
public interface IPlaylistEngine
{
    PlaylistResult KeepPlaying(LibrarySnapshot library, KeepPlayingRequest request, IReadOnlySet<long> disliked, UploadSeed? upload);

    PlaylistResult JoinTheDots(LibrarySnapshot library, JoinTheDotsRequest request, IReadOnlySet<long> disliked);
}

/// <summary>Checks a request's numbers before any work; a bad one is a usage error (400).</summary>
public static class PlaylistRequests
{
    public static void Validate(PlaylistSteering s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.NoRepeatArtist is < 0 or > 100) throw new UsageException("noRepeatArtist must be 0–100");
        if (s.MaxMinutes is { } m && !(m > 0 && m <= 10_000)) throw new UsageException("maxMinutes must be positive");
        if (s.Energy is not (null or "" or "rising" or "falling" or "steady")) throw new UsageException("energy must be rising, falling or steady");
        _ = TempoRange(s.Tempo);
    }

    public static void Validate(KeepPlayingRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        Validate((PlaylistSteering)r);
        if (r.Length is < 1 or > 500) throw new UsageException("length must be 1–500");
        if (r.KeepOn is < 1 or > 100) throw new UsageException("keepOn must be 1–100");
        if (!(r.Drunk >= 0 && r.Drunk <= 5)) throw new UsageException("drunk must be 0–5");
        if ((r.Seeds is null || r.Seeds.Count == 0) && string.IsNullOrEmpty(r.Upload)) throw new UsageException("give seeds (track ids) or an upload");
    }

    public static void Validate(JoinTheDotsRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        Validate((PlaylistSteering)r);
        int anchors = 2 + (r.Via?.Count ?? 0);
        if (r.Length < anchors || r.Length > 500) throw new UsageException($"length must be {anchors}–500 (the ends and waypoints are in it)");
        if (r.From == r.To && (r.Via is null || r.Via.Count == 0)) throw new UsageException("from and to are the same track");
    }

    /// <summary>"90-120" → (90, 120); null or empty → null.</summary>
    public static (double Min, double Max)? TempoRange(string? tempo)
    {
        if (string.IsNullOrWhiteSpace(tempo)) return null;
        var parts = tempo.Split('-', 2);
        if (parts.Length == 2 && double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var lo)
            && double.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var hi) && lo > 0 && hi >= lo && hi < 1000)
            return (lo, hi);
        throw new UsageException($"tempo \"{tempo}\" is not MIN-MAX in BPM (e.g. 90-120)");
    }
}
