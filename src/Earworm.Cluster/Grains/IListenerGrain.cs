namespace Earworm.Cluster.Grains;

/// <summary>A listener's session, keyed by their name: kept in memory while they listen and written to Redis on every
/// change, so it survives the death of the silo that held it (the next silo to activate it reads it back, then catches
/// up from the catalog on any feedback it had not heard of).</summary>
[Alias("Earworm.Cluster.IListenerGrain")]
public interface IListenerGrain : IGrainWithStringKey
{
    /// <summary>Applies a feedback the catalog already holds; the session after it.</summary>
    [Alias("Record")]
    Task<ListenerSession> RecordAsync(ListenerEvent e);

    [Alias("Get")]
    Task<ListenerSession> GetAsync();
}
