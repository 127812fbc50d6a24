namespace Earworm.Evaluation.OffPolicy;

/// <summary>Sizes and strengths of the off-policy simulator (<see cref="BanditSimulation"/>).</summary>
public sealed record BanditSimulationOptions
{
    /// <summary>Tracks in the catalog. Default 300.</summary>
    public int Items { get; init; } = 300;

    /// <summary>Listeners. Default 50.</summary>
    public int Users { get; init; } = 50;

    /// <summary>Dimensions of the hidden tastes. Default 8.</summary>
    public int Dimensions { get; init; } = 8;

    /// <summary>Tracks a decision chooses among. Default 10.</summary>
    public int Candidates { get; init; } = 10;

    /// <summary>The scale s of the taste term in σ(s·u·v + b). Default 2.</summary>
    public double TasteStrength { get; init; } = 2;

    /// <summary>Mean track bias (σ(−1.5) ≈ 0.18: most shown tracks are not played). Default −1.5.</summary>
    public double MeanBias { get; init; } = -1.5;

    /// <summary>How far the model's tastes, track vectors and biases are from the truth (in units of their spread). Default 0.5.</summary>
    public double ModelNoise { get; init; } = 0.5;

    /// <summary>The policy that writes the log, with its known propensities. Default softmax at τ = 1 on the model's scores.</summary>
    public string LoggingPolicy { get; init; } = "softmax:1";

    /// <summary>Decisions in each seed's log. Default 3 000.</summary>
    public int LoggedDecisions { get; init; } = 3000;

    /// <summary>Decisions each learning target makes on-policy before it is frozen and evaluated. Default 2 000.</summary>
    public int WarmupDecisions { get; init; } = 2000;

    /// <summary>Decisions of each policy in the drift race (on-policy, learning as it goes). Default 6 000; 0 runs no race.</summary>
    public int RaceDecisions { get; init; } = 6000;

    /// <summary>Taste drift ρ per decision of a listener in the race. Default 0.15.</summary>
    public double RaceDrift { get; init; } = 0.15;

    /// <summary>The learning policies' discount γ in the race (old feedback fades as tastes move). Default 0.95.</summary>
    public double RaceDiscount { get; init; } = 0.95;

    /// <summary>The policies that race. Default greedy, ε-greedy, softmax, LinUCB (α = 0.3) and LinUCB with α = 0 (greedy ridge); Thompson sampling (one Beta per track, shared by all listeners) can join by name.</summary>
    public IReadOnlyList<string> RacePolicies { get; init; } = ["greedy", "epsilon-greedy:0.1", "softmax:0.5", "linucb:0", "linucb:0.3"];

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Items, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Candidates, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Candidates, Items);
        ArgumentOutOfRangeException.ThrowIfLessThan(LoggedDecisions, 10);
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupDecisions);
        ArgumentOutOfRangeException.ThrowIfNegative(RaceDecisions);
        if (!(RaceDrift >= 0 && RaceDrift < 1)) throw new ArgumentOutOfRangeException(nameof(RaceDrift), RaceDrift, "must lie in [0, 1)");
        if (!(RaceDiscount > 0 && RaceDiscount <= 1)) throw new ArgumentOutOfRangeException(nameof(RaceDiscount), RaceDiscount, "must lie in (0, 1]");
        if (!(ModelNoise >= 0) || !(TasteStrength >= 0)) throw new ArgumentOutOfRangeException(nameof(ModelNoise), "noise and strength must be non-negative");
    }
}
