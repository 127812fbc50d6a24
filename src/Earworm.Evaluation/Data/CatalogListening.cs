using Earworm.Catalog;
using Earworm.Learning;
using Earworm.Learning.Embeddings;

namespace Earworm.Evaluation.Data;

/// <summary>
/// A catalog's listening data in the dense form models learn from: users and items numbered 0..n−1 (users and
/// items with positive feedback first, in catalog id order; then items met only in playlists), the plays (skips,
/// count 0, left out), listening sessions cut from timed plays, and playlists as ordered sequences.
/// </summary>
/// <param name="Interactions">one per stored record with count &gt; 0; an event keeps its time, an aggregate count has none.</param>
/// <param name="Sessions">each user's timed plays cut at gaps longer than the session gap (<see cref="Learning.Embeddings.Sessions"/>), with the user.</param>
/// <param name="Playlists">each playlist's items in order, with its owner's dense index when the owner has plays (else null).</param>
/// <param name="InteractionItemCount">items 0..InteractionItemCount−1 have plays; the rest occur only in playlists.</param>
public sealed record CatalogListening(
    DenseIdMap<long> Users,
    DenseIdMap<long> Items,
    IReadOnlyList<Interaction> Interactions,
    IReadOnlyList<(int User, int[] Items)> Sessions,
    IReadOnlyList<(int? User, int[] Items)> Playlists,
    int InteractionItemCount,
    int Skips)
{
    /// <summary>Reads the catalog's listening data; sessions are cut at <paramref name="sessionGap"/> (default 30 minutes).</summary>
    public static CatalogListening Load(ICatalog catalog, TimeSpan? sessionGap = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return From(catalog.LoadListening(), catalog.LoadPlaylists(), sessionGap);
    }

    /// <summary>Builds from records as <see cref="CatalogStore.LoadListening"/> and <see cref="CatalogStore.LoadPlaylists"/> give them.</summary>
    public static CatalogListening From(IReadOnlyList<ListeningRecord> records, IReadOnlyList<PlaylistItems> playlists, TimeSpan? sessionGap = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(playlists);
        var users = new DenseIdMap<long>();
        var items = new DenseIdMap<long>();
        var positive = records.Where(r => r.Count > 0 && double.IsFinite(r.Count)).ToList();
        foreach (var u in positive.Select(r => r.UserId).Distinct().Order()) users.GetOrAdd(u);
        foreach (var i in positive.Select(r => r.ItemId).Distinct().Order()) items.GetOrAdd(i);
        int interactionItems = items.Count;
        foreach (var i in playlists.SelectMany(p => p.ItemIds).Distinct().Order()) items.GetOrAdd(i);
        var interactions = new List<Interaction>(positive.Count);
        foreach (var r in positive)
        {
            users.TryGetIndex(r.UserId, out int u);
            items.TryGetIndex(r.ItemId, out int i);
            interactions.Add(new Interaction(u, i, (float)r.Count, r.TimestampUnixSeconds));
        }
        var sessions = new List<(int, int[])>();
        foreach (var user in interactions.Where(x => x.TimestampUnixSeconds is not null).GroupBy(x => x.User).OrderBy(g => g.Key))
            foreach (var s in Learning.Embeddings.Sessions.Split(user, sessionGap))
                sessions.Add((user.Key, s));
        var lists = new List<(int?, int[])>();
        foreach (var p in playlists)
        {
            if (p.ItemIds.Length == 0) continue;
            int? owner = p.UserId is long id && users.TryGetIndex(id, out int u) ? u : null;
            lists.Add((owner, [.. p.ItemIds.Select(i => { items.TryGetIndex(i, out int j); return j; })]));
        }
        return new CatalogListening(users, items, interactions, sessions, lists, interactionItems,
            records.Count(r => r.Count == 0));
    }

    /// <summary>The plays as an evaluation dataset (users × items with plays).</summary>
    public InteractionDataset ToDataset(string name = "catalog") =>
        new(name, Users.Count, InteractionItemCount, Interactions);

    /// <summary>The users × items matrix of summed counts (columns: every item, playlist-only ones empty).</summary>
    public InteractionMatrix ToMatrix() => InteractionMatrix.FromInteractions(Interactions, Users.Count, Items.Count);

    /// <summary>How many interactions carry a time.</summary>
    public int TimedInteractions => Interactions.Count(x => x.TimestampUnixSeconds is not null);

    /// <summary>The sequences track2vec learns from: sessions, then playlists.</summary>
    public IReadOnlyList<int[]> Sequences => [.. Sessions.Select(s => s.Items), .. Playlists.Select(p => p.Items)];
}
