using Earworm.Learning.Projection;

namespace Earworm.Learning.Tests.Projection;

public sealed class NeighbourLabelsTests
{
    [Fact]
    public void Precision_counts_same_label_neighbours_among_the_labelled_ones()
    {
        // tracks 0–2 are "a", 3 is "b", 4 has no label
        string?[] labels = ["a", "a", "a", "b", null];
        IReadOnlyList<int>[] neighbours =
        [
            [4, 1, 3, 2], // unlabelled 4 skipped: 1 (a), 3 (b) → 1/2
            [0, 2, 3, 4], // a, a → 2/2
            [3, 0, 1, 4], // b, a → 1/2
            [0, 1, 2, 4], // a, a → 0/2
            [0, 1, 2, 3], // not a query
        ];
        Assert.Equal((0.5 + 1 + 0.5 + 0) / 4, NeighbourLabels.Precision(neighbours, labels, k: 2), 12);
    }

    [Fact]
    public void Expected_is_the_share_of_other_tracks_with_the_same_label()
    {
        string?[] labels = ["a", "a", "a", "b", "", null];
        // a: 2 of 3 others, three times; b: 0 of 3
        Assert.Equal((3 * (2 / 3.0) + 0) / 4, NeighbourLabels.Expected(labels), 12);
        Assert.True(double.IsNaN(NeighbourLabels.Expected(["a", null])));
    }

    [Fact]
    public void Cosine_neighbours_ignore_length_and_leave_out_the_track_itself()
    {
        float[][] rows = [[1, 0], [10, 1], [0, 1], [-1, 0]];
        var n = NeighbourLabels.CosineNeighbours(rows, count: 3);
        Assert.Equal([1, 2, 3], n[0]);
        Assert.Equal([0, 2, 3], n[1]);
        Assert.Equal([1, 0, 3], n[2]);
        Assert.Equal(2, NeighbourLabels.CosineNeighbours(rows, count: 2)[3].Count);
    }

    [Fact]
    public void A_space_that_groups_labels_scores_one_and_random_scores_near_the_expectation()
    {
        var rng = new Random(3);
        var labels = Enumerable.Range(0, 120).Select(i => (string?)$"g{i % 4}").ToList();
        var grouped = labels.Select(l => Enumerable.Range(0, 4).Select(d => d == l![1] - '0' ? 1f : 0f).Select(v => v + (float)(0.01 * rng.NextDouble())).ToArray()).ToList();
        Assert.Equal(1.0, NeighbourLabels.Precision(NeighbourLabels.CosineNeighbours(grouped, 10), labels, 10), 12);
        var noise = labels.Select(_ => Enumerable.Range(0, 8).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray()).ToList();
        double p = NeighbourLabels.Precision(NeighbourLabels.CosineNeighbours(noise, 10), labels, 10);
        Assert.InRange(p, NeighbourLabels.Expected(labels) - 0.06, NeighbourLabels.Expected(labels) + 0.06);
    }
}
