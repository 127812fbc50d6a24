namespace Earworm.Catalog;

/// <summary>Models and vectors: the learned models of each space (one current per space) and the vectors they give
/// tracks and items.</summary>
public interface IModelRepository
{
    /// <summary>Records a model; with <paramref name="makeCurrent"/> it becomes its space's current model at once. A
    /// model with the same version is replaced.</summary>
    ModelRecord SaveModel(string space, string kind, string version, string paramsJson, string dataVersion,
        string? filePath, string? metricsJson, bool makeCurrent = true);

    /// <summary>Updates a model's training figures.</summary>
    void SetModelMetrics(long modelId, string metricsJson);

    ModelRecord? FindModel(long id);

    /// <summary>The model verbs use for a space, or null when the space has none yet.</summary>
    ModelRecord? CurrentModel(string space);

    /// <summary>Every model, by space, newest first.</summary>
    IReadOnlyList<ModelRecord> ListModels();

    /// <summary>Replaces every item vector of a space with a model's, at once (a crash leaves the old set).</summary>
    void ReplaceItemVectors(string space, long modelId, int dims, IEnumerable<(long ItemId, float[] Vector)> vectors);

    /// <summary>Stores (or replaces) tracks' vectors in a space, committed together.</summary>
    void SaveTrackVectors(string space, long modelId, IEnumerable<(long TrackId, float[] Vector)> vectors);

    /// <summary>Removes a space's vectors (track and item vectors).</summary>
    void DeleteSpace(string space);

    /// <summary>Removes a space's track vectors made by any model but <paramref name="modelId"/>; how many.</summary>
    int DeleteTrackVectorsNotOf(string space, long modelId);

    /// <summary>The tracks that already have a vector made by <paramref name="modelId"/> in a space.</summary>
    IReadOnlySet<long> TracksWithVectors(string space, long modelId);

    /// <summary>The vectors of a space for the library's analysed tracks, by track id: a track's own vector, or the
    /// vector of the item linked to it.</summary>
    SpaceVectors LoadTrackVectors(string space);

    /// <summary>The item vectors of a space (items with or without audio), by item id.</summary>
    SpaceVectors LoadItemVectors(string space);

    /// <summary>The spaces that hold vectors, with how many tracks of the library and items each covers.</summary>
    IReadOnlyList<(string Space, int Tracks, int Items)> ListSpaces();
}
