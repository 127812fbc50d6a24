using Earworm.App.Library;
using Earworm.Audio.Descriptors;
using Earworm.Audio.Media;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Testing;

namespace Earworm.App.Tests;

/// <summary>A catalog file with six analysed tracks (descriptors, tempo 90 + 10·i, artist "Artist i"), five of them with
/// an audio vector on an arc (so a walk from the first to the fifth passes them in order), and the services over it.</summary>
public sealed class SmallCatalog : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SmallCatalog()
    {
        Location = new CatalogLocation(_dir.File("catalog.db"));
        using var catalog = Location.Open();
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
            Ids.Add(id);
        }
        var model = catalog.SaveModel("audio", "audio-cnn", "a1", "{}", "d", null, null);
        catalog.SaveTrackVectors("audio", model.Id, Ids.Take(5).Select((id, i) => (id, new[] { MathF.Cos(i * 0.3f), MathF.Sin(i * 0.3f), 0f })));
        Services = new EarwormServices(Location, new ServiceOptions { EmbedWithAudioModel = false });
    }

    public CatalogLocation Location { get; }

    public EarwormServices Services { get; }

    public List<long> Ids { get; } = [];

    public string File(string name) => _dir.File(name);

    public ICatalog Open() => Location.Open();

    public void Dispose()
    {
        Services.Dispose();
        _dir.Dispose();
    }
}
