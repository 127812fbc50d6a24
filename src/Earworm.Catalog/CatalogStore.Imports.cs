using Earworm.Catalog.Import;
using Earworm.Catalog.Scanning;

namespace Earworm.Catalog;

public sealed partial class CatalogStore
{
    /// <summary>
    /// Writes parsed sources (<see cref="ImportReader"/>) in one transaction: all of them or, on any error, nothing.
    /// <list type="bullet">
    /// <item>Users are found or made by name.</item>
    /// <item>Each <see cref="ItemRef"/> is matched to a catalog track (<see cref="TrackMatcher"/>: id, path, artist +
    /// title). A track has at most one item: the one linked to it, else an unlinked item filed under the entry's
    /// <see cref="ItemKeys">key</see> or the track's own key (its song, else its path), which is then linked, else a new
    /// one. An entry matching no track is filed under its key, found or made.</item>
    /// <item>Listens with a time are events, unique by (user, item, source, time): an event already there is a
    /// duplicate. Listens without a time are aggregated counts, summed per (user, item) within the file and unique by
    /// (user, item, source): the same count again is a duplicate, a different one replaces it (the file is the newer
    /// snapshot). The source is the format (csv and tsv are one).</item>
    /// <item>Playlists are unique by (source path, user): the same entries again change nothing, others replace them.</item>
    /// <item>Every source gets an <c>imports</c> row with its sha-256, so a file imported before is recognised
    /// (<see cref="ImportOutcome.SameAsImportId"/>).</item>
    /// </list>
    /// </summary>
    public IReadOnlyList<ImportOutcome> Import(IReadOnlyList<ImportSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var matcher = new TrackMatcher(ListTracks(), LibraryWalker.Canonical);
        matcher.CheckTrackIds(sources);
        using var tx = _db.BeginTransaction();
        using var writer = new ImportWriter(_db, tx, matcher, Now());
        var outcomes = sources.Select(writer.Write).ToList();
        tx.Commit();
        return outcomes;
    }
}
