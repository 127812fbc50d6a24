using System.Text.Json;
using System.Text.Json.Serialization;

namespace Earworm.Audio.Synthesis;

/// <summary>
/// What a demo folder holds, written next to the files as demo-manifest.json: the ground truth
/// (tempo, key, style) of every file, and what it takes to know a file is current (the spec, the
/// sample rate and the generator version). A file whose entry matches is not rendered again.
/// </summary>
/// <param name="GeneratorVersion">Version of the synthesiser that rendered the files.</param>
/// <param name="SampleRate">Samples per second the files were rendered at.</param>
/// <param name="Tracks">One entry per file, in library order.</param>
public sealed record DemoManifest(int GeneratorVersion, int SampleRate, IReadOnlyList<DemoManifestEntry> Tracks)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Reads a manifest; null when the file is missing or is not a readable manifest (then
    /// every track is simply rendered again).</summary>
    public static async Task<DemoManifest?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            var manifest = await JsonSerializer.DeserializeAsync<DemoManifest>(stream, Json, cancellationToken).ConfigureAwait(false);
            return manifest?.Tracks is null ? null : manifest;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the manifest atomically: to a temporary file, then renamed over
    /// <paramref name="path"/>, so a crash never leaves half a manifest.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        string temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
            await JsonSerializer.SerializeAsync(stream, this, Json, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>One file of the demo library and its ground truth.</summary>
/// <param name="Path">Relative path with '/' separators.</param>
/// <param name="Format">mp3, ogg, flac or wav.</param>
/// <param name="Title">Title tag.</param>
/// <param name="Artist">Artist tag.</param>
/// <param name="Album">Album tag.</param>
/// <param name="Genre">Genre tag.</param>
/// <param name="TrackNumber">Track-number tag.</param>
/// <param name="Style">Style it was rendered in.</param>
/// <param name="TempoBpm">True tempo, beats per minute.</param>
/// <param name="Tonic">Pitch class of the key's tonic (C = 0).</param>
/// <param name="Mode">Major or minor.</param>
/// <param name="Key">Key name, e.g. "A minor".</param>
/// <param name="DurationSeconds">Length, seconds.</param>
/// <param name="Seed">Seed it was rendered from.</param>
public sealed record DemoManifestEntry(
    string Path,
    string Format,
    string Title,
    string Artist,
    string Album,
    string Genre,
    int TrackNumber,
    SynthStyle Style,
    double TempoBpm,
    int Tonic,
    Mode Mode,
    string Key,
    double DurationSeconds,
    int Seed)
{
    /// <summary>The entry describing <paramref name="track"/>.</summary>
    public static DemoManifestEntry Of(DemoTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        var s = track.Spec;
        return new DemoManifestEntry(track.RelativePath, track.Format, s.Title, s.Artist, s.Album, s.Genre, track.TrackNumber,
            s.Style, s.TempoBpm, s.Tonic, s.Mode, s.KeyName, s.DurationSeconds, s.Seed);
    }
}
