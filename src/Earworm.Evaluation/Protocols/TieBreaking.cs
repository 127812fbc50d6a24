using Earworm.Learning;
using Earworm.Learning.Numerics;

namespace Earworm.Evaluation.Protocols;

/// <summary>Puts items with equal scores in a seeded random order (see <see cref="EvaluationOptions.BreakTiesAtRandom"/>).</summary>
internal static class TieBreaking
{
    /// <summary>The list's ids with every run of equal adjacent scores shuffled (Fisher–Yates, seeded by
    /// <paramref name="seed"/> and <paramref name="user"/>); the model's own array when there is no tie.
    /// The list is assumed best first, so equal scores are adjacent.</summary>
    public static int[] Shuffle(ScoredItems list, int seed, int user)
    {
        var scores = list.Scores;
        int[]? ids = null;
        Random? random = null;
        for (int start = 0; start < scores.Length;)
        {
            int end = start + 1;
            while (end < scores.Length && scores[end] == scores[start]) end++;
            if (end - start > 1)
            {
                ids ??= (int[])list.Ids.Clone();
                random ??= new Random(Mix(seed, user));
                for (int i = end - 1; i > start; i--)
                {
                    int j = random.Next(start, i + 1);
                    (ids[i], ids[j]) = (ids[j], ids[i]);
                }
            }
            start = end;
        }
        return ids ?? list.Ids;
    }

    /// <summary>A seed for (run seed, user) that is the same in every process.</summary>
    internal static int Mix(int seed, int user) => SeedMix.Mix(seed, user);
}
