using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Content.Network;
using Earworm.Content.Training;

namespace Earworm.Content.Embedding;

/// <summary>
/// The layer whose values place a crop in the <c>audio</c> space. A regression model (cf, track2vec) is read at its
/// output, which is the target space. A contrastive model is read before its projection: SimCLR (Chen et al. 2020,
/// section 4.2) finds the encoder's pooled output (its "h", here the global temporal pooling) holds more of what the
/// augmentations leave unchanged than the projection the loss sees, because the loss makes the projection discard
/// whatever does not tell two crops of a track from the others. On real music (257 game-music tracks, 13
/// soundtracks) the share of same-soundtrack neighbours was pooled ≥ hidden ≥ output in every configuration tried.
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

    /// <summary>The mean and maximum over time of every convolution block (<c>2·ΣCᵢ</c>), unit-normalised per crop
    /// (<see cref="Network.AudioNetwork.BlockSummary"/>).</summary>
    Blocks,
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

    /// <summary>The layer a new model is read at: the encoder's pooled output for contrastive, the output (the target
    /// space) for the regression objectives.</summary>
    public static EmbeddingLayer DefaultLayer(AudioObjective objective, AudioNetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return objective == AudioObjective.Contrastive ? EmbeddingLayer.Pooled : EmbeddingLayer.Output;
    }

    /// <summary>Dimensions of a window vector (after the read-out).</summary>
    [JsonIgnore]
    public int Dims => Readout != Readout.Raw && ReadoutDims > 0 ? ReadoutDims : LayerDims;

    /// <summary>Dimensions of a window vector at <see cref="Layer"/>, before the read-out.</summary>
    [JsonIgnore]
    public int LayerDims => Layer switch
    {
        EmbeddingLayer.Hidden when Network.Dense.Length > 0 => Network.Dense[^1],
        EmbeddingLayer.Pooled => 3 * Network.Channels[^1],
        EmbeddingLayer.Blocks => 2 * Network.Channels.Sum(),
        _ => Network.OutputDims,
    };

    /// <summary>How the unit crop vectors are transformed before they are normalised again (<see cref="Whitening"/>,
    /// in <see cref="Whitening.FileName"/> beside the weights); Raw: not at all.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public Readout Readout { get; init; } = Readout.Raw;

    /// <summary>Dimensions after the read-out (its k); 0 with <see cref="Readout.Raw"/>.</summary>
    public int ReadoutDims { get; init; }

    /// <summary>Crops read per excerpt window when a track is embedded. Null: crops tiling the window (four
    /// half-overlapping 4 s crops of a 10 s window, <see cref="Data.WindowBank.TilingStarts"/>); k: k crops centred in it
    /// (<see cref="Data.WindowBank.CropStarts"/>). The network's cost is per crop, but fewer crops read worse: on held-out
    /// game music, same-soundtrack precision over three package folds was 0.38, 0.42 and 0.47 with 1, 2 and 5 crops per
    /// window.</summary>
    public int? CropsPerWindow { get; init; }

    /// <summary>TF-IDF's ε (cosine distance).</summary>
    public double Epsilon { get; init; } = WindowAggregation.DefaultEpsilon;

    /// <summary>The files of a saved model in its folder: the weights, the info and, when the model has one, its read-out.</summary>
    public static IReadOnlyList<string> ModelFiles(string folder) =>
        File.Exists(Path.Combine(folder, Whitening.FileName)) ? [WeightsFile, InfoFile, Whitening.FileName] : [WeightsFile, InfoFile];

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
