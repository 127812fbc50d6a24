using Earworm.Learning;

namespace Earworm.Evaluation.Tests.Fakes;

/// <summary>The recommend contract shared by the fake models: candidates = items passing the filter and, when asked,
/// not in the user's row; best score first, ties by item index; only items scoring above <c>floor</c> are listed.</summary>
internal static class Ranking
{
    public static ScoredItems Top(float[] scores, int user, InteractionMatrix userItems, int count,
        bool excludeSeen, Func<int, bool>? filter, float floor = float.NegativeInfinity)
    {
        var ids = new List<int>();
        for (int item = 0; item < scores.Length; item++)
        {
            if (filter is not null && !filter(item)) continue;
            if (excludeSeen && userItems.Contains(user, item)) continue;
            if (scores[item] > floor) ids.Add(item);
        }
        ids.Sort((a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        var top = ids.Take(count).ToArray();
        return new ScoredItems(top, [.. top.Select(i => scores[i])]);
    }
}
