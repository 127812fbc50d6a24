using System.Diagnostics;

namespace Earworm.Learning.Sequences;

/// <summary>The most played items, whatever came before: the floor every sequence model must clear.</summary>
public sealed class PopularityNextTrainer : ISequenceTrainer
{
    public string Name => "pop";

    public ISequenceModel Fit(IReadOnlyList<Sequence> sequences, int itemCount, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var clock = Stopwatch.StartNew();
        var counts = new float[itemCount];
        foreach (var s in sequences)
        {
            s.Validate(itemCount);
            for (int i = 0; i < s.Length; i++)
                if (!s.IsSkipped(i)) counts[s.Items[i]]++;
        }
        progress?.Report(new TrainingProgress(Name, 1, 1, null, clock.Elapsed));
        return new Model(counts);
    }

    private sealed class Model(float[] counts) : ISequenceModel
    {
        public string Name => "pop";
        public int ItemCount => counts.Length;

        public void Score(ReadOnlySpan<int> history, ReadOnlySpan<bool> skipped, Span<float> scores) => counts.CopyTo(scores);
    }
}
