using Orleans.Concurrency;

namespace Earworm.Cluster.Grains;

/// <summary>
/// Fans a top-k search out to every shard of the space at once and merges the answers that arrive within the deadline
/// (<see cref="ShardMath.Merge"/>). A stateless worker, so the silo that took the request coordinates it (no hop), and
/// reentrant, so a search waiting on a hung silo's shards never holds up the next.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class SimilarSearchGrain : Grain, ISimilarSearchGrain
{
    public async Task<SearchAnswer> NearestAsync(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Shards, 1);
        var part = new ShardQuery { Generation = query.Generation, Vector = query.Vector, K = query.K, Exclude = query.Exclude };
        var calls = new Task<ShardAnswer>[query.Shards];
        for (int i = 0; i < calls.Length; i++)
            calls[i] = GrainFactory.GetGrain<IIndexShardGrain>(ShardKey.Of(query.Space, i, query.Shards)).NearestAsync(part);
        using (var stop = new CancellationTokenSource())
        {
            var all = Task.WhenAll(calls);
            var deadline = Task.Delay(TimeSpan.FromMilliseconds(query.DeadlineMs), stop.Token);
            if (await Task.WhenAny(all, deadline) == all) await stop.CancelAsync();
        }
        var answers = new ShardAnswer?[calls.Length];
        for (int i = 0; i < calls.Length; i++)
        {
            if (calls[i].IsCompletedSuccessfully) answers[i] = calls[i].Result;
            else Observe(calls[i]); // late or failed: left out, its error (a dead silo's) observed so it is not rethrown later
        }
        var (best, coverage) = ShardMath.Merge(answers, query.K);
        return new SearchAnswer
        {
            Ids = [.. best.Select(n => n.Key)],
            Scores = [.. best.Select(n => n.Score)],
            Coverage = coverage,
            ShardsAnswered = answers.Count(a => a is not null),
        };
    }

    private static void Observe(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
