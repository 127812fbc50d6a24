using Earworm.Cluster.Grains;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Earworm.Cluster;

/// <summary>Places an index shard replica on the silo its key names (<see cref="ShardKey"/>), so the two replicas of a
/// shard never share a silo: <see cref="ShardLayout"/> chose distinct silos for them. A replica whose silo is not active
/// is not placed anywhere else: the call fails at once and the coordinator asks another replica.</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class ShardPlacement : PlacementStrategy
{
}

/// <summary>Marks a grain class as placed by <see cref="ShardPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardPlacementAttribute() : PlacementAttribute(new ShardPlacement());

internal sealed class ShardPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = target.GrainIdentity.Key.ToString();
        var (_, _, _, silo) = ShardKey.Parse(key);
        var here = context.GetCompatibleSilos(target).Where(s => SiloLayout.NameOf(s) == silo).MaxBy(s => s.Generation);
        return here is not null ? Task.FromResult(here) : throw new SiloUnavailableException($"index shard {key}: silo {silo} is not active");
    }
}
