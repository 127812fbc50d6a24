using System.Text.Json;
using Earworm.App.Library;
using Earworm.App.Training;
using Earworm.Catalog;
using Earworm.Content.Native;
using Earworm.Content.Sequences;

namespace Earworm.App.Sequences;

/// <summary>
/// A trained next-item network as the services use it: the network, the catalog item of every index it scores and the
/// library track each item is linked to.
/// </summary>
public sealed class TrainedSequenceModel
{
    private readonly Dictionary<long, int> _indexOfItem;
    private readonly Dictionary<long, int> _indexOfTrack;

    internal TrainedSequenceModel(ModelRecord record, SequenceModelFile file, NeuralSequenceModel model, IReadOnlyDictionary<long, ItemInfo> items)
    {
        Record = record;
        File = file;
        Model = model;
        var ids = file.ItemIds;
        var tracks = new long?[ids.Length];
        _indexOfItem = new Dictionary<long, int>(ids.Length);
        _indexOfTrack = [];
        for (int i = 0; i < ids.Length; i++)
        {
            _indexOfItem[ids[i]] = i;
            if (items.GetValueOrDefault(ids[i])?.TrackId is long t)
            {
                tracks[i] = t;
                _indexOfTrack.TryAdd(t, i);
            }
        }
        ItemIds = ids;
        TrackOfIndex = tracks;
        LinkedTracks = _indexOfTrack.Count;
    }

    public ModelRecord Record { get; }
    public SequenceModelFile File { get; }
    public NeuralSequenceModel Model { get; }

    /// <summary>"sasrec" or "gru4rec".</summary>
    public string Name => Model.Name;

    public string Version => Record.Version;

    /// <summary>The catalog item of every index the network scores.</summary>
    public IReadOnlyList<long> ItemIds { get; }

    /// <summary>The library track linked to each index's item, when it has one.</summary>
    public IReadOnlyList<long?> TrackOfIndex { get; }

    /// <summary>How many library tracks the model can place.</summary>
    public int LinkedTracks { get; }

    /// <summary>"sasrec model sasrec-1a2b3c4d5e6f"</summary>
    public string Description => $"{Name} model {Version}";

    public int? IndexOfItem(long itemId) => _indexOfItem.TryGetValue(itemId, out int i) ? i : null;

    public int? IndexOfTrack(long trackId) => _indexOfTrack.TryGetValue(trackId, out int i) ? i : null;
}

/// <summary>
/// The sequence models <c>train sequence</c> saved, loaded once per version and library view and kept for the services
/// (thread-safe; the network scores one history at a time). The one a request names (<c>sasrec</c>, <c>gru4rec</c>: the
/// newest of that kind), else the current model of the <c>sequence</c> space.
/// </summary>
public sealed class TrainedSequenceModels(LibraryCache library)
{
    private const int Kept = 2;
    private readonly Lock _gate = new();
    private readonly List<(long ModelId, LibraryView View, TrainedSequenceModel Model)> _loaded = [];

    /// <summary>The command that trains one, for the errors that need it.</summary>
    public const string TrainHint = "`earworm train sequence --model sasrec` (or gru4rec) learns one from the catalog's listening sessions and playlists";

    /// <summary>The model <paramref name="name"/> names, or the current one.</summary>
    /// <exception cref="UsageException">none is trained (the message says which command trains one), an unknown name, or
    /// a model whose files are gone.</exception>
    public TrainedSequenceModel Get(string? name)
    {
        var view = library.Current;
        ModelRecord record;
        if (string.IsNullOrWhiteSpace(name))
        {
            record = view.CurrentModel(SequenceTraining.Space)
                ?? throw new UsageException($"the catalog has no sequence model: {TrainHint}");
        }
        else
        {
            var kind = SequenceModelOptions.ParseArchitecture(name) == SequenceArchitecture.SasRec ? "sasrec" : "gru4rec";
            var models = library.WithCatalog(c => c.ListModels()).Where(m => m.Space == SequenceTraining.Space).ToList();
            record = models.Where(m => m.Kind == kind).OrderByDescending(m => m.IsCurrent).ThenByDescending(m => m.CreatedAt).FirstOrDefault()
                ?? throw new UsageException($"no {kind} model is trained: `earworm train sequence --model {kind}`" +
                                            (models.Count > 0 ? $" (trained: {string.Join(", ", models.Select(m => m.Kind).Distinct())})" : ""));
        }
        return Load(record, view);
    }

    /// <summary>The current model, or null when none is trained or its files are gone (keep playing then walks the space
    /// alone).</summary>
    public TrainedSequenceModel? Current()
    {
        var view = library.Current;
        if (view.CurrentModel(SequenceTraining.Space) is not { } record) return null;
        try
        {
            return Load(record, view);
        }
        catch (UsageException)
        {
            return null;
        }
    }

    private TrainedSequenceModel Load(ModelRecord record, LibraryView view)
    {
        lock (_gate)
        {
            foreach (var l in _loaded)
                if (l.ModelId == record.Id && ReferenceEquals(l.View, view)) return l.Model;
            // the network again when only the library moved (links of items to tracks may have changed)
            var network = _loaded.FirstOrDefault(l => l.ModelId == record.Id).Model;
            var model = network is not null
                ? new TrainedSequenceModel(record, network.File, network.Model, library.WithCatalog(c => c.LoadItems()))
                : Read(record);
            _loaded.RemoveAll(l => l.ModelId == record.Id);
            _loaded.Insert(0, (record.Id, view, model));
            if (_loaded.Count > Kept) _loaded.RemoveRange(Kept, _loaded.Count - Kept);
            return model;
        }
    }

    private TrainedSequenceModel Read(ModelRecord record)
    {
        var file = record.FilePath;
        var json = file is null ? null : Path.Combine(Path.GetDirectoryName(file)!, "model.json");
        if (file is null || !System.IO.File.Exists(file) || json is null || !System.IO.File.Exists(json))
            throw new UsageException($"the files of {record.Kind} model {record.Version} are gone ({file ?? "no path recorded"}): " +
                                     $"`earworm train sequence --model {record.Kind} --force` trains it again");
        var info = JsonSerializer.Deserialize<SequenceModelFile>(System.IO.File.ReadAllText(json), SequenceTraining.Json)
            ?? throw new EarwormException($"{json} is empty");
        var options = info.Options.Validated();
        TorchRuntime.EnsureLoaded(options.Threads);
        var network = SequenceNetwork.Create(options, info.ItemIds.Length, info.Features);
        try
        {
            network.load(file);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or KeyNotFoundException)
        {
            network.Dispose();
            throw new UsageException($"{record.Kind} model {record.Version} does not load ({e.Message}): an earlier Earworm saved it; " +
                                     $"`earworm train sequence --model {record.Kind}` trains it again");
        }
        network.eval();
        var model = new NeuralSequenceModel(options.Name, network, options.MaxLength, info.ItemIds.Length, options.ReadOfNext);
        return new TrainedSequenceModel(record, info, model, library.WithCatalog(c => c.LoadItems()));
    }
}
