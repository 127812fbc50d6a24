using System.Globalization;
using Earworm.Evaluation.Data;
using Earworm.Learning;

namespace Earworm.Evaluation.ColdStart;

/// <summary>Sizes and strengths of listeners whose tastes follow labels (<see cref="LabelListeners"/>).</summary>
public sealed record LabelListenerOptions
{
    public int Users { get; init; } = 500;

    /// <summary>Fewest and most plays a listener draws (uniform in between). Default 30..120.</summary>
    public int MinPlays { get; init; } = 30;

    public int MaxPlays { get; init; } = 120;

    /// <summary>Added to the log-affinity of a track with one of the listener's favourite labels. Default 2.5.</summary>
    public double LabelWeight { get; init; } = 2.5;

    /// <summary>Standard deviation of a track's log-popularity (not audible). Default 1.</summary>
    public double PopularitySigma { get; init; } = 1.0;

    public int Seed { get; init; } = 7;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinPlays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPlays, MinPlays);
        if (!(PopularitySigma >= 0)) throw new ArgumentOutOfRangeException(nameof(PopularitySigma), PopularitySigma, "must be ≥ 0");
    }
}

/// <summary>
/// Simulated listeners over a real library whose tracks carry a label (a soundtrack, an album): what the cold-start
/// experiment needs when real music exists but nobody's listening to it does. Each listener has one favourite label
/// (a third of them two, drawn in proportion to the labels' sizes, as a listener meets music); a track's
/// log-affinity is <c>w·[labelᵢ ∈ favourites]</c> and its popularity <c>πᵢ = exp(σ·N(0,1))</c> is inaudible; a
/// listener draws her plays from <c>P(i) ∝ πᵢ·exp(affinity)</c> (the same model as <see cref="SimulatedListeners"/>,
/// with soundtracks in place of synthesiser styles and no tempo or mode tastes). What she plays is then what the
/// music of a soundtrack shares, which content can hear.
/// </summary>
public static class LabelListeners
{
    public static InteractionDataset Generate(IReadOnlyList<string> labels, LabelListenerOptions options, out string description)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (labels.Count < 2) throw new ArgumentException("at least two tracks", nameof(labels));
        var random = new Random(options.Seed);
        var distinct = labels.Distinct().Order(StringComparer.Ordinal).ToArray();
        var popularity = labels.Select(_ => Math.Exp(options.PopularitySigma * SimulatedListeners.Gaussian(random))).ToArray();
        var interactions = new List<Interaction>();
        var weights = new double[labels.Count];
        var counts = new int[labels.Count];
        for (int u = 0; u < options.Users; u++)
        {
            var favourites = new HashSet<string> { labels[random.Next(labels.Count)] };
            if (distinct.Length > 1 && random.NextDouble() < 1.0 / 3)
                while (favourites.Count < 2) favourites.Add(labels[random.Next(labels.Count)]);
            double total = 0;
            for (int i = 0; i < labels.Count; i++)
            {
                weights[i] = popularity[i] * Math.Exp(favourites.Contains(labels[i]) ? options.LabelWeight : 0);
                total += weights[i];
            }
            SimulatedListeners.DrawPlays(u, weights, total, random.Next(options.MinPlays, options.MaxPlays + 1), random, counts, interactions);
        }
        description = string.Create(CultureInfo.InvariantCulture,
            $"simulated listening over {labels.Count} real tracks of {distinct.Length} soundtracks: {options.Users} listeners with 1–2 favourite soundtracks " +
            $"(weight {options.LabelWeight}), {options.MinPlays}–{options.MaxPlays} plays each drawn ∝ popularity (log-normal σ {options.PopularitySigma}, inaudible) × exp(affinity); " +
            $"{interactions.Count} (listener, track) pairs; seed {options.Seed}");
        return new InteractionDataset("label-listeners", options.Users, labels.Count, interactions);
    }
}
