using Earworm.Learning;

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

    /// <summary>A seed for (run seed, user) that is the same in every process (unlike HashCode.Combine).</summary>
    internal static int Mix(int seed, int user)
    {
        // SplitMix64's finaliser over the pair
        ulong z = ((ulong)(uint)seed << 32 | (uint)user) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }
}
