using System.Diagnostics;

namespace Earworm.Learning.Sequences;

/// <summary>Options of <see cref="SequentialRulesTrainer"/>.</summary>
public sealed record SequentialRulesOptions
{
    /// <summary>How many positions ahead a rule reaches (Ludewig &amp; Jannach's <c>steps</c>, default 10).</summary>
    public int Steps { get; init; } = 10;

    public void Validate() => ArgumentOutOfRangeException.ThrowIfLessThan(Steps, 1);
}

/// <summary>
/// Sequential rules, "SR" of Ludewig &amp; Jannach (2018, "Evaluation of session-based recommendation algorithms",
/// User Modeling and User-Adapted Interaction 28): a rule a → b is counted whenever b is played within
/// <see cref="SequentialRulesOptions.Steps"/> positions after a, weighted 1/distance; the next item after a history
/// scores the weight of the rule from the history's last played item. Skips are not plays: they neither make rules nor
/// serve as the rule's antecedent.
/// </summary>
public sealed class SequentialRulesTrainer(SequentialRulesOptions? options = null) : ISequenceTrainer
{
    private readonly SequentialRulesOptions _options = Checked(options ?? new SequentialRulesOptions());

    public string Name => "sr";

    public ISequenceModel Fit(IReadOnlyList<Sequence> sequences, int itemCount, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var clock = Stopwatch.StartNew();
        var rules = new Dictionary<int, Dictionary<int, float>>();
        foreach (var s in sequences)
        {
            cancellationToken.ThrowIfCancellationRequested();
            s.Validate(itemCount);
            var played = s.Played();
            for (int i = 0; i < played.Length; i++)
            {
                if (!rules.TryGetValue(played[i], out var to)) rules[played[i]] = to = [];
                for (int j = i + 1; j < played.Length && j - i <= _options.Steps; j++)
                    to[played[j]] = to.GetValueOrDefault(played[j]) + 1f / (j - i);
            }
        }
        // compressed rows: rule targets and weights per antecedent
        var starts = new int[itemCount + 1];
        foreach (var (from, to) in rules) starts[from + 1] = to.Count;
        for (int i = 0; i < itemCount; i++) starts[i + 1] += starts[i];
        var targets = new int[starts[itemCount]];
        var weights = new float[starts[itemCount]];
        foreach (var (from, to) in rules)
        {
            int at = starts[from];
            foreach (var (item, w) in to.OrderBy(p => p.Key))
            {
                targets[at] = item;
                weights[at++] = w;
            }
        }
        progress?.Report(new TrainingProgress(Name, 1, 1, null, clock.Elapsed));
        return new Model(starts, targets, weights);
    }

    private static SequentialRulesOptions Checked(SequentialRulesOptions o)
    {
        o.Validate();
        return o;
    }

    private sealed class Model(int[] starts, int[] targets, float[] weights) : ISequenceModel
    {
        public string Name => "sr";
        public int ItemCount => starts.Length - 1;

        public void Score(ReadOnlySpan<int> history, ReadOnlySpan<bool> skipped, Span<float> scores)
        {
            scores.Clear();
            for (int p = history.Length - 1; p >= 0; p--)
            {
                if (!skipped.IsEmpty && skipped[p]) continue;
                int from = history[p];
                for (int r = starts[from]; r < starts[from + 1]; r++) scores[targets[r]] = weights[r];
                return;
            }
        }
    }
}
