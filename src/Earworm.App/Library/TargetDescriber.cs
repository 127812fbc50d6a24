using Earworm.Audio.Descriptors;
using Earworm.Catalog;

namespace Earworm.App.Library;

/// <summary>What a person named, with its descriptors: the catalog's when stored and current, else measured now from
/// the file (a file outside the library, or a library file changed since its scan).</summary>
/// <param name="Path">The file the descriptors describe (the track's, or the outside file's).</param>
public sealed record DescribedTarget(TrackRecord? Track, string Path, TrackDescriptors Descriptors, bool MeasuredNow);

/// <summary><c>describe</c>, and the first step of <c>similar</c>: the descriptors of any track or file a person names.</summary>
public static class TargetDescriber
{
    /// <param name="catalog">The library to look in; null when there is no catalog (any file can still be described).</param>
    /// <exception cref="TrackNotFoundException">neither a track nor a file matches.</exception>
    /// <exception cref="UsageException">several tracks match, or the track's file is gone and it has no stored descriptors.</exception>
    public static async Task<DescribedTarget> DescribeAsync(ICatalog? catalog, string target, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var named = TrackResolver.Resolve(catalog, target);
        var track = named.Track;
        var stored = track is null ? null : catalog!.FindDescriptors(track.Id);
        bool changedOnDisk = track is not null && File.Exists(target) && new FileInfo(target).Length != track.SizeBytes;
        if (track is not null && stored is not null && !changedOnDisk) return new DescribedTarget(track, track.Path, stored, false);
        var path = named.File ?? (File.Exists(target) ? Path.GetFullPath(target) : track!.Path);
        if (!File.Exists(path)) throw new UsageException($"no track or file matches \"{target}\" (track {track!.Id} is missing from disk)");
        return new DescribedTarget(track, path, await FileDescriber.DescribeAsync(path, cancellationToken).ConfigureAwait(false), true);
    }
}
