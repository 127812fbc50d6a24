using Earworm.Learning.Bandits;

namespace Earworm.Evaluation.OffPolicy;

/// <summary>One logged decision: what the logging policy could pick from (the context), what it picked, with which
/// probability, and the reward that followed (1 a play, 0 a miss or skip; values in between allowed).</summary>
public sealed record LoggedDecision(BanditContext Context, int Chosen, double Propensity, double Reward)
{
    public int ChosenItem => Context.Arms[Chosen].Item;
}
