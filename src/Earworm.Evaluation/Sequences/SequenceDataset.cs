using Earworm.Catalog;
using Earworm.Catalog.Import;
using Earworm.Evaluation.Data;
using Earworm.Learning;
using Earworm.Learning.Sequences;

namespace Earworm.Evaluation.Sequences;

/// <summary>
/// Listening in order, as the sequence models learn from it: sessions cut from timed listens (skips kept, flagged) and
/// playlists, over items numbered 0..ItemCount−1 (<see cref="Items"/> maps them back to catalog item ids), with the items'
/// side features (artist, album) where known.
/// </summary>
public sealed record SequenceDataset(string Name, DenseIdMap<long> Items, IReadOnlyList<Sequence> Sessions, IReadOnlyList<Sequence> Playlists,
    ItemFeatures? Features = null)
{
    public int ItemCount => Items.Count;

    /// <summary>Reads the catalog: every listener's timed listens cut at <paramref name="sessionGap"/>, every playlist,
    /// and each item's artist and album as its side features.</summary>
    public static SequenceDataset Load(ICatalog catalog, TimeSpan sessionGap, string name = "catalog")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var data = From(catalog.LoadListening(), catalog.LoadPlaylists(), sessionGap, name);
        var items = catalog.LoadItems();
        return data with
        {
            Features = ItemFeatures.FromKeys([.. data.Items.Ids.Select(id => items.TryGetValue(id, out var i)
                ? ItemKeys.Features(i.Artist, i.Album) : (IReadOnlyList<string?>)[])]),
        };
    }

    /// <summary>Builds from records as the catalog gives them (users and items numbered by first appearance in id order).</summary>
    public static SequenceDataset From(IReadOnlyList<ListeningRecord> records, IReadOnlyList<PlaylistItems> playlists, TimeSpan sessionGap,
        string name = "catalog")
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(playlists);
        var items = new DenseIdMap<long>();
        var users = new DenseIdMap<long>();
        var timed = records.Where(r => r.TimestampUnixSeconds is not null && double.IsFinite(r.Count)).ToList();
        foreach (var i in timed.Select(r => r.ItemId).Concat(playlists.SelectMany(p => p.ItemIds)).Distinct().Order()) items.GetOrAdd(i);
        foreach (var u in timed.Select(r => r.UserId).Distinct().Order()) users.GetOrAdd(u);
        var listens = timed.Select(r =>
        {
            users.TryGetIndex(r.UserId, out int u);
            items.TryGetIndex(r.ItemId, out int i);
            return new Interaction(u, i, (float)r.Count, r.TimestampUnixSeconds);
        });
        var sessions = SequenceSessions.Cut(listens, sessionGap);
        var lists = playlists.Where(p => p.ItemIds.Length > 0).Select(p => new Sequence([.. p.ItemIds.Select(i =>
        {
            items.TryGetIndex(i, out int j);
            return j;
        })])).ToList();
        return new SequenceDataset(name, items, sessions, lists);
    }

    /// <summary>Entries in all sequences.</summary>
    public long Entries => Sessions.Sum(s => (long)s.Length) + Playlists.Sum(p => (long)p.Length);

    /// <summary>Skipped listens in the sessions.</summary>
    public int Skips => Sessions.Sum(s => s.Skipped?.Count(x => x) ?? 0);

    /// <summary>Every sequence: sessions, then playlists.</summary>
    public IReadOnlyList<Sequence> All => [.. Sessions, .. Playlists];
}
