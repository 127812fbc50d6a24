using System.Security.Cryptography;
using System.Text.Json;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.Content.Embedding;

/// <summary>
/// The audio encoder Earworm ships (<c>models/encoder/</c> in the repository, copied beside the program by the build;
/// how it was made: its <c>MODEL_CARD.md</c>). A catalog gets a copy of it in its model folder
/// (<c>catalog.models/pretrained-HASH/</c>, so TF-IDF's per-library files never land in the program's folder), recorded
/// as an <c>audio</c> model, and every analysed track is embedded with it: the library has an <c>audio</c> space
/// without any training. A model trained or fine-tuned on the library (<c>earworm train audio</c>) stays current once
/// made; new tracks are then embedded with it.
/// </summary>
public static class ShippedEncoder
{
    public const string Kind = "audio-cnn";

    /// <summary>Where the program finds the shipped encoder: <c>$EARWORM_ENCODER</c> when set, else
    /// <c>models/encoder</c> beside the program.</summary>
    public static string Folder => Environment.GetEnvironmentVariable("EARWORM_ENCODER") is { Length: > 0 } custom
        ? custom : Path.Combine(AppContext.BaseDirectory, "models", "encoder");

    /// <summary>Whether the shipped encoder's weights and info are there.</summary>
    public static bool Available(string? folder = null) =>
        File.Exists(Path.Combine(folder ?? Folder, AudioModelInfo.WeightsFile)) && File.Exists(Path.Combine(folder ?? Folder, AudioModelInfo.InfoFile));

    /// <summary>The encoder's version: <c>pretrained-</c> and a hash of its weights and info.</summary>
    public static string Version(string? folder = null)
    {
        folder ??= Folder;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in AudioModelInfo.ModelFiles(folder)) sha.AppendData(File.ReadAllBytes(Path.Combine(folder, file)));
        return "pretrained-" + Convert.ToHexStringLower(sha.GetHashAndReset())[..12];
    }

    /// <summary>The catalog's record of the shipped encoder, copying it into the catalog's model folder and recording it
    /// first when needed; made current when <paramref name="makeCurrent"/>.</summary>
    /// <exception cref="PrerequisiteMissingException">the shipped encoder is missing (a build without models/encoder).</exception>
    public static ModelRecord Register(ICatalog catalog, string catalogPath, bool makeCurrent, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        folder ??= Folder;
        if (!Available(folder))
            throw new PrerequisiteMissingException($"the shipped audio encoder is missing from {folder} (models/encoder in the repository)");
        var version = Version(folder);
        var copy = Path.Combine(CatalogStore.ModelFolderFor(catalogPath), version);
        var weights = Path.Combine(copy, AudioModelInfo.WeightsFile);
        var existing = catalog.ListModels().FirstOrDefault(m => m.Space == LibraryEmbedder.Space && m.Version == version);
        if (existing is not null && File.Exists(weights) && File.Exists(Path.Combine(copy, AudioModelInfo.InfoFile)))
        {
            if (!makeCurrent || existing.IsCurrent) return existing;
            return catalog.SaveModel(existing.Space, existing.Kind, existing.Version, existing.ParamsJson, existing.DataVersion,
                existing.FilePath, existing.MetricsJson);
        }
        Directory.CreateDirectory(copy);
        foreach (var file in AudioModelInfo.ModelFiles(folder))
        {
            File.Copy(Path.Combine(folder, file), Path.Combine(copy, file + ".tmp"), overwrite: true);
            File.Move(Path.Combine(copy, file + ".tmp"), Path.Combine(copy, file), overwrite: true);
        }
        var info = AudioModelInfo.Load(copy);
        var paramsJson = JsonSerializer.Serialize(new
        {
            objective = "contrastive", pretrained = true, network = info.Network, layer = info.Layer.ToString().ToLowerInvariant(),
            readout = info.Readout.ToString().ToLowerInvariant(), dims = info.Dims,
        });
        return catalog.SaveModel(LibraryEmbedder.Space, Kind, version, paramsJson, "pretrained", weights, "{}", makeCurrent);
    }

    /// <summary>Whether a catalog model is a copy of a shipped encoder.</summary>
    public static bool IsShipped(ModelRecord model) => model?.Version.StartsWith("pretrained-", StringComparison.Ordinal) ?? false;

    /// <summary>
    /// After a scan: the current <c>audio</c> model (the shipped encoder, registered and made current when the catalog
    /// has none, or when its current one is an older shipped encoder) embeds every analysed track it has not embedded
    /// yet. Returns what was done, and the model.
    /// </summary>
    public static (EmbeddingSummary Summary, ModelRecord Model) EmbedLibrary(ICatalog catalog, string catalogPath, int? threads = null,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var current = catalog.CurrentModel(LibraryEmbedder.Space);
        bool usable = current?.FilePath is { } file && File.Exists(file) && File.Exists(Path.Combine(Path.GetDirectoryName(file)!, AudioModelInfo.InfoFile));
        bool outdated = usable && IsShipped(current!) && Available() && current!.Version != Version();
        var model = usable && !outdated ? current! : Register(catalog, catalogPath, makeCurrent: true);
        using var embedder = AudioEmbedder.Load(Path.GetDirectoryName(model.FilePath!)!, model, threads);
        var summary = LibraryEmbedder.Run(catalog, new ExcerptStore(ExcerptStore.DefaultFor(catalogPath)), embedder, progress, cancellationToken);
        return (summary, model);
    }
}
