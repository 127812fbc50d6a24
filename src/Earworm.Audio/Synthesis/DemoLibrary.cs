using System.Collections.Concurrent;
using System.Globalization;
using Earworm.Audio.Media;

namespace Earworm.Audio.Synthesis;

/// <summary>
/// The small library <c>earworm demo</c> writes: seven styles × three tracks of 10–14 seconds,
/// about four minutes of audio, in mp3, ogg, flac and wav by turns. Titles, artists and albums
/// are invented; one folder has a space and one title a non-ASCII letter, so Unicode paths are
/// exercised end to end. Writing is incremental: a file whose manifest entry still matches is kept.
/// </summary>
public static class DemoLibrary
{
    /// <summary>Samples per second the demo files are rendered at.</summary>
    public const int SampleRate = 44100;

    /// <summary>Bump when the synthesiser's output changes, so existing demo files are re-rendered.</summary>
    public const int GeneratorVersion = 2; // 2: the style's words in the comment

    /// <summary>Name of the manifest written into the library folder.</summary>
    public const string ManifestFileName = "demo-manifest.json";

    /// <summary>Containers, assigned to tracks in turn.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["mp3", "ogg", "flac", "wav"];

    private sealed record Album(SynthStyle Style, string Folder, string TitleStem, string Artist, string Name,
        double[] TemposBpm, int[] Tonics, double[] DurationsSeconds);

    // Tempos vary a little around each style's typical one; tonics differ per track; every track in
    // the style's typical mode, which is what each style renders most clearly.
    private static readonly Album[] Albums =
    [
        new(SynthStyle.House, "house", "House", "Nightbus Collective", "Warehouse Hours", [122, 124, 126], [9, 5, 2], [12, 11, 13]),
        new(SynthStyle.PianoBallad, "piano ballad", "Ballade für Klavier", "Clara Weiß", "Stille Stücke", [66, 70, 74], [0, 7, 3], [13, 12, 14]),
        new(SynthStyle.DrumAndBass, "drum and bass", "Drum and Bass", "Subterrane", "Rollers", [170, 172, 174], [5, 4, 7], [11, 12, 10]),
        new(SynthStyle.AmbientPad, "ambient", "Ambient", "Hollow Meridian", "Slow Weather", [56, 60, 64], [2, 9, 6], [14, 13, 12]),
        new(SynthStyle.Rock, "rock", "Rock", "The Loud Neighbours", "Garage Hours", [132, 140, 148], [4, 9, 11], [11, 12, 10]),
        new(SynthStyle.Waltz, "waltz", "Waltz", "Orchestre du Dimanche", "Café Valses", [84, 90, 96], [5, 10, 2], [12, 13, 11]),
        new(SynthStyle.Chiptune, "chiptune", "Chiptune", "Bit Pilot", "Cartridge", [140, 150, 160], [0, 7, 9], [10, 12, 11]),
    ];

    /// <summary>Every demo track, album by album.</summary>
    public static IReadOnlyList<DemoTrack> Tracks { get; } = Build();

    /// <summary>
    /// Renders every demo track and encodes it under <paramref name="directory"/>, with title,
    /// artist, album, genre and track-number tags, then writes <see cref="ManifestFileName"/>.
    /// Files whose manifest entry (and generator version and sample rate) still match, and which
    /// exist, are kept without rendering, so a second run is quick. Tracks render in parallel, at
    /// most one per processor. If a track fails, the manifest still records those that were
    /// written, and the error propagates.
    /// </summary>
    /// <param name="directory">Library folder; created if missing.</param>
    /// <param name="encoder">Writes each file; its extension picks the container.</param>
    /// <param name="progress">Receives the number of tracks finished (written or kept) so far.</param>
    /// <param name="cancellationToken">Stops between and inside encodes.</param>
    /// <returns>The manifest written.</returns>
    public static Task<DemoManifest> WriteAsync(string directory, IAudioEncoder encoder, IProgress<int>? progress,
        CancellationToken cancellationToken) =>
        WriteAsync(directory, Tracks, SampleRate, encoder, progress, cancellationToken);

    /// <summary>As the public overload, for any list of tracks and sample rate (tests use short lists
    /// at low rates).</summary>
    internal static async Task<DemoManifest> WriteAsync(string directory, IReadOnlyList<DemoTrack> tracks, int sampleRate,
        IAudioEncoder encoder, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(encoder);
        Directory.CreateDirectory(directory);
        string manifestPath = Path.Combine(directory, ManifestFileName);

        var previous = await DemoManifest.ReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        var previousEntries = previous is not null && previous.GeneratorVersion == GeneratorVersion && previous.SampleRate == sampleRate
            ? previous.Tracks.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : [];

        var current = new ConcurrentDictionary<string, DemoManifestEntry>(StringComparer.Ordinal);
        var toRender = new List<DemoTrack>();
        int finished = 0;
        foreach (var track in tracks)
        {
            var entry = DemoManifestEntry.Of(track);
            var file = new FileInfo(FullPath(directory, track));
            if (previousEntries.TryGetValue(track.RelativePath, out var old) && old == entry && file.Exists && file.Length > 0)
            {
                current[track.RelativePath] = entry;
                progress?.Report(++finished);
            }
            else
            {
                toRender.Add(track);
            }
        }

        var options = new ParallelOptions
        {
            MaxDegreeOfParallelism = Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        try
        {
            await Parallel.ForEachAsync(toRender, options, async (track, ct) =>
            {
                string path = FullPath(directory, track);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var rendered = Synthesizer.Render(track.Spec, sampleRate);
                await encoder.EncodeAsync(rendered.Samples, rendered.SampleRate, rendered.Channels, path, Tags(track), ct)
                    .ConfigureAwait(false);
                current[track.RelativePath] = DemoManifestEntry.Of(track);
                progress?.Report(Interlocked.Increment(ref finished));
            }).ConfigureAwait(false);
        }
        finally
        {
            // Record what is on disk even when a track failed or the run was cancelled, so the next
            // run redoes only the rest.
            var written = new DemoManifest(GeneratorVersion, sampleRate,
                [.. tracks.Where(t => current.ContainsKey(t.RelativePath)).Select(t => current[t.RelativePath])]);
            await written.WriteAsync(manifestPath, CancellationToken.None).ConfigureAwait(false);
        }
        return new DemoManifest(GeneratorVersion, sampleRate, [.. tracks.Select(t => current[t.RelativePath])]);
    }

    /// <summary>The container tags a demo track is encoded with.</summary>
    public static IReadOnlyDictionary<string, string> Tags(DemoTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        var s = track.Spec;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["title"] = s.Title,
            ["artist"] = s.Artist,
            ["album"] = s.Album,
            ["genre"] = s.Genre,
            ["track"] = track.TrackNumber.ToString(CultureInfo.InvariantCulture),
            // keywords in the comment, the one free field every demo container keeps (WAV's INFO has no style or mood;
            // Vorbis comments write it as DESCRIPTION, so nothing else may claim that field)
            ["comment"] = string.Join(", ", StyleProfile.Of(s.Style).Tags),
        };
    }

    private static string FullPath(string directory, DemoTrack track) =>
        Path.Combine(directory, track.RelativePath.Replace('/', Path.DirectorySeparatorChar));

    private static DemoTrack[] Build()
    {
        var tracks = new List<DemoTrack>();
        for (int a = 0; a < Albums.Length; a++)
        {
            var album = Albums[a];
            var profile = StyleProfile.Of(album.Style);
            for (int i = 0; i < album.TemposBpm.Length; i++)
            {
                int number = i + 1;
                string format = Formats[tracks.Count % Formats.Count];
                string title = string.Create(CultureInfo.InvariantCulture, $"{album.TitleStem} No. {number}");
                var spec = new TrackSpec(album.Style, album.TemposBpm[i], album.Tonics[i], profile.TypicalMode,
                    album.DurationsSeconds[i], Seed: 1000 + 10 * a + number)
                {
                    Title = title,
                    Artist = album.Artist,
                    Album = album.Name,
                    Genre = profile.DisplayName,
                };
                string path = string.Create(CultureInfo.InvariantCulture, $"{album.Folder}/{number:00} {title}.{format}");
                tracks.Add(new DemoTrack(path, format, number, spec));
            }
        }
        return [.. tracks];
    }
}
