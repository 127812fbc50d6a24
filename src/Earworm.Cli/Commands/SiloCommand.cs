using System.CommandLine;
using System.Net;
using Earworm.Cluster;
using Earworm.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm silo</c>: one member of a serving cluster (Orleans): the grains and the web API.</summary>
internal static class SiloCommand
{
    private static readonly Option<string> Redis = new("--redis")
    {
        Description = "The Redis server the cluster keeps its membership and the listeners' sessions in (HOST:PORT)",
        Required = true,
        HelpName = "HOST:PORT",
    };

    private static readonly Option<int> Port = new("--port")
    {
        Description = "The port silos talk to each other on (one per silo on a machine)",
        DefaultValueFactory = _ => 11111,
        HelpName = "PORT",
    };

    private static readonly Option<int> Gateway = new("--gateway")
    {
        Description = "The port Orleans clients connect to",
        DefaultValueFactory = _ => 30000,
        HelpName = "PORT",
    };

    private static readonly Option<string> Advertise = new("--advertise")
    {
        Description = "The address the other silos reach this one at (its address on the cluster's network; a name is resolved " +
                      "at start). The default, 127.0.0.1, keeps the cluster on one machine; another makes the --port and --gateway " +
                      "ports listen on every interface: keep them inside the cluster's private network (silos do not authenticate each other)",
        DefaultValueFactory = _ => "127.0.0.1",
        HelpName = "ADDRESS",
    };

    private static readonly Option<int> Http = new("--http")
    {
        Description = "The port of the web API (REST under /api, OpenSubsonic under /rest)",
        DefaultValueFactory = _ => WebOptions.DefaultPort,
        HelpName = "PORT",
    };

    private static readonly Option<string> Host = new("--host")
    {
        Description = "The address the web API listens on (any but loopback needs --token)",
        DefaultValueFactory = _ => "127.0.0.1",
        HelpName = "ADDRESS",
    };

    private static readonly Option<string?> Token = new("--token")
    {
        Description = $"A secret every web request must carry (also from ${WebOptions.TokenVariable})",
        HelpName = "SECRET",
    };

    private static readonly Option<int> Shards = new("--shards")
    {
        Description = "Shards each space is cut into (the same on every silo of a cluster)",
        DefaultValueFactory = _ => new ClusterSettings().Shards,
        HelpName = "N",
    };

    private static readonly Option<int> Replicas = new("--replicas")
    {
        Description = "Silos each shard is held by (the same on every silo): with 2, one dead or hung silo costs no coverage",
        DefaultValueFactory = _ => new ClusterSettings().Replicas,
        HelpName = "N",
    };

    private static readonly Option<int> HedgeMs = new("--hedge-ms")
    {
        Description = "How long a search waits for a shard's first replica before it asks the next as well",
        DefaultValueFactory = _ => (int)new ClusterSettings().HedgeDelay.TotalMilliseconds,
        HelpName = "MS",
    };

    private static readonly Option<int> DeadlineMs = new("--shard-deadline-ms")
    {
        Description = "How long a search waits for each shard before it answers without it (its coverage then below 1)",
        DefaultValueFactory = _ => (int)new ClusterSettings().ShardDeadline.TotalMilliseconds,
        HelpName = "MS",
    };

    private static readonly Option<int> EfSearch = new("--ef-search")
    {
        Description = "Candidates an HNSW shard keeps while it searches (at least the count asked for): more finds more of the true nearest, fewer costs less",
        DefaultValueFactory = _ => new ClusterSettings().EfSearch,
        HelpName = "N",
    };

    private static readonly Option<string> User = new("--user")
    {
        Description = "The listener feedback is recorded for when a request names none",
        DefaultValueFactory = _ => "me",
        HelpName = "NAME",
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("silo", "One silo of a serving cluster (Microsoft Orleans): start one per machine, each with --advertise its address (or several on one, each with its own " +
                                      "--port, --gateway and --http) over the same catalog (--db postgresql://…) and Redis. Each hosts index shards " +
                                      "(a space cut in --shards parts, each part held by --replicas silos), listener sessions (kept in Redis) and the " +
                                      "web API, so any silo answers any request: similar tracks come from every shard, each asked of one replica and " +
                                      "of the next when the first fails or is slower than --hedge-ms, so one dead or hung silo costs no coverage; a " +
                                      "shard none of whose replicas answers within --shard-deadline-ms is left out (\"coverage\" below 1 in the " +
                                      "answer). Ctrl-C leaves the cluster.")
        {
            Redis, Port, Gateway, Advertise, Http, Host, Token, Shards, Replicas, HedgeMs, DeadlineMs, EfSearch, User,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var settings = new ClusterSettings
            {
                Shards = parse.GetValue(Shards),
                Replicas = parse.GetValue(Replicas),
                HedgeDelay = TimeSpan.FromMilliseconds(parse.GetValue(HedgeMs)),
                ShardDeadline = TimeSpan.FromMilliseconds(parse.GetValue(DeadlineMs)),
                EfSearch = parse.GetValue(EfSearch),
            }.Validate();
            var redis = parse.GetValue(Redis)!;
            int port = parse.GetValue(Port), gateway = parse.GetValue(Gateway);
            foreach (var (name, value) in new[] { ("--port", port), ("--gateway", gateway) })
                if (value is < 1 or > 65535) throw new UsageException($"{name} {value} is not a TCP port (1–65535)");
            var advertised = ClusterSilo.Advertised(parse.GetValue(Advertise)!);
            var path = ctx.CatalogPath();
            ctx.Location.OpenExisting().Dispose(); // a missing catalog or an unreachable server says so before the silo starts
            ClusterSilo.CheckRedis(redis); // and so does an unreachable Redis
            if (ctx.Location.Server is null && !IPAddress.IsLoopback(advertised))
                ctx.Err.WriteLine($"silo: note: the catalog is a SQLite file ({ctx.Location.Name}): silos on other machines cannot share it; " +
                                  "a cluster past one machine shares a PostgreSQL catalog (--db postgresql://…)");
            var options = new WebOptions
            {
                CatalogPath = path,
                Host = parse.GetValue(Host)!,
                Port = parse.GetValue(Http),
                Token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable(WebOptions.TokenVariable),
                DefaultUser = parse.GetValue(User)!,
                EmbedWithAudioModel = false,
            };
            var extensions = new ServerExtensions
            {
                Configure = b => b.UseOrleans(silo => silo.AddEarworm(settings).UseRedis(settings, redis, port, gateway, advertised)),
                Services = (sp, o) => ClusterSilo.WithCluster(o, sp),
                Map = app => ClusterEndpoints.Map(app),
            };
            var app = EarwormServer.Build([], options, WebAppRun.Logging(ctx.Verbose), extensions: extensions);
            await WebAppRun.UntilCancelledAsync(app, ctx, $"cannot listen on {options.Host}:{options.Port} or silo ports {port}/{gateway}",
                "another there? try other ports",
                http => $"earworm: silo on {advertised}:{port} (gateway {gateway}) serving {path} on http://{options.Host}:{http}/ " +
                      $"({settings.Shards} shards × {settings.Replicas} replicas, hedge {settings.HedgeDelay.TotalMilliseconds} ms, " +
                      $"deadline {settings.ShardDeadline.TotalMilliseconds} ms); Ctrl-C leaves the cluster",
                ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
