using System.Globalization;

namespace Earworm.Content.Pretraining;

/// <summary>The held-out figures of one fold: the tracks of packages its encoder never trained on, their k nearest
/// neighbours among each other, the share from the same soundtrack and by the same composer (tracks of known composer).</summary>
public sealed record FoldFigures
{
    public int Fold { get; init; }
    public IReadOnlyList<string> HeldOutPackages { get; init; } = [];
    public int TrainTracks { get; init; }
    public int Tracks { get; init; }
    public int Soundtracks { get; init; }
    public int TracksWithComposer { get; init; }
    public int Composers { get; init; }
    public double AudioSoundtrack { get; init; }
    public double DescriptorsSoundtrack { get; init; }
    public double RandomSoundtrack { get; init; }
    public double AudioComposer { get; init; }
    public double DescriptorsComposer { get; init; }
    public double RandomComposer { get; init; }
    public TrainedEncoder? Training { get; init; }

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"fold {Fold} ({Tracks} held-out tracks of {Soundtracks} soundtracks): same soundtrack audio {AudioSoundtrack:0.000} vs descriptors " +
        $"{DescriptorsSoundtrack:0.000} (random {RandomSoundtrack:0.000}); same composer {AudioComposer:0.000} vs {DescriptorsComposer:0.000} " +
        $"(random {RandomComposer:0.000})");
}

/// <summary>The shipped (all-package) encoder's training.</summary>
public sealed record FinalModel(int Tracks, int Epochs, int BestEpoch, double Seconds, long Parameters, string StopReason)
{
    public static FinalModel Of(TrainedEncoder e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new FinalModel(e.Tracks, e.Epochs, e.BestEpoch, e.Seconds, e.Parameters, e.StopReason);
    }
}

/// <summary>One package of the corpus: how much music it gave, under which licences.</summary>
public sealed record PackageSummary(string Package, int Tracks, double Hours, IReadOnlyList<string> Soundtracks, int Composers, IReadOnlyList<string> Licences)
{
    public static IReadOnlyList<PackageSummary> Of(IEnumerable<CorpusTrack> tracks) => tracks.GroupBy(t => t.Package)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new PackageSummary(g.Key, g.Count(), g.Sum(t => t.DurationSeconds) / 3600,
            g.Select(t => t.Soundtrack).Distinct().Order(StringComparer.Ordinal).ToList(),
            g.Select(t => t.Composer).Where(c => c.Length > 0).Distinct().Count(),
            g.Select(t => t.Licence).Where(l => l.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList()))
        .ToList();
}

/// <summary>Everything a pretraining run measured and made (written as <c>report.json</c>; the model card is rendered
/// from it).</summary>
public sealed record PretrainingReport
{
    public string Name { get; init; } = "";
    public required PretrainingRecipe Recipe { get; init; }
    public IReadOnlyList<PackageSummary> Packages { get; init; } = [];
    public IReadOnlyList<FoldFigures> Folds { get; init; } = [];
    public FinalModel? Final { get; init; }
    public string Command { get; init; } = "";
    public string WorkFolder { get; init; } = "";
    public double ScanSeconds { get; init; }
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;

    public int Tracks => Packages.Sum(p => p.Tracks);
    public double Hours => Packages.Sum(p => p.Hours);

    /// <summary>Mean of a figure over the folds (NaN when none).</summary>
    public double Mean(Func<FoldFigures, double> figure) => Folds.Count == 0 ? double.NaN : Folds.Average(figure);
}
