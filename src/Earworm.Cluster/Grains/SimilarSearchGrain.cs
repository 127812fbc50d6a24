using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Earworm.Cluster.Grains;

/// <summary>
/// Fans a top-k search out to every shard of the space at once and merges the answers that arrive within the deadline
/// (<see cref="ShardMath.Merge"/>). Each shard is asked of one of its replicas (<see cref="SiloLayout.AskOrder"/>: this
/// silo's own when it holds one, searched in place once loaded: <see cref="LocalShards"/>; another silo's through that
/// silo's <see cref="ShardService"/>, by address, never through the grain directory); when that replica fails, or
/// has not answered within the hedge delay, the next is asked too and the first answer wins — so a shard is left out
/// only when every replica is away. A stateless worker, so the
/// silo that took the request coordinates it (no hop), and reentrant, so a search waiting on a hung silo's shards never
/// holds up the next.
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class SimilarSearchGrain(SiloLayout layout, ClusterSettings settings, LocalShards local, ShardServiceClient remote,
    ILogger<SimilarSearchGrain> log) : Grain, ISimilarSearchGrain
{
    private int _turn;

    public async Task<SearchAnswer> NearestAsync(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Shards, 1);
        var part = new ShardQuery { Generation = query.Generation, Vector = query.Vector, K = query.K, Exclude = query.Exclude };
        var current = layout.Current;
        string self = layout.Self;
        int turn = Interlocked.Increment(ref _turn);
        var calls = new Task<ShardAnswer?>[query.Shards];
        var orders = new IReadOnlyList<string>[query.Shards];
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(query.DeadlineMs)))
        {
            // the shards other silos are asked for first, so their searches run while this one searches its own — those it
            // holds, and those it still holds loaded after the layout moved them (a silo joined or came back, and its
            // replicas may still be loading: LocalShards keeps a moved replica half a minute)
            for (int i = 0; i < calls.Length; i++)
            {
                var order = orders[i] = query.Shards == current.Shards ? layout.AskOrder(current, i, turn + i) : [];
                if ((order.Count == 0 || order[0] != self) && !local.CanAnswer(ShardKey.Of(query.Space, i, query.Shards, self), part))
                    calls[i] = AskAsync(query.Space, i, query.Shards, order, part, deadline.Token);
            }
            // a shard this silo holds, loaded: searched in place (LocalShards); else asked (and loaded), hedged as any other
            for (int i = 0; i < calls.Length; i++)
            {
                if (calls[i] is not null) continue;
                calls[i] = InPlace(ShardKey.Of(query.Space, i, query.Shards, self), part) is { } here
                    ? Task.FromResult<ShardAnswer?>(here)
                    : AskAsync(query.Space, i, query.Shards, orders[i], part, deadline.Token);
            }
            await Task.WhenAll(calls);
        }
        var answers = calls.Select(c => c.Result).ToArray();
        var (best, coverage) = ShardMath.Merge(answers, query.K);
        return new SearchAnswer
        {
            Ids = [.. best.Select(n => n.Key)],
            Scores = [.. best.Select(n => n.Score)],
            Coverage = coverage,
            ShardsAnswered = answers.Count(a => a is not null),
        };
    }

    /// <summary>This silo's replica's answer, searched in place; null when it cannot give one (not loaded, or its
    /// search failed: then it is asked through <see cref="Ask"/>, and the next replica after it, as any replica is).</summary>
    private ShardAnswer? InPlace(string key, ShardQuery part)
    {
        try
        {
            return local.TryNearest(key, part, out var answer) ? answer : null;
        }
#pragma warning disable CA1031 // the grain call that follows fails the same way, and the hedge then asks the other replica
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>One shard's answer from the first of its replicas to give one (<paramref name="order"/>), asking the next
    /// when one fails or misses the hedge delay; null when none answered by the deadline.</summary>
    private async Task<ShardAnswer?> AskAsync(string space, int shard, int shards, IReadOnlyList<string> order, ShardQuery part, CancellationToken deadline)
    {
        var pending = new List<(Task<ShardAnswer> Call, string Silo)>(order.Count);
        int next = 0;
        var asked = System.Diagnostics.Stopwatch.StartNew();
        void AskNext()
        {
            var silo = order[next++];
            pending.Add((Ask(ShardKey.Of(space, shard, shards, silo), silo, part), silo));
        }
        if (order.Count == 0) return null;
        AskNext();
        try
        {
            while (pending.Count > 0)
            {
                using var hedge = CancellationTokenSource.CreateLinkedTokenSource(deadline);
                var wait = Task.Delay(next < order.Count ? settings.HedgeDelay : Timeout.InfiniteTimeSpan, hedge.Token);
                var done = await Task.WhenAny(pending.Select(p => (Task)p.Call).Append(wait));
                await hedge.CancelAsync();
                if (done != wait)
                {
                    int at = pending.FindIndex(p => p.Call == done);
                    var (call, silo) = pending[at];
                    if (call.IsCompletedSuccessfully)
                    {
                        if (next > 1) LogHedgeAnswered(log, shard, silo, asked.ElapsedMilliseconds, next);
                        return call.Result;
                    }
                    Observe(call); // a dead silo's error, observed so it is not rethrown later
                    if (log.IsEnabled(LogLevel.Debug))
                        LogReplicaFailed(log, shard, silo, asked.ElapsedMilliseconds, call.Exception?.GetBaseException().GetType().Name, call.Exception?.GetBaseException().Message);
                    layout.Late(silo);
                    pending.RemoveAt(at);
                    if (deadline.IsCancellationRequested) break;
                    if (next < order.Count) AskNext();
                    continue;
                }
                if (deadline.IsCancellationRequested) break;
                foreach (var p in pending) layout.Late(p.Silo);
                if (log.IsEnabled(LogLevel.Debug)) LogHedged(log, shard, string.Join(' ', pending.Select(p => p.Silo)), asked.ElapsedMilliseconds, order[next]);
                AskNext();
            }
        }
        finally
        {
            foreach (var p in pending) Observe(p.Call);
        }
        if (log.IsEnabled(LogLevel.Debug))
            LogLeftOut(log, shard, string.Join(' ', order.Take(next)), string.Join(' ', pending.Select(p => p.Silo)), asked.ElapsedMilliseconds);
        return null;
    }

    // what a search waited on, at Debug (Logging__LogLevel__Earworm=Debug; docs/SCALE.md): which replica was late, failed
    // or answered, and which shards the deadline left out

    [LoggerMessage(Level = LogLevel.Debug, Message = "search: shard {Shard}: {Silo} answered after {Ms} ms, the replica {Asked} asked")]
    private static partial void LogHedgeAnswered(ILogger logger, int shard, string silo, long ms, int asked);

    [LoggerMessage(Level = LogLevel.Debug, Message = "search: shard {Shard}: {Silo} failed after {Ms} ms: {Error}: {Message}")]
    private static partial void LogReplicaFailed(ILogger logger, int shard, string silo, long ms, string? error, string? message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "search: shard {Shard}: {Pending} not answered in {Ms} ms; asking {Next}")]
    private static partial void LogHedged(ILogger logger, int shard, string pending, long ms, string next);

    [LoggerMessage(Level = LogLevel.Debug, Message = "search: shard {Shard} left out after {Ms} ms: asked {Asked}, still waiting on {Pending}")]
    private static partial void LogLeftOut(ILogger logger, int shard, string asked, string pending, long ms);

    /// <summary>Replica <paramref name="key"/>'s answer: this silo's own from <see cref="LocalShards"/> (loading it
    /// first when it must), another silo's through its <see cref="ShardService"/>, addressed by the silo's address alone;
    /// failed at once when that silo is not active.</summary>
    private Task<ShardAnswer> Ask(string key, string silo, ShardQuery part)
    {
        try
        {
            if (silo == layout.Self) return local.Replica(key).NearestAsync(part);
            return layout.AddressOf(silo) is { } address
                ? remote.NearestAsync(address, key, part)
                : Task.FromException<ShardAnswer>(new SiloUnavailableException($"index shard {key}: silo {silo} is not active"));
        }
#pragma warning disable CA1031 // a replica that cannot be asked counts as failed: the next is asked
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Task.FromException<ShardAnswer>(e);
        }
    }

    private static void Observe(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
