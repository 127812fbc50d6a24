using System.Collections.Immutable;
using System.Net;

namespace Earworm.Cluster.Tests;

public sealed class MembershipLogTests
{
    private static readonly SiloAddress Self = Silo(11111), B = Silo(11112), C = Silo(11113);

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);

    private static ClusterMembershipSnapshot View(long version, params (SiloAddress Silo, SiloStatus Status)[] members) =>
        new(members.ToImmutableDictionary(m => m.Silo, m => new ClusterMember(m.Silo, m.Status, m.Silo.ToString())), new MembershipVersion(version));

    [Fact]
    public void Joins_orderly_leaves_and_deaths_of_other_silos_are_told_apart()
    {
        var first = View(1, (Self, SiloStatus.Active), (B, SiloStatus.Active));
        Assert.Empty(MembershipLog.Changes(null, first, Self));   // the first view is where the silo starts from

        var joined = View(2, (Self, SiloStatus.Active), (B, SiloStatus.Active), (C, SiloStatus.Active));
        Assert.Equal([(C, MembershipLog.Change.Joined)], MembershipLog.Changes(MembershipLog.Active(first), joined, Self));

        var died = View(3, (Self, SiloStatus.Active), (B, SiloStatus.Dead), (C, SiloStatus.ShuttingDown));
        Assert.Equal([(B, MembershipLog.Change.Dead), (C, MembershipLog.Change.Left)], MembershipLog.Changes(MembershipLog.Active(joined), died, Self));

        // nothing moved, and this silo's own comings and goings are not the others' news
        Assert.Empty(MembershipLog.Changes(MembershipLog.Active(died), died, Self));
        Assert.Empty(MembershipLog.Changes(MembershipLog.Active(View(4, (B, SiloStatus.Active))), View(5, (Self, SiloStatus.Active), (B, SiloStatus.Active)), Self));
    }
}
