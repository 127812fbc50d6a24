using System.Globalization;
using Earworm.App.Library;
using Earworm.App.Recommendations;
using Earworm.App.Similar;
using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Recommend;
using Earworm.Recommend.Personal;
using Earworm.Recommend.Playlists;

namespace Earworm.Web.Views;

// The API's JSON: what the application layer answers, as the page reads it. Rendering only: every figure and every
// reason comes from the services.

/// <summary>A track as lists show it: tags, length and the descriptors a listener sorts by (no path: audio is served by id).
/// <see cref="Guessed"/> names the tags ("title", "artist", "album") guessed from the path because the file has none.</summary>
public sealed record TrackSummary(long Id, string? Title, string? Artist, string? Album, string? Genre, int? Year, int? TrackNumber,
    double? DurationSeconds, string FileName, double? TempoBpm, string? Key, string? Camelot, double? Energy, double? Danceability,
    double? LoudnessLufs, double? BrightnessHz, IReadOnlyList<string> Guessed)
{
    public static TrackSummary Of(TrackRecord t, TrackDescriptors? d) => new(t.Id, t.Title ?? Path.GetFileNameWithoutExtension(t.Path),
        t.Artist, t.Album, t.Genre, t.Year, t.TrackNumber, Round(t.DurationSeconds, 2), Path.GetFileName(t.Path),
        Round(d?.TempoBpm, 1), d?.KeyName, d?.CamelotCode, Round(d?.Energy, 3), Round(d?.Danceability, 3),
        Round(d?.IntegratedLoudnessLufs, 1), Round(d?.SpectralCentroidHz, 0), t.GuessedTags.Names());

    public static TrackSummary Of(LibraryView view, long id) => Of(view.Find(id) ?? throw new TrackNotFoundException(id), view.Descriptors.GetValueOrDefault(id));

    internal static double? Round(double? x, int digits) => x is { } v && double.IsFinite(v) ? Math.Round(v, digits) : null;
}

/// <summary>Every descriptor of a track (or an uploaded file), in the units their names say.</summary>
public sealed record DescriptorDetail(double DurationSeconds, bool IsSilent, double? TempoBpm, double TempoConfidence, string? Key,
    string? Camelot, double KeyConfidence, double? LoudnessLufs, double LoudnessRangeLu, double? RmsDbfs, double Energy,
    double Danceability, double SpectralCentroidHz, double SpectralFlatness, double ZeroCrossingsPerSecond, double OnsetsPerSecond,
    double DynamicComplexityLu, IReadOnlyList<double> MfccMeans)
{
    public static DescriptorDetail Of(TrackDescriptors d) => new(Math.Round(d.DurationSeconds, 3), d.IsSilent,
        TrackSummary.Round(d.TempoBpm, 2), Math.Round(d.TempoConfidence, 3), d.KeyName, d.CamelotCode, Math.Round(d.KeyConfidence, 3),
        TrackSummary.Round(d.IntegratedLoudnessLufs, 2), Math.Round(d.LoudnessRangeLu, 2), TrackSummary.Round(d.RmsDbfs, 2),
        Math.Round(d.Energy, 4), Math.Round(d.Danceability, 4), Math.Round(d.SpectralCentroidHz, 1), Math.Round(d.SpectralFlatness, 4),
        Math.Round(d.ZeroCrossingsPerSecond, 1), Math.Round(d.OnsetsPerSecond, 3), Math.Round(d.DynamicComplexityLu, 3),
        [.. d.MfccMeans.Select(x => Math.Round(x, 3))]);
}

/// <summary>A track's full record: its tags, media facts and descriptors, and the spaces it can be searched in.</summary>
public sealed record TrackDetail(TrackSummary Track, string? Container, string? Codec, int? SampleRateHz, int? Channels, long? BitRate,
    long SizeBytes, DateTimeOffset? AnalysedAt, DescriptorDetail? Descriptors, IReadOnlyList<string> Spaces);

/// <summary>A page of tracks.</summary>
public sealed record TrackPage(int Total, int Offset, IReadOnlyList<TrackSummary> Tracks);

/// <summary>A track in a list the services chose (similar, a playlist, recommendations): how close, and why.</summary>
/// <param name="Score">The similarity as the services show it (<see cref="Recommend.Spaces.SimilarityScale"/>), or a recommendation's score.</param>
public sealed record Pick(TrackSummary Track, double Score, IReadOnlyList<string> Reasons, long? PulledInBy = null);

/// <summary>Tracks near a query in one space.</summary>
/// <remarks><see cref="Coverage"/>: the share of the space searched (1 from one process; below 1 when some of a
/// cluster's shards did not answer in time, the results then the best of those that did).</remarks>
public sealed record SimilarView(long? Query, string? QueryUpload, string Space, IReadOnlyList<Pick> Results, double Coverage)
{
    public static SimilarView Of(LibraryView view, SimilarResult r) => new(r.Query.Upload is null ? r.Query.Track?.Id : null, r.Query.Upload, r.Space,
        [.. r.Results.Select(s => new Pick(TrackSummary.Of(view, s.Track.Id), s.Score, s.Reasons))], r.Coverage);
}

/// <summary>A playlist: its tracks with reasons, and the constraints that had to give way.</summary>
public sealed record PlaylistView(string Kind, string Space, IReadOnlyList<Pick> Tracks, IReadOnlyList<string> GaveWay, double TotalMinutes)
{
    public static PlaylistView Of(LibraryView view, PlaylistResult r)
    {
        var picks = r.Entries.Select(e => new Pick(TrackSummary.Of(view, e.TrackId), e.Similarity ?? 1, Reasons(e, r.Entries.Count), e.PulledIn?.TrackId)).ToList();
        var gaveWay = r.GaveWay.Select(g => $"{g.Constraint} gave way at track {g.Position}: {g.Detail}").Concat(r.Notes).ToList();
        return new PlaylistView(r.Mode, r.Space, picks, gaveWay, Math.Round(picks.Sum(p => p.Track.DurationSeconds ?? 0) / 60, 2));
    }

    private static IReadOnlyList<string> Reasons(PlaylistEntry e, int count) => e.Role switch
    {
        "anchor" => [e.Position == 1 ? "the start you chose" : e.Position == count ? "the end you chose" : "a waypoint you chose"],
        "next" when e.PulledIn is { } by => [.. e.Reasons, $"pulled in by {by.Label}"],
        _ => e.Reasons,
    };
}

/// <summary>Personal recommendations for a listener, and where they come from.</summary>
public sealed record RecommendView(string User, string Source, IReadOnlyList<Pick> Tracks)
{
    public static RecommendView Of(LibraryView view, string user, PersonalResult r) => new(user,
        r.ModelVersion is { } model && !r.How.Contains(model, StringComparison.Ordinal) ? $"cf model {model}: {r.How}" : r.How,   // the model named once
        [.. r.Items.Where(i => i.TrackId is { } id && view.Find(id) is not null).Select(i => new Pick(TrackSummary.Of(view, i.TrackId!.Value),
            Math.Round(i.Score, 4), Reasons(i), i.PulledInBy))]);

    private static IReadOnlyList<string> Reasons(PersonalItem i) => i.Source switch
    {
        null => i.Reasons ?? [],
        var source => [source == FactorSource.Audio ? "no plays yet: scored by its audio (cold-start bridge)" : "scored by your listening (cf)",
            .. i.Because.Select(b => string.Create(CultureInfo.InvariantCulture, $"you played {b.Label} ({b.Similarity:0.00})"))],
    };
}

/// <summary>An upload over <c>--max-upload-mb</c> (413).</summary>
public sealed class UploadTooLargeException(long maxBytes)
    : EarwormException($"the file is larger than this server takes ({maxBytes / (1024 * 1024)} MB, --max-upload-mb)");
