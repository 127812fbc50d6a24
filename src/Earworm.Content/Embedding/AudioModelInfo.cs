using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Content.Network;
using Earworm.Content.Training;

namespace Earworm.Content.Embedding;

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
