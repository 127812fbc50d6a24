using Earworm.App;
using Earworm.App.Similar;
using Earworm.Cluster.Grains;
using Earworm.Recommend;

namespace Earworm.Cluster;

/// <summary>
/// Similar tracks from the cluster: a library track's vector is looked up in this silo's copy of the space, the search
/// fans out to the space's shards (<see cref="ISimilarSearchGrain"/>), and the merged candidates go through the same
/// <see cref="SimilarTracks.Find"/> as one process's (duplicates left out, reasons written), with the coverage the
/// shards gave. Files and uploads, which only this process can read, and names that are not a library track's id, are
/// answered by the local service (<see cref="EarwormServices.LocalSimilar"/>).
/// </summary>
public sealed class ClusterSimilarTracks(EarwormServices services, IGrainFactory grains, ClusterSettings settings) : ISimilarTracks
{
    private readonly SiloLibrary _library = new(services);

    public async Task<SimilarResult> FindAsync(SimilarRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count is < 1 or > SimilarRequest.MaxCount) throw new UsageException($"count must be 1–{SimilarRequest.MaxCount}");
        var view = _library.Current;
        if (request.Upload is { Length: > 0 } || request.Track is null || view.ById(request.Track) is not { } facts) return await Local(request, cancellationToken);
        var name = SiloLibrary.SpaceName(view, request.Space);
        if (!view.AvailableSpaces.Contains(name)) return await Local(request, cancellationToken); // its error says what fills the space
        var vectors = _library.Vectors(view, name);
        if (!vectors.Contains(facts.Id)) return await Local(request, cancellationToken); // a track without a vector here: described, or refused, as one process does
        var query = vectors.VectorOf(facts.Id).ToArray();
        var answer = await grains.GetGrain<ISimilarSearchGrain>(0).NearestAsync(new SearchQuery
        {
            Space = name,
            Generation = view.Generation,
            Vector = query,
            K = Math.Min(request.Count * 2 + 8, vectors.Count), // SimilarTracks.Find's first ask: room for the duplicates it drops
            Exclude = facts.Id,
            Shards = settings.Shards,
            DeadlineMs = (int)Math.Ceiling(settings.ShardDeadline.TotalMilliseconds),
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        var ranked = new Neighbour[answer.Ids.Length];
        for (int i = 0; i < ranked.Length; i++) ranked[i] = new Neighbour(answer.Ids[i], answer.Scores[i]);
        var results = SimilarTracks.Find(vectors, new RankedCandidates(ranked, vectors.Metric, vectors.Dimension), view.Facts, query, facts,
            facts.Descriptors, request.Count, request.Reasons);
        return new SimilarResult(new SimilarQuery(facts, null, null, facts.Descriptors, false), name, vectors.Description, results)
        {
            Coverage = answer.Coverage,
        };
    }

    private async Task<SimilarResult> Local(SimilarRequest request, CancellationToken ct) =>
        await services.LocalSimilar.FindAsync(request, ct).ConfigureAwait(false);
}
