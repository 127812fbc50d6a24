using Earworm.Audio.Descriptors;
using Earworm.Catalog;

namespace Earworm.Cli;

/// <summary>What a verb's TRACK|FILE argument names, with its descriptors: the catalog's when stored and
/// current, else measured now from the file (a file outside the library, or one changed since its scan).</summary>
internal static class TrackTarget
{
    public static async Task<(TrackRecord? Track, TrackDescriptors Descriptors, bool MeasuredNow)> DescriptorsAsync(
        ICatalog? catalog, string target, CancellationToken ct)
    {
        var track = catalog is null ? null : TrackLookup.Find(catalog, target);
        var stored = track is null ? null : catalog!.FindDescriptors(track.Id);
        if (stored is not null && !(File.Exists(target) && new FileInfo(target).Length != track!.SizeBytes))
            return (track, stored, false);
        var path = File.Exists(target) ? target : track?.Path;
        if (path is null || !File.Exists(path))
            throw new UsageException($"no track or file matches \"{target}\"" + (track is not null ? $" (track {track.Id} is missing from disk)" : ""));
        return (track, await FileDescriber.DescribeAsync(path, ct).ConfigureAwait(false), true);
    }
}
