using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Content.Network;
using Earworm.Content.Training;

namespace Earworm.Content.Embedding;

/// <summary>
/// The layer whose values place a crop in the <c>audio</c> space. A regression model (cf, track2vec) is read at its
/// output, which is the target space. A contrastive model is read better before its projection: SimCLR (Chen et al.
/// 2020, section 4.2) finds the layer before the projection head holds more of what the augmentations leave
/// unchanged, because the loss makes the head discard whatever does not tell two crops of a track from others.
/// </summary>
public enum EmbeddingLayer
{
    /// <summary>The L2-normalised output <c>(D)</c>.</summary>
    Output,

    /// <summary>The last hidden dense layer after its ReLU <c>(H)</c>, unit-normalised per crop (the output when the
    /// network has no hidden layer).</summary>
    Hidden,

    /// <summary>The global temporal pooling (mean, max, L2 norm over time of the last convolution, <c>3·C</c>),
    /// unit-normalised per crop.</summary>
    Pooled,
}

/// <summary>
/// What a saved audio model is (<c>model.json</c> beside its weights <c>model.dat</c>): the network's shape, the
/// objective and target it was trained for, and how its window vectors are aggregated.
/// </summary>
public sealed record AudioModelInfo
{
    public const string WeightsFile = "model.dat";
    public const string InfoFile = "model.json";
    public const string LibraryWindowsFile = "library-windows.bin";

    public required AudioNetworkOptions Network { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public required AudioObjective Objective { get; init; }

    /// <summary>The version of the model whose vectors were the target (cf/track2vec), else null.</summary>
    public string? TargetVersion { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public AggregationKind Aggregation { get; init; } = AggregationKind.Mean;

    /// <summary>Which layer's values are the window vectors (see <see cref="EmbeddingLayer"/>).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public EmbeddingLayer Layer { get; init; } = EmbeddingLayer.Output;

    /// <summary>The layer a new model is read at: before the projection for contrastive (when the network has a hidden
    /// dense layer), the output for the regression objectives.</summary>
    public static EmbeddingLayer DefaultLayer(AudioObjective objective, AudioNetworkOptions network) =>
        objective == AudioObjective.Contrastive && network.Dense.Length > 0 ? EmbeddingLayer.Hidden : EmbeddingLayer.Output;

    /// <summary>Dimensions of a window vector at <see cref="Layer"/>.</summary>
    [JsonIgnore]
    public int Dims => Layer switch
    {
        EmbeddingLayer.Hidden when Network.Dense.Length > 0 => Network.Dense[^1],
        EmbeddingLayer.Pooled => 3 * Network.Channels[^1],
        _ => Network.OutputDims,
    };

    /// <summary>TF-IDF's ε (cosine distance).</summary>
    public double Epsilon { get; init; } = WindowAggregation.DefaultEpsilon;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, InfoFile);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static AudioModelInfo Load(string folder) =>
        JsonSerializer.Deserialize<AudioModelInfo>(File.ReadAllText(Path.Combine(folder, InfoFile)))
        ?? throw new InvalidDataException($"{Path.Combine(folder, InfoFile)} is empty");
}
