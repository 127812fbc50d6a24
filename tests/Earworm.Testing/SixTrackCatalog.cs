using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;

namespace Earworm.Testing;

/// <summary>A small catalog the space and service tests share: six analysed tracks (descriptors, tempo 90 + 10·i,
/// energy 0.1·i, artist "Artist i", title "Title i"), five of them with an audio vector on an arc (cos 0.3·i, sin 0.3·i, 0),
/// so a walk from the first to the fifth passes them in order.</summary>
public static class SixTrackCatalog
{
    /// <summary>Fills <paramref name="catalog"/>; returns the track ids in order.</summary>
    public static List<long> Fill(ICatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var ids = new List<long>();
        for (int i = 0; i < 6; i++)
        {
            var path = $"/lib{i}/t{i}.mp3";
            catalog.RecordDiscovered([new FoundFile(path, 1, 1)], [Path.GetDirectoryName(path)!], retryFailed: false);
            var id = catalog.FindByPath(path)!.Id;
            catalog.SaveAnalysed(id, new AnalysedTrack(1, 1, "h" + id,
                new MediaInfo { Container = "mp3", Codec = "mp3", Artist = $"Artist {i}", Title = $"Title {i}", DurationSeconds = 200 }, 1, 1, 1, null),
                new TrackDescriptors
                {
                    DurationSeconds = 200, SampleRateHz = 22050, IsSilent = false, TempoBpm = 90 + 10 * i, Energy = 0.1 * i,
                    MfccMeans = Enumerable.Range(0, 13).Select(k => (double)((k + i) % 5)).ToList(),
                    MfccStandardDeviations = Enumerable.Repeat(1.0, 13).ToList(),
                });
            ids.Add(id);
        }
        var model = catalog.SaveModel("audio", "audio-cnn", "a1", "{}", "d", null, null);
        catalog.SaveTrackVectors("audio", model.Id, ids.Take(5).Select((id, i) => (id, new[] { MathF.Cos(i * 0.3f), MathF.Sin(i * 0.3f), 0f })));
        return ids;
    }
}
