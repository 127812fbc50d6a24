using System.Net;
using Earworm.App;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Earworm.Cluster.Tests;

/// <summary>Where a silo listens and what address it gives the others (<c>earworm silo --advertise</c>).</summary>
public sealed class SiloEndpointTests
{
    private static EndpointOptions Endpoints(IPAddress? advertised)
    {
        using var host = Host.CreateDefaultBuilder()
            .UseOrleans(silo => silo.UseRedis(new ClusterSettings(), "127.0.0.1:6379", 11111, 30000, advertised))
            .Build();   // built, not started: nothing connects
        return host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
    }

    [Fact]
    public void ByDefaultASiloIsOnLoopbackOnly()
    {
        var e = Endpoints(null);
        Assert.Equal(IPAddress.Loopback, e.AdvertisedIPAddress);
        Assert.True(e.SiloListeningEndpoint is null || IPAddress.IsLoopback(e.SiloListeningEndpoint.Address));
    }

    [Fact]
    public void AnAdvertisedAddressIsGivenToTheOthersAndListenedOnEverywhere()
    {
        var e = Endpoints(IPAddress.Parse("10.1.2.3"));
        Assert.Equal(IPAddress.Parse("10.1.2.3"), e.AdvertisedIPAddress);   // was 127.0.0.1 whatever the machine: no cluster past one
        Assert.Equal((11111, 30000), (e.SiloPort, e.GatewayPort));
        Assert.Equal(IPAddress.Any, e.SiloListeningEndpoint?.Address);
        Assert.Equal(IPAddress.Any, e.GatewayListeningEndpoint?.Address);
    }

    [Fact]
    public void AnAddressOrANameThatResolvesIsAdvertisedAndNothingElse()
    {
        Assert.Equal(IPAddress.Parse("10.0.0.5"), ClusterSilo.Advertised(" 10.0.0.5 "));
        Assert.True(IPAddress.IsLoopback(ClusterSilo.Advertised("localhost")));
        var e = Assert.Throws<UsageException>(() => ClusterSilo.Advertised("no-such-host.invalid"));
        Assert.StartsWith("--advertise no-such-host.invalid", e.Message, StringComparison.Ordinal);
    }
}
