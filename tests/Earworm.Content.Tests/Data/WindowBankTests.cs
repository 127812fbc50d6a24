using Earworm.Audio.Excerpts;
using Earworm.Content.Data;

namespace Earworm.Content.Tests.Data;

public sealed class WindowBankTests
{
    private static WindowBank Bank()
    {
        var bank = new WindowBank(2);
        // band 0: 0..9, band 1: 100..109
        var data = Enumerable.Range(0, 10).Select(i => (float)i).Concat(Enumerable.Range(100, 10).Select(i => (float)i)).ToArray();
        bank.Add(7, new ExcerptSet(22050, 512, 2, [new Excerpt(0, 10, data)]));
        return bank;
    }

    [Fact]
    public void Crops_copy_frames_per_band_and_wrap_short_windows()
    {
        var bank = Bank();
        var crop = new float[2 * 4];
        bank.Crop(0, 0, 3, 4, crop);
        Assert.Equal(new float[] { 3, 4, 5, 6, 103, 104, 105, 106 }, crop);
        var longer = new float[2 * 12];
        bank.Crop(0, 0, 0, 12, longer);
        Assert.Equal(new float[] { 0, 1 }, longer[10..12]);
        Assert.Equal([7L], bank.TrackIds);
    }

    [Fact]
    public void Tiling_covers_a_window_with_half_overlapping_crops_ending_at_its_end()
    {
        Assert.Equal([0, 86, 173, 259], WindowBank.TilingStarts(431, 172));
        Assert.Equal([0], WindowBank.TilingStarts(100, 172));
        Assert.Equal([0, 28], WindowBank.TilingStarts(200, 172));
        Assert.Equal([0, 2, 4], WindowBank.TilingStarts(8, 4));
        foreach (var (window, frames) in new[] { (431, 172), (200, 172), (1000, 172), (173, 172), (9, 4) })
        {
            var starts = WindowBank.TilingStarts(window, frames);
            Assert.Equal(0, starts[0]);
            Assert.Equal(window - frames, starts[^1]);
            for (int i = 1; i < starts.Count; i++)
                Assert.InRange(starts[i] - starts[i - 1], 1, frames); // no gap between crops
        }
    }

    [Fact]
    public void Spaced_crops_sit_in_the_middle_of_equal_parts_of_the_window()
    {
        Assert.Equal([130], WindowBank.CropStarts(431, 172, 1));
        Assert.Equal([22, 237], WindowBank.CropStarts(431, 172, 2));
        Assert.Equal([0], WindowBank.CropStarts(100, 172, 3));
        Assert.Equal(WindowBank.TilingStarts(431, 172), WindowBank.CropStarts(431, 172, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowBank.CropStarts(431, 172, 0));
    }

    [Fact]
    public void Even_windows_keep_a_spread_of_each_tracks_windows_and_subsets_share_them()
    {
        var bank = new WindowBank(1);
        bank.Add(7, new ExcerptSet(22050, 512, 1, Enumerable.Range(0, 12).Select(w => new Excerpt(w, 1, [w])).ToList()));
        bank.Add(8, new ExcerptSet(22050, 512, 1, Enumerable.Range(0, 2).Select(w => new Excerpt(w, 1, [w])).ToList()));
        var even = bank.EvenWindows(4);
        var first = new float[1];
        Assert.Equal([1f, 4, 7, 10], Enumerable.Range(0, 4).Select(w => { even.Crop(0, w, 0, 1, first); return first[0]; }));
        Assert.Equal(2, even.WindowCount(1));
        var subset = bank.Subset([1]);
        Assert.Equal([8L], subset.TrackIds);
        Assert.Equal(2, subset.WindowCount(0));
    }

    [Fact]
    public void Time_shift_repeats_the_edge_frame()
    {
        var crop = new float[] { 1, 2, 3, 4, 10, 20, 30, 40 };
        Augmentation.Shift(crop, 2, 4, 1);
        Assert.Equal(new float[] { 1, 1, 2, 3, 10, 10, 20, 30 }, crop);
        crop = [1, 2, 3, 4, 10, 20, 30, 40];
        Augmentation.Shift(crop, 2, 4, -2);
        Assert.Equal(new float[] { 3, 4, 4, 4, 30, 40, 40, 40 }, crop);
    }

    [Fact]
    public void Gain_and_equalisation_stay_within_their_bounds()
    {
        var crop = new float[4 * 5];
        var o = new AugmentationOptions { GainDb = 3, EqualisationDb = 2, TimeShiftFrames = 0 };
        Augmentation.Apply(crop, 4, 5, o, new Random(1));
        Assert.All(crop, v => Assert.InRange(v, -3 - 1 - 2 - 1e-4, 3 + 1 + 2 + 1e-4)); // gain + tilt/2·2 + bell
        Assert.Contains(crop, v => v != 0);
        for (int m = 0; m < 4; m++) Assert.All(crop.AsSpan(m * 5, 5).ToArray(), v => Assert.Equal(crop[m * 5], v)); // constant over time
    }
}
