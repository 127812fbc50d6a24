using Earworm.Audio.Excerpts;
using Earworm.Catalog.Scanning;

namespace Earworm.Catalog.Tests.Scanning;

public class WindowCollectorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void CollectsExactlyTheWindowsWhateverTheChunking(int chunk)
    {
        var signal = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
        var c = new WindowCollector([new ExcerptWindow(10, 5), new ExcerptWindow(500, 100), new ExcerptWindow(990, 10)]);
        for (int i = 0; i < signal.Length; i += chunk) c.Push(signal.AsSpan(i, Math.Min(chunk, signal.Length - i)));
        var got = c.Collected().ToList();
        Assert.Equal(3, got.Count);
        Assert.Equal([10f, 11, 12, 13, 14], got[0].Samples);
        Assert.Equal(Enumerable.Range(500, 100).Select(i => (float)i), got[1].Samples);
        Assert.Equal(Enumerable.Range(990, 10).Select(i => (float)i), got[2].Samples);
        Assert.Equal(1000, c.SamplesSeen);
    }

    [Fact]
    public void AStreamThatEndsEarlyGivesShortOrNoWindows()
    {
        var c = new WindowCollector([new ExcerptWindow(0, 10), new ExcerptWindow(50, 10)]);
        c.Push(new float[55]);
        var got = c.Collected().ToList();
        Assert.Equal(10, got[0].Samples.Length);
        Assert.Equal(5, got[1].Samples.Length);
        var none = new WindowCollector([new ExcerptWindow(100, 10)]);
        none.Push(new float[50]);
        Assert.Empty(none.Collected());
    }
}
