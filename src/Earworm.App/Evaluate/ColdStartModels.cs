using Earworm.App.Training;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Excerpts;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Content.Training;
using Earworm.Evaluation.ColdStart;
using Earworm.Evaluation.Data;
using Earworm.Learning;
using Earworm.Recommend.Personal;

namespace Earworm.App.Evaluate;

/// <summary>
/// The content models of <c>evaluate --protocol cold-start</c>, each predicting the held-out tracks' factors from
/// their content: <c>audio</c> (the regression of the recommend bridge, <see cref="ColdStartBridge.AudioRegression"/>,
/// its hyper-parameters by cross-validation on the training items, from the library's <c>audio</c> space: the shipped
/// encoder's embedding, or the library's own audio model's), <c>descriptors</c> (ridge, λ by cross-validation, from the
/// descriptor space), <c>audio+descriptors</c> (from both, side by side), <c>audio-cnn</c> (the whole
/// audio network trained with the cf objective on the training tracks' cached excerpts: van den Oord et al. 2013's
/// set-up) and <c>true-factors</c> (ALS trained with the held-out tracks: the upper bound). They need the catalog's
/// listening data, whose items are matched to library tracks.
/// </summary>
public sealed class ColdStartModels
{
    public static IReadOnlyList<string> Names { get; } = ["audio", "descriptors", "audio+descriptors", "audio-cnn", "true-factors"];

    private readonly CatalogListening? _listening;
    private readonly CfSettings _settings;
    private readonly InteractionMatrix _all;
    private readonly Lazy<Content> _content;
    private AudioFactorPredictor? _audio;

    public ColdStartModels(InteractionDataset data, CatalogListening? listening, ICatalog? catalog, string? catalogPath,
        CfSettings settings, AudioTrainingOptions audio)
    {
        _listening = listening;
        _settings = settings;
        _all = InteractionMatrix.FromInteractions(data.Interactions, data.UserCount, data.ItemCount);
        AudioOptions = audio;
        _content = new(() => LoadContent(listening, catalog, catalogPath));
    }

    public AudioTrainingOptions AudioOptions { get; }

    /// <summary>Listening items matched to a library track with descriptors or excerpts (known after the first content model is made).</summary>
    public int MatchedItems => _content.Value.Matched;

    public IRecommenderTrainer Trainer(string name, int seed)
    {
        var als = _settings.Als() with { Seed = seed, CalculateTrainingLoss = false };
        switch (name)
        {
            case "true-factors":
                return new TrueFactorsTrainer(_all, als);
            case "descriptors":
                RequireCatalog(name);
                return new ColdStartFactorTrainer(new FeatureRegressionPredictor(name, _content.Value.Descriptors), als, seed);
            case "audio":
                RequireAudio(name);
                return new ColdStartFactorTrainer(new FeatureRegressionPredictor(name, _content.Value.Audio, ColdStartBridge.AudioRegression), als, seed);
            case "audio+descriptors":
                RequireAudio(name);
                var content = _content.Value;
                return new ColdStartFactorTrainer(new FeatureRegressionPredictor(name,
                    i => content.Audio(i) is { } a && content.Descriptors(i) is { } d ? [.. a, .. d] : null), als, seed);
            case "audio-cnn":
                RequireCatalog(name);
                _audio ??= new AudioFactorPredictor(_content.Value.Excerpts, AudioOptions, name: "audio-cnn");
                return new ColdStartFactorTrainer(_audio, als, seed);
            default:
                throw new UsageException($"unknown cold-start model '{name}'");
        }
    }

    private void RequireCatalog(string name)
    {
        if (_listening is null)
            throw new UsageException($"the {name} model predicts factors from the library's tracks, so it needs the catalog's listening data (leave out --dataset)");
    }

    private void RequireAudio(string name)
    {
        RequireCatalog(name);
        if (_content.Value.AudioTracks == 0)
            throw new UsageException($"the {name} model regresses from the library's audio space, which is empty: `earworm scan` fills it (or `earworm embed`)");
    }

    /// <summary>Each listening item's content, by the item's index in the dataset (null: the item has none).</summary>
    private sealed record Content(Func<int, double[]?> Descriptors, Func<int, double[]?> Audio, Func<int, ExcerptSet?> Excerpts, int Matched, int AudioTracks);

    private static Content LoadContent(CatalogListening? listening, ICatalog? catalog, string? catalogPath)
    {
        if (listening is null || catalog is null || catalogPath is null) return new(_ => null, _ => null, _ => null, 0, 0);
        var items = catalog.LoadItems();
        var descriptors = catalog.AllDescriptors();
        var store = new ExcerptStore(ExcerptStore.DefaultFor(catalogPath));
        int n = listening.InteractionItemCount;
        var trackOf = new long?[n];
        var vectors = new double[]?[n];
        int matched = 0;
        for (int i = 0; i < n; i++)
        {
            if (!items.TryGetValue(listening.Items[i], out var info) || info.TrackId is not long track) continue;
            trackOf[i] = track;
            if (descriptors.TryGetValue(track, out var d)) vectors[i] = DescriptorSpace.Vector(d);
            matched++;
        }
        var hashes = new Dictionary<long, string?>();
        ExcerptSet? Excerpts(int item)
        {
            if ((uint)item >= (uint)n || trackOf[item] is not long track) return null;
            if (!hashes.TryGetValue(track, out var hash)) hashes[track] = hash = catalog.FindById(track)?.ContentHash;
            return hash is null ? null : store.TryRead(hash);
        }
        var space = catalog.LoadTrackVectors("audio");
        var rowOf = space.Ids.Select((id, row) => (id, row)).ToDictionary(p => p.id, p => p.row);
        double[]? Audio(int item) => (uint)item < (uint)n && trackOf[item] is long track && rowOf.TryGetValue(track, out int row)
            ? [.. space.Row(row).ToArray().Select(x => (double)x)] : null;
        return new(i => (uint)i < (uint)n ? vectors[i] : null, Audio, Excerpts, matched, space.Count);
    }
}
