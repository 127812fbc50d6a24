using Earworm.App.Training;
using Earworm.Content.Sequences;
using Earworm.Learning.Sequences;

namespace Earworm.App.Evaluate;

/// <summary>The next-item models by the names <c>evaluate --models</c> takes.</summary>
public static class SequenceModels
{
    /// <summary>Every model, in the order reports list them by default.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sasrec", "gru4rec", "sknn", "sr", "track2vec", "pop"];

    /// <exception cref="UsageException">not one of <see cref="Names"/>.</exception>
    public static void Check(string name)
    {
        if (!Names.Contains(name)) throw new UsageException($"unknown next-item model \"{name}\": expected one of {string.Join(", ", Names)}");
    }

    /// <summary>The trainer called <paramref name="name"/>, seeded with <paramref name="seed"/> where it draws at random.</summary>
    /// <param name="neural">SASRec's and GRU4Rec's options (their architecture and seed are set here); null: the defaults.</param>
    /// <param name="features">the items' side features, for the networks when <see cref="SequenceModelOptions.SideFeatures"/>
    /// asks for them.</param>
    public static ISequenceTrainer Trainer(string name, CfSettings settings, SequenceModelOptions? neural, int seed, ItemFeatures? features = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        neural ??= new SequenceModelOptions();
        Check(name);
        return name switch
        {
            "sasrec" => new SequenceModelTrainer(neural with { Architecture = SequenceArchitecture.SasRec, Seed = seed }, features: features),
            "gru4rec" => new SequenceModelTrainer(neural with { Architecture = SequenceArchitecture.Gru4Rec, Seed = seed }, features: features),
            "pop" => new PopularityNextTrainer(),
            "sr" => new SequentialRulesTrainer(),
            "sknn" => new SessionKnnTrainer(),
            "track2vec" => new Track2VecNextTrainer(settings.Track2Vec() with { Seed = seed }),
            _ => throw new UsageException($"unknown next-item model \"{name}\""),
        };
    }
}
