using Earworm.Audio.Descriptors;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.Web.Services;

/// <summary>A track as lists show it: tags, length and the descriptors a listener sorts by. <see cref="Guessed"/> names
/// the tags ("title", "artist", "album") guessed from the path because the file has none.</summary>
public sealed record TrackSummary(long Id, string? Title, string? Artist, string? Album, string? Genre, int? Year, int? TrackNumber,
    double? DurationSeconds, string FileName, double? TempoBpm, string? Key, string? Camelot, double? Energy, double? Danceability,
    double? LoudnessLufs, double? BrightnessHz, IReadOnlyList<string> Guessed)
{
    public static TrackSummary Of(TrackRecord t, TrackDescriptors? d) => new(t.Id, t.Title ?? Path.GetFileNameWithoutExtension(t.Path),
        t.Artist, t.Album, t.Genre, t.Year, t.TrackNumber, Round(t.DurationSeconds, 2), Path.GetFileName(t.Path),
        Round(d?.TempoBpm, 1), d?.KeyName, d?.CamelotCode, Round(d?.Energy, 3), Round(d?.Danceability, 3),
        Round(d?.IntegratedLoudnessLufs, 1), Round(d?.SpectralCentroidHz, 0), t.GuessedTags.Names());


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

/// <summary>A track's full record: its tags, media facts and descriptors.</summary>
public sealed record TrackDetail(TrackSummary Track, string? Container, string? Codec, int? SampleRateHz, int? Channels, long? BitRate,
    long SizeBytes, DateTimeOffset? AnalysedAt, DescriptorDetail? Descriptors, IReadOnlyList<string> Spaces);

/// <summary>A page of tracks.</summary>
public sealed record TrackPage(int Total, int Offset, IReadOnlyList<TrackSummary> Tracks);

/// <summary>A recommended track: how close, and why (shared descriptors, the space, which seed pulled it in).</summary>
public sealed record Pick(TrackSummary Track, double Score, IReadOnlyList<string> Reasons, long? PulledInBy = null);

/// <summary>Tracks near a query in one space.</summary>
public sealed record SimilarResult(long? Query, string? QueryUpload, string Space, IReadOnlyList<Pick> Results);

/// <summary>A request named a track the library does not have (404).</summary>
public sealed class TrackNotFoundException(long id) : EarwormException($"no track {id} in the library")
{
    public long TrackId { get; } = id;
}

/// <summary>An upload over <c>--max-upload-mb</c> (413).</summary>
public sealed class UploadTooLargeException(long maxBytes)
    : EarwormException($"the file is larger than this server takes ({maxBytes / (1024 * 1024)} MB, --max-upload-mb)");
