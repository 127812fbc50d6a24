using System.Globalization;
using Earworm.Audio.Midi;

namespace Earworm.Audio.Media;

/// <summary>How <see cref="TimidityRenderer"/> renders MIDI.</summary>
public sealed record TimidityOptions
{
    /// <summary>The TiMidity configuration naming the patch set (<c>/etc/timidity/freepats.cfg</c>: Debian's
    /// <c>freepats</c>, GUS patches FluidSynth does not read).</summary>
    public string ConfigPath { get; init; } = TimidityRenderer.FreePats;

    /// <summary>Output sample rate, Hz. Default 44 100.</summary>
    public int SampleRate { get; init; } = 44100;

    /// <summary>The gain on FluidSynth's scale (its -g; 0.5 its default in Earworm), mapped onto TiMidity's volume
    /// (-A, 70 % its default), so a patch set and a SoundFont are rendered at comparable levels. Default 0.5.</summary>
    public double Gain { get; init; } = 0.5;

    /// <summary>Reverb and chorus as the patches and the file ask for them. Default on.</summary>
    public bool Effects { get; init; } = true;

    /// <summary>Longest a rendering may take. Default 10 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConfigPath)) throw new ArgumentException("ConfigPath must name a TiMidity configuration.");
        if (SampleRate is < 8000 or > 192000) throw new ArgumentException($"SampleRate must lie in 8000..192000 Hz, got {SampleRate}.");
        if (!(Gain is >= 0 and <= 10)) throw new ArgumentException($"Gain must lie in 0..10, got {Gain}.");
        if (!(Timeout > TimeSpan.Zero)) throw new ArgumentException($"Timeout must be positive, got {Timeout}.");
    }
}

/// <summary>
/// Renders MIDI files to WAV with TiMidity++ (Debian's <c>timidity</c>) and a patch set's configuration:
/// <c>timidity -c CFG -idq --preserve-silence -Ow -s RATE -A VOLUME -o OUT.wav [-EFreverb=d -EFchorus=d] FILE.mid</c>,
/// arguments passed as a list, stderr kept, a time limit and cancellation (<see cref="ToolProcess"/>), the WAV written
/// to a temporary file and moved into place only when complete — as <see cref="FluidSynthRenderer"/> does for SoundFonts.
/// Failures are <see cref="MidiRenderException"/>s. Thread-safe: each call runs its own process.
/// </summary>
public sealed class TimidityRenderer
{
    /// <summary>Debian's FreePats configuration.</summary>
    public const string FreePats = "/etc/timidity/freepats.cfg";

    /// <summary>What to install when TiMidity or FreePats is missing.</summary>
    public const string InstallHint = "TiMidity and a patch set are needed: install them with `sudo apt-get install -y timidity freepats` (Debian/Ubuntu)";

    private readonly TimidityOptions _options;

    /// <summary>A renderer running <paramref name="executablePath"/> with <paramref name="options"/>.</summary>
    public TimidityRenderer(string executablePath, TimidityOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executablePath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ExecutablePath = executablePath;
        _options = options;
    }

    /// <summary>TiMidity's executable.</summary>
    public string ExecutablePath { get; }

    /// <summary>The options in use.</summary>
    public TimidityOptions Options => _options;

    /// <summary>TiMidity on PATH with the options' configuration.</summary>
    /// <exception cref="PrerequisiteMissingException">TiMidity or the configuration is missing.</exception>
    public static TimidityRenderer Locate(TimidityOptions? options = null)
    {
        options ??= new TimidityOptions();
        var exe = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "timidity")).FirstOrDefault(File.Exists)
            ?? throw new PrerequisiteMissingException(InstallHint);
        if (!File.Exists(options.ConfigPath)) throw new PrerequisiteMissingException($"TiMidity configuration {options.ConfigPath} not found; {InstallHint}");
        return new TimidityRenderer(exe, options);
    }

    /// <summary>The melodic programs (bank 0) a TiMidity configuration has patches for; TiMidity leaves the others silent.</summary>
    /// <exception cref="InvalidDataException">the configuration names no melodic patch.</exception>
    public static IReadOnlySet<int> Programs(string config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(config);
        var programs = new HashSet<int>();
        bool bank0 = false;
        foreach (var raw in File.ReadLines(config))
        {
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words[0] is "bank" or "drumset") bank0 = words[0] == "bank" && words.Length > 1 && words[1] == "0";
            else if (bank0 && int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p < 128) programs.Add(p);
        }
        if (programs.Count == 0) throw new InvalidDataException($"{config}: no melodic patches (bank 0) found");
        return programs;
    }

    /// <summary>The argument list of one rendering (without the executable).</summary>
    public IReadOnlyList<string> Arguments(string midiPath, string wavPath)
    {
        var args = new List<string> { "-c", _options.ConfigPath, "-idq", "--preserve-silence", "-Ow",
            "-s", _options.SampleRate.ToString(CultureInfo.InvariantCulture),
            "-A", Math.Round(70 * _options.Gain / 0.5).ToString(CultureInfo.InvariantCulture), "-o", wavPath };
        if (!_options.Effects) args.AddRange(["-EFreverb=d", "-EFchorus=d"]);
        args.Add(midiPath);
        return args;
    }

    /// <summary>Renders <paramref name="file"/> to <paramref name="wavPath"/> (through a MIDI file beside it, removed after).</summary>
    public async Task RenderAsync(MidiFile file, string wavPath, CancellationToken cancellationToken) =>
        await MidiToolRun.ViaFileAsync(file, wavPath, midiPath => RenderAsync(midiPath, wavPath, cancellationToken)).ConfigureAwait(false);

    /// <summary>Renders the MIDI file at <paramref name="midiPath"/> to a WAV file at <paramref name="wavPath"/>.</summary>
    /// <exception cref="MidiRenderException">the MIDI file or the configuration is missing, TiMidity failed, timed out or
    /// wrote no audio.</exception>
    /// <exception cref="OperationCanceledException">the caller cancelled.</exception>
    public async Task RenderAsync(string midiPath, string wavPath, CancellationToken cancellationToken)
    {
        MidiToolRun.CheckMidiFile(midiPath, wavPath);
        if (!File.Exists(_options.ConfigPath)) throw new MidiRenderException(midiPath, null, $"TiMidity configuration {_options.ConfigPath} not found; {InstallHint}");
        await MidiToolRun.RunAsync("timidity", ExecutablePath, temporary => Arguments(midiPath, temporary), midiPath, wavPath, _options.SampleRate, _options.Timeout,
            check: null, cancellationToken).ConfigureAwait(false);
    }
}
