using Earworm.Content.Data;

namespace Earworm.Content.Tests.Data;

public sealed class AugmentationTests
{
    [Fact]
    public void Power_sum_matches_the_exact_level_of_two_sounds()
    {
        var rng = new Random(2);
        for (int i = 0; i < 1000; i++)
        {
            float a = (float)(rng.NextDouble() * 100 - 80), b = (float)(rng.NextDouble() * 100 - 80);
            double exact = 10 * Math.Log10(Math.Pow(10, a / 10.0) + Math.Pow(10, b / 10.0));
            Assert.Equal(exact, Augmentation.PowerSum(a, b), 0.002);
        }
        Assert.Equal(-20 + 10 * Math.Log10(2), Augmentation.PowerSum(-20, -20), 0.001);
    }

    [Fact]
    public void Mixing_a_sound_with_itself_at_the_same_level_adds_three_decibels()
    {
        var crop = Enumerable.Range(0, 12).Select(i => (float)(-40 + i)).ToArray();
        var copy = crop.ToArray();
        Augmentation.MixIn(crop, copy, belowDb: 0);
        for (int i = 0; i < crop.Length; i++) Assert.Equal(copy[i] + 3.0103, crop[i], 0.002);
        var quiet = copy.ToArray();
        Augmentation.MixIn(quiet, copy.Select(v => v + 50).ToArray(), belowDb: 60); // moved 60 dB under: inaudible
        for (int i = 0; i < crop.Length; i++) Assert.Equal(copy[i], quiet[i], 0.001);
    }

    [Fact]
    public void A_pitch_shift_of_whole_bands_moves_the_rows()
    {
        var crop = new float[] { 1, 1, 2, 2, 3, 3, 4, 4 }; // 4 bands × 2 frames
        Augmentation.PitchShift(crop, 4, 2, 1);
        Assert.Equal(new float[] { 1, 1, 1, 1, 2, 2, 3, 3 }, crop);
        crop = [1, 1, 2, 2, 3, 3, 4, 4];
        Augmentation.PitchShift(crop, 4, 2, -0.5);
        Assert.Equal(new float[] { 1.5f, 1.5f, 2.5f, 2.5f, 3.5f, 3.5f, 4, 4 }, crop);
    }

    [Fact]
    public void Stretch_resamples_time_and_keeps_a_crop_of_the_same_length()
    {
        var source = new float[] { 0, 1, 2, 3, 4, 10, 11, 12, 13, 14 }; // 2 bands × 5 frames
        var same = new float[10];
        Augmentation.Stretch(source, 5, same, 2, 5);
        Assert.Equal(source, same);
        var slower = new float[2 * 9];
        Augmentation.Stretch(source, 5, slower, 2, 9);
        Assert.Equal(new float[] { 0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f, 4 }, slower[..9]);
    }

    [Fact]
    public void SpecAugment_masks_fill_bands_and_frames_with_the_mean_and_nothing_is_done_at_zero()
    {
        var rng = new Random(4);
        var crop = Enumerable.Range(0, 8 * 10).Select(i => (float)(i % 7)).ToArray();
        var none = crop.ToArray();
        Augmentation.Apply(none, 8, 10, new AugmentationOptions { GainDb = 0, EqualisationDb = 0, TimeShiftFrames = 0 }, rng);
        Assert.Equal(crop, none);
        var masked = crop.ToArray();
        Augmentation.Apply(masked, 8, 10, new AugmentationOptions
        {
            GainDb = 0, EqualisationDb = 0, TimeShiftFrames = 0, FrequencyMasks = 1, FrequencyMaskBands = 3, TimeMasks = 1, TimeMaskFrames = 4,
        }, new Random(1));
        Assert.NotEqual(crop, masked);
        int changed = crop.Zip(masked).Count(p => p.First != p.Second);
        Assert.InRange(changed, 1, 3 * 10 + 4 * 8);
        Assert.Throws<ArgumentException>(() => new AugmentationOptions { MixProbability = 2 }.Validate());
    }
}
