using System.Globalization;
using Earworm.Audio.Synthesis;
using Earworm.Evaluation.Data;
using Earworm.Learning;

namespace Earworm.Evaluation.ColdStart;

/// <summary>Sizes and strengths of the simulated listening data (<see cref="SimulatedListeners"/>).</summary>
public sealed record SimulatedListenerOptions
{
    /// <summary>Tracks per synthesiser style (7 styles). Default 24 (168 tracks).</summary>
    public int TracksPerStyle { get; init; } = 24;

    /// <summary>Seconds of audio per track. Default 10.</summary>
    public double TrackSeconds { get; init; } = 10;

    /// <summary>Listeners. Default 500.</summary>
    public int Users { get; init; } = 500;

    /// <summary>Fewest and most plays a listener draws (uniform in between). Default 30..120.</summary>
    public int MinPlays { get; init; } = 30;

    public int MaxPlays { get; init; } = 120;

    /// <summary>Added to the log-affinity of a track in one of the listener's favourite styles. Default 2.5.</summary>
    public double StyleWeight { get; init; } = 2.5;

    /// <summary>Log-affinity per unit of tempo match (the listener's taste × the track's tempo position in its style, both in [−1, 1]). Default 1.5.</summary>
    public double TempoWeight { get; init; } = 1.5;

    /// <summary>Log-affinity per unit of mode match (taste in [−1, 1] × ±1 for major/minor). Default 1.</summary>
    public double ModeWeight { get; init; } = 1.0;

    /// <summary>Standard deviation of a track's log-popularity (not audible: what content cannot predict). Default 1.</summary>
    public double PopularitySigma { get; init; } = 1.0;

    public int Seed { get; init; } = 7;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(TracksPerStyle, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinPlays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPlays, MinPlays);
        if (!(TrackSeconds is > 0 and <= 600)) throw new ArgumentOutOfRangeException(nameof(TrackSeconds), TrackSeconds, "must lie in (0, 600]");
        if (!(PopularitySigma >= 0)) throw new ArgumentOutOfRangeException(nameof(PopularitySigma), PopularitySigma, "must be ≥ 0");
    }
}

/// <summary>One simulated listener's tastes (for reports and tests).</summary>
/// <param name="Styles">the one or two favourite styles.</param>
/// <param name="TempoTaste">−1 (prefers the slow end of each style's tempo range) .. +1 (the fast end).</param>
/// <param name="ModeTaste">−1 (minor) .. +1 (major).</param>
public sealed record ListenerTaste(SynthStyle[] Styles, double TempoTaste, double ModeTaste);

/// <summary>A synthetic library with listening data: the tracks to render and who played what.</summary>
public sealed record SimulatedListening(IReadOnlyList<TrackSpec> Tracks, IReadOnlyList<ListenerTaste> Listeners,
    double[] Popularity, InteractionDataset Dataset, string Description);

/// <summary>
/// Listening data for the cold-start experiment where no real data with audio exists: a library synthesised from
/// the <see cref="Synthesizer"/>'s seven styles (tempo spread over each style's range, random key and mode) and a
/// simulated listener model, all seeded.
/// <para>The model: each listener has one favourite style (a third of them two), a tempo taste t ∈ [−1, 1] and
/// a mode taste m ∈ [−1, 1] (uniform). Track i has a style, a tempo position τᵢ ∈ [−1, 1] within its style's range,
/// a mode μᵢ = ±1 (major/minor) and a popularity πᵢ = exp(σ·N(0,1)) that nothing in the audio reveals. A listener's
/// log-affinity is sᵤᵢ = w_style·[styleᵢ ∈ favourites] + w_tempo·t·τᵢ + w_mode·m·μᵢ; she draws a number of plays
/// uniformly in [min, max] from P(i) ∝ πᵢ·exp(sᵤᵢ), with replacement, and the play counts are the interactions.
/// So what a listener plays is mostly audible (style, tempo, mode) plus a popularity skew that is not.</para>
/// </summary>
public static class SimulatedListeners
{
    public static SimulatedListening Generate(SimulatedListenerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(options.Seed);
        var styles = Enum.GetValues<SynthStyle>();
        var tracks = new List<TrackSpec>();
        var tempoPosition = new List<double>();
        foreach (var style in styles)
        {
            var p = StyleProfile.Of(style);
            for (int t = 0; t < options.TracksPerStyle; t++)
            {
                double position = 2 * random.NextDouble() - 1;
                double tempo = Math.Round(p.TypicalTempoBpm * Math.Pow(Math.Max(p.MaxTempoBpm / p.TypicalTempoBpm, p.TypicalTempoBpm / p.MinTempoBpm), position), 1);
                tempo = Math.Clamp(tempo, p.MinTempoBpm, p.MaxTempoBpm);
                double actual = tempo >= p.TypicalTempoBpm
                    ? Math.Log(tempo / p.TypicalTempoBpm) / Math.Log(p.MaxTempoBpm / p.TypicalTempoBpm)
                    : -Math.Log(p.TypicalTempoBpm / tempo) / Math.Log(p.TypicalTempoBpm / p.MinTempoBpm);
                var mode = random.Next(2) == 0 ? Mode.Major : Mode.Minor;
                int number = tracks.Count + 1;
                tracks.Add(new TrackSpec(style, tempo, random.Next(12), mode, options.TrackSeconds, Seed: 50_000 + options.Seed * 1000 + number)
                {
                    Title = string.Create(CultureInfo.InvariantCulture, $"{p.DisplayName} {t + 1:00}"),
                    Artist = "Simulated",
                    Album = p.DisplayName,
                    Genre = p.DisplayName,
                });
                tempoPosition.Add(Math.Clamp(actual, -1, 1));
            }
        }
        var popularity = tracks.Select(_ => Math.Exp(options.PopularitySigma * Gaussian(random))).ToArray();

        var listeners = new List<ListenerTaste>();
        var interactions = new List<Interaction>();
        var weights = new double[tracks.Count];
        var counts = new int[tracks.Count];
        for (int u = 0; u < options.Users; u++)
        {
            var favourite = styles[random.Next(styles.Length)];
            var favourites = random.NextDouble() < 1.0 / 3
                ? new[] { favourite, styles.Where(s => s != favourite).ElementAt(random.Next(styles.Length - 1)) }
                : new[] { favourite };
            var taste = new ListenerTaste(favourites, 2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1);
            listeners.Add(taste);
            double total = 0;
            for (int i = 0; i < tracks.Count; i++)
            {
                double s = (favourites.Contains(tracks[i].Style) ? options.StyleWeight : 0)
                    + options.TempoWeight * taste.TempoTaste * tempoPosition[i]
                    + options.ModeWeight * taste.ModeTaste * (tracks[i].Mode == Mode.Major ? 1 : -1);
                weights[i] = popularity[i] * Math.Exp(s);
                total += weights[i];
            }
            DrawPlays(u, weights, total, random.Next(options.MinPlays, options.MaxPlays + 1), random, counts, interactions);
        }
        var description = string.Create(CultureInfo.InvariantCulture,
            $"simulated listening: {tracks.Count} synthesised tracks ({styles.Length} styles × {options.TracksPerStyle}, {options.TrackSeconds:0.#} s each; tempo spread over each style's range, random key and mode), " +
            $"{options.Users} listeners with 1–2 favourite styles (weight {options.StyleWeight}), a tempo taste (weight {options.TempoWeight}) and a mode taste (weight {options.ModeWeight}), " +
            $"{options.MinPlays}–{options.MaxPlays} plays each drawn ∝ popularity (log-normal σ {options.PopularitySigma}, inaudible) × exp(affinity); {interactions.Count} (listener, track) pairs; seed {options.Seed}");
        var dataset = new InteractionDataset("simulated-listeners", options.Users, tracks.Count, interactions);
        return new SimulatedListening(tracks, listeners, popularity, dataset, description);
    }

    /// <summary>A listener's <paramref name="plays"/> draws with replacement from P(i) ∝ weights[i], as play counts.</summary>
    internal static void DrawPlays(int user, double[] weights, double total, int plays, Random random, int[] counts, List<Interaction> interactions)
    {
        Array.Clear(counts);
        for (int p = 0; p < plays; p++)
        {
            double r = random.NextDouble() * total;
            int i = 0;
            while (i < weights.Length - 1 && (r -= weights[i]) > 0) i++;
            counts[i]++;
        }
        for (int i = 0; i < weights.Length; i++)
            if (counts[i] > 0) interactions.Add(new Interaction(user, i, counts[i]));
    }

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
