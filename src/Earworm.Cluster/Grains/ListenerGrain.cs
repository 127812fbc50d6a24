using Earworm.Catalog;

namespace Earworm.Cluster.Grains;

/// <summary>
/// A listener's session (<see cref="ListenerSession"/>), persisted in the silo's <see cref="ClusterSilo.ListenerStorage"/>
/// (Redis) on every change. On activation — the first time, or on another silo after the one that held it died — it
/// reads its state back and then applies any feedback the catalog holds that the state had not (a notification lost
/// with its silo), so the catalog stays the record and the session never misses what was acknowledged.
/// </summary>
public sealed class ListenerGrain(
    [PersistentState("session", ClusterSilo.ListenerStorage)] IPersistentState<ListenerSession> state,
    SiloLibrary library, ILocalSiloDetails silo) : Grain, IListenerGrain
{
    /// <summary>How much of the catalog's feedback an activation reads back at most.</summary>
    private const int CatchUp = 1000;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Silo = silo.SiloAddress.ToString();
        if (await CatchUpAsync(cancellationToken)) await WriteAsync();
    }

    public async Task<ListenerSession> RecordAsync(ListenerEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Apply(e)) await WriteAsync();
        return state.State;
    }

    /// <summary>Applies the catalog's feedback the session has not heard of; whether there was any.</summary>
    private async Task<bool> CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var user = this.GetPrimaryKeyString();
        long after = state.State.LastFeedbackId;
        var missed = await Task.Run(() => library.Services.Library.WithCatalog(c => c.FeedbackOf(user, CatchUp))
            .Where(f => f.Id > after).OrderBy(f => f.Id).ToList(), cancellationToken);
        bool changed = false;
        foreach (var f in missed) changed |= Apply(new ListenerEvent { FeedbackId = f.Id, TrackId = f.TrackId, Kind = KindName(f.Kind) });
        return changed;
    }

    /// <summary>Writes the session. When another activation wrote it since this one read it (two can live at once for a
    /// moment while the cluster settles a silo's death; the storage's version check refuses the second write), the
    /// stored session is read back and the catalog's feedback applied over it, then written once more.</summary>
    private async Task WriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            await state.ReadStateAsync();
            state.State.Silo = silo.SiloAddress.ToString();
            await CatchUpAsync();
            await state.WriteStateAsync();
        }
    }

    public Task<ListenerSession> GetAsync() => Task.FromResult(state.State);

    public static string KindName(FeedbackKind kind) => kind.ToString().ToLowerInvariant();

    private bool Apply(ListenerEvent e)
    {
        var view = library.Current;
        if (view.AvailableSpaces.Count == 0) return state.State.Apply(e, null, _ => ReadOnlyMemory<float>.Empty);
        var space = library.Vectors(view, view.BestSpaceName);
        return state.State.Apply(e, space.Name, id => space.Contains(id) ? space.VectorOf(id).ToArray() : ReadOnlyMemory<float>.Empty);
    }
}
