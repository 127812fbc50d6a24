using Earworm.App.Accounts;
using Earworm.App.Discover;
using Earworm.App.Evaluate;
using Earworm.App.Events;
using Earworm.App.Feedback;
using Earworm.App.Library;
using Earworm.App.Maps;
using Earworm.App.Playlists;
using Earworm.App.Recommendations;
using Earworm.App.Scans;
using Earworm.App.Sequences;
using Earworm.App.Similar;
using Earworm.App.Status;
using Earworm.App.Tags;
using Earworm.App.Training;
using Earworm.App.Uploads;
using Earworm.Content.Embedding;
using Earworm.Recommend.Spaces;
using Microsoft.Extensions.Logging;

namespace Earworm.App;

/// <summary>How a front end wants the services wired.</summary>
public sealed record ServiceOptions
{
    /// <summary>Folders audio may be served from besides those the catalog's scans were given.</summary>
    public IReadOnlyList<string> ExtraRoots { get; init; } = [];

    /// <summary>Place files outside the library in the <c>audio</c> space with the catalog's current audio model
    /// (loaded on first use, reloaded after training); false leaves them to their descriptors.</summary>
    public bool EmbedWithAudioModel { get; init; } = true;

    /// <summary>An embedder of one's own (tests); it replaces the audio model's.</summary>
    public IAudioFileEmbedder? Embedder { get; init; }

    /// <summary>Where uploads are written while they are analysed (deleted straight after); default: the system's temp folder.</summary>
    public string? UploadFolder { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Log impressions and outcomes in the catalog's event log (default true; off only to measure what it costs).</summary>
    public bool LogEvents { get; init; } = true;

    public ILoggerFactory? Logging { get; init; }

    /// <summary>Similar tracks from elsewhere than this process's index (a cluster's shards), given the services with
    /// their own <see cref="EarwormServices.LocalSimilar"/>; null: the local index answers.</summary>
    public Func<EarwormServices, ISimilarTracks>? Similar { get; init; }

    /// <summary>Told of each feedback once the catalog holds it (a cluster updates the listener's session); what it
    /// throws is the caller's error, so it should not.</summary>
    public Action<FeedbackRecorded>? FeedbackRecorded { get; init; }
}

/// <summary>
/// Every service of the application layer over one catalog, wired once: what a front end holds. The CLI makes one per
/// command; the web app one for its lifetime (each service is thread-safe); a new front end (an OpenSubsonic API, an
/// MPD client, a cluster's grains) takes one and calls it.
/// </summary>
public sealed class EarwormServices : IDisposable
{
    private readonly CurrentAudioModel? _audioModel;

    public EarwormServices(CatalogLocation location, ServiceOptions? options = null)
    {
        Location = location ?? throw new ArgumentNullException(nameof(location));
        options ??= new ServiceOptions();
        Library = new LibraryCache(location, options.Time, options.ExtraRoots);
        _audioModel = options.Embedder is null && options.EmbedWithAudioModel ? new CurrentAudioModel(location.OpenExisting) : null;
        Embedder = options.Embedder ?? _audioModel;
        Uploads = new UploadAnalyser(options.Time, Library, Embedder, options.Logging?.CreateLogger<UploadAnalyser>())
        {
            TempFolder = options.UploadFolder ?? Path.Combine(Path.GetTempPath(), "earworm-uploads"),
        };
        Placement = new UploadPlacement(Library);
        LocalSimilar = new SimilarService(Library, Embedder, Uploads, Placement);
        Events = new EventLog(Library, options.LogEvents, options.Logging?.CreateLogger<EventLog>());
        SequenceModels = new TrainedSequenceModels(Library);
        Playlists = new PlaylistService(Library, Embedder, Uploads, Placement, Events, SequenceModels);
        Recommendations = new RecommendationService(Library, Events);
        Next = new NextService(Library, SequenceModels);
        Discover = new DiscoverService(Library, Events, options.Time);
        Feedback = new FeedbackService(Library, Events, options.FeedbackRecorded);
        Accounts = new AccountService(Library);
        Maps = new MapService(Library);
        Scans = new ScanService(location);
        Tags = new TagService(location);
        Texts = new TextService(location);
        Status = new StatusService(Library, Scans);
        CfTraining = new CfTraining(location);
        AudioTraining = new AudioTraining(location);
        Embedding = new LibraryEmbedding(location);
        Evaluation = new EvaluationService(location);
        Similar = options.Similar?.Invoke(this) ?? LocalSimilar;
    }

    public CatalogLocation Location { get; }
    public LibraryCache Library { get; }

    /// <summary>Places files outside the library in the <c>audio</c> space; null when not asked for.</summary>
    public IAudioFileEmbedder? Embedder { get; }

    public UploadAnalyser Uploads { get; }
    public UploadPlacement Placement { get; }
    /// <summary>Similar tracks as the front ends ask for them: <see cref="LocalSimilar"/>, or a cluster's
    /// (<see cref="ServiceOptions.Similar"/>).</summary>
    public ISimilarTracks Similar { get; }

    /// <summary>Similar tracks from this process's own index (and for files and uploads, which only this process sees).</summary>
    public SimilarService LocalSimilar { get; }
    public PlaylistService Playlists { get; }
    public RecommendationService Recommendations { get; }

    /// <summary>The trained sequence models, loaded once (<see cref="Next"/> and keep playing share them).</summary>
    public TrainedSequenceModels SequenceModels { get; }

    /// <summary>What to play next by the order of listening; playlists continued.</summary>
    public NextService Next { get; }

    /// <summary>The listener's discovery list (<c>earworm discover</c>; the web app and the apps can ask the same).</summary>
    public DiscoverService Discover { get; }

    /// <summary>The event log: what the services showed listeners and what they did next.</summary>
    public EventLog Events { get; }
    public FeedbackService Feedback { get; }
    public AccountService Accounts { get; }
    public MapService Maps { get; }
    public ScanService Scans { get; }

    /// <summary>A track's tags, a person's tags added and removed, tags files imported.</summary>
    public TagService Tags { get; }

    /// <summary>Texts about music imported, a track's top terms.</summary>
    public TextService Texts { get; }
    public StatusService Status { get; }
    public CfTraining CfTraining { get; }
    public AudioTraining AudioTraining { get; }
    public LibraryEmbedding Embedding { get; }
    public EvaluationService Evaluation { get; }

    public void Dispose()
    {
        Library.Dispose();
        _audioModel?.Dispose();
    }
}
