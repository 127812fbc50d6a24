using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.Cluster.Tests;

/// <summary>A catalog of <c>n</c> analysed tracks (distinct artists, titles and content) with random vectors in the
/// <c>audio</c> space (a seeded generator, so every run searches the same points).</summary>
public static class VectorCatalog
{
    public static List<long> Fill(ICatalog catalog, int n, int dimension, int seed)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var ids = new List<long>(n);
        var random = new Random(seed);
        // one discovery of them all: a discovery marks the files of its roots it did not find as gone
        catalog.RecordDiscovered([.. Enumerable.Range(0, n).Select(i => new FoundFile($"/lib/t{i}.mp3", 1, 1))], ["/lib"], retryFailed: false);
        for (int i = 0; i < n; i++)
        {
            var id = catalog.FindByPath($"/lib/t{i}.mp3")!.Id;
            catalog.SaveAnalysed(id, new AnalysedTrack(1, 1, "h" + id,
                new MediaInfo { Container = "mp3", Codec = "mp3", Artist = $"Artist {i}", Title = $"Title {i}", DurationSeconds = 200 }, 1, 1, 1, null),
                new TrackDescriptors
                {
                    DurationSeconds = 200, SampleRateHz = 22050, IsSilent = false, TempoBpm = 80 + i % 80, Energy = i % 10 / 10.0,
                    MfccMeans = Enumerable.Range(0, 13).Select(k => (double)((k + i) % 5)).ToList(),
                    MfccStandardDeviations = Enumerable.Repeat(1.0, 13).ToList(),
                });
            ids.Add(id);
        }
        var model = catalog.SaveModel("audio", "audio-cnn", "a1", "{}", "d", null, null);
        catalog.SaveTrackVectors("audio", model.Id, ids.Select(id => (id, Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())).ToList());
        return ids;
    }
}
