using Earworm.Learning.Embeddings;

namespace Earworm.Learning.Sequences;

/// <summary>
/// track2vec as a next-item model: the skip-gram vectors (<see cref="Track2VecTrainer"/>) learnt from the training
/// sequences' plays, and the next item after a history is the nearest by cosine to the history's last played item that
/// has a vector (an item seen fewer than <see cref="Track2VecOptions.MinCount"/> times has none; then the one before).
/// When no item is seen that often (a handful of sequences) the model knows no item and places none.
/// </summary>
public sealed class Track2VecNextTrainer(Track2VecOptions options) : ISequenceTrainer
{
    private readonly Track2VecTrainer _inner = new(options);

    public string Name => "track2vec";

    public ISequenceModel Fit(IReadOnlyList<Sequence> sequences, int itemCount, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        foreach (var s in sequences) s.Validate(itemCount);
        var played = sequences.Select(s => s.Played()).ToList();
        var counts = new int[itemCount];
        foreach (var s in played)
            foreach (var i in s) counts[i]++;
        if (!counts.Any(c => c >= options.MinCount)) return new Model([], new bool[itemCount], options.Dimensions);
        var model = _inner.FitSequences(played, itemCount, progress, cancellationToken);
        int d = model.Dimensions;
        var unit = new float[itemCount * d];
        var has = new bool[itemCount];
        for (int i = 0; i < itemCount; i++)
        {
            if (!model.HasVector(i)) continue;
            var v = model.Vector(i);
            double norm = 0;
            foreach (var x in v) norm += x * x;
            if (norm == 0) continue;
            has[i] = true;
            float inv = (float)(1 / Math.Sqrt(norm));
            for (int j = 0; j < d; j++) unit[i * d + j] = v[j] * inv;
        }
        return new Model(unit, has, d);
    }

    private sealed class Model(float[] unit, bool[] has, int dimensions) : ISequenceModel
    {
        public string Name => "track2vec";
        public int ItemCount => has.Length;

        public void Score(ReadOnlySpan<int> history, ReadOnlySpan<bool> skipped, Span<float> scores)
        {
            scores.Fill(float.NegativeInfinity);
            for (int p = history.Length - 1; p >= 0; p--)
            {
                if ((!skipped.IsEmpty && skipped[p]) || !has[history[p]]) continue;
                var q = new ReadOnlySpan<float>(unit, history[p] * dimensions, dimensions);
                for (int i = 0; i < has.Length; i++)
                    if (has[i]) scores[i] = Numerics.Simd.Dot(q, new ReadOnlySpan<float>(unit, i * dimensions, dimensions));
                return;
            }
        }
    }
}
