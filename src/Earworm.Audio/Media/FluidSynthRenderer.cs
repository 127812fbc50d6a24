using Earworm.Audio.Midi;

namespace Earworm.Audio.Media;

/// <summary>How <see cref="FluidSynthRenderer"/> renders MIDI.</summary>
public sealed record FluidSynthOptions
{
    /// <summary>The General MIDI soundfont (.sf2, or .sf3 where FluidSynth reads them); null: the first of
    /// <see cref="FluidSynthRenderer.KnownSoundFonts"/> that exists.</summary>
    public string? SoundFontPath { get; init; }

    /// <summary>Output sample rate, Hz. Default 44 100.</summary>
    public int SampleRate { get; init; } = 44100;

    /// <summary>FluidSynth's master gain (its -g), 0..10. Default 0.5: a full General MIDI band stays
    /// clear of clipping; FluidSynth's own default of 0.2 renders most files 8 dB quieter.</summary>
    public double Gain { get; init; } = 0.5;

    /// <summary>Reverb and chorus as the soundfont and the file ask for them. Default on.</summary>
    public bool Effects { get; init; } = true;

    /// <summary>Longest a rendering may take. Default 10 minutes (FluidSynth renders an hour of
    /// music in well under one on one core).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (SampleRate is < 8000 or > 192000) throw new ArgumentException($"SampleRate must lie in 8000..192000 Hz, got {SampleRate}.");
        if (!(Gain is >= 0 and <= 10)) throw new ArgumentException($"Gain must lie in 0..10, got {Gain}.");
        if (!(Timeout > TimeSpan.Zero)) throw new ArgumentException($"Timeout must be positive, got {Timeout}.");
    }
}

/// <summary>FluidSynth could not render a MIDI file: names it, FluidSynth's exit code (null when it did
/// not exit by itself) and why (the tail of its stderr, or Earworm's own diagnosis).</summary>
public sealed class MidiRenderException(string path, int? exitCode, string reason) : EarwormException($"{path}: {reason}")
{
    /// <summary>The MIDI file.</summary>
    public string FilePath { get; } = path;

    /// <summary>FluidSynth's exit code; null when it was stopped or never ran.</summary>
    public int? ExitCode { get; } = exitCode;

    /// <summary>Why, in a line or a few.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// Renders MIDI files to WAV with FluidSynth (a SoundFont synthesiser; Debian's <c>fluidsynth</c>) in
/// its fast, file-only mode: <c>fluidsynth -n -i -q -F OUT.wav -T wav -O s16 -r RATE -g GAIN SOUNDFONT FILE.mid</c>,
/// arguments passed as a list, stderr kept, a time limit, cancellation. Output is 16-bit stereo
/// PCM, written to a temporary file and moved into place only when complete.
/// </summary>
/// <remarks>
/// FluidSynth says little when things go wrong: given a soundfont that does not exist it renders
/// silence and exits 0, given a file that is not MIDI it exits 255. So the inputs are checked first
/// (a soundfont is a RIFF <c>sfbk</c> file, a MIDI file starts <c>MThd</c>), and a rendering that is
/// all zeros is an error too. Thread-safe: each call runs its own process.
/// </remarks>
public sealed class FluidSynthRenderer
{
    /// <summary>What to install when FluidSynth or a soundfont is missing.</summary>
    public const string InstallHint = "FluidSynth and a General MIDI soundfont are needed: install them with `sudo apt-get install -y fluidsynth timgm6mb-soundfont` (Debian/Ubuntu)";

    /// <summary>Where Debian's General MIDI soundfonts live, in order of preference: Debian's
    /// alternative (the best installed), FluidR3, MuseScore General, TimGM6mb.</summary>
    public static IReadOnlyList<string> KnownSoundFonts { get; } =
    [
        "/usr/share/sounds/sf2/default-GM.sf2",
        "/usr/share/sounds/sf2/FluidR3_GM.sf2",
        "/usr/share/sounds/sf3/MuseScore_General.sf3",
        "/usr/share/sounds/sf2/MuseScore_General.sf2",
        "/usr/share/sounds/sf2/TimGM6mb.sf2",
    ];

    private readonly FluidSynthOptions _options;

    /// <summary>A renderer running <paramref name="executablePath"/> with <paramref name="options"/>
    /// (whose soundfont must be set).</summary>
    public FluidSynthRenderer(string executablePath, FluidSynthOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executablePath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.SoundFontPath is null) throw new ArgumentException("The options name no soundfont; use Locate to find one.", nameof(options));
        ExecutablePath = executablePath;
        _options = options;
    }

    /// <summary>FluidSynth's executable.</summary>
    public string ExecutablePath { get; }

    /// <summary>The soundfont every rendering uses, symbolic links resolved.</summary>
    public string SoundFontPath => ResolveLinks(_options.SoundFontPath!);

    /// <summary>The options in use.</summary>
    public FluidSynthOptions Options => _options;

    /// <summary>FluidSynth on PATH, with the options' soundfont or the first known one that exists.</summary>
    /// <exception cref="PrerequisiteMissingException">FluidSynth or every soundfont is missing.</exception>
    public static FluidSynthRenderer Locate(FluidSynthOptions? options = null)
    {
        options ??= new FluidSynthOptions();
        var exe = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "fluidsynth")).FirstOrDefault(File.Exists)
            ?? throw new PrerequisiteMissingException(InstallHint);
        var soundFont = options.SoundFontPath ?? KnownSoundFonts.FirstOrDefault(File.Exists)
            ?? throw new PrerequisiteMissingException(InstallHint);
        if (!File.Exists(soundFont)) throw new PrerequisiteMissingException($"soundfont {soundFont} not found; {InstallHint}");
        return new FluidSynthRenderer(exe, options with { SoundFontPath = soundFont });
    }

    /// <summary>The argument list of one rendering (without the executable).</summary>
    public IReadOnlyList<string> Arguments(string midiPath, string wavPath)
    {
        var args = new List<string> { "-n", "-i", "-q", "-F", wavPath, "-T", "wav", "-O", "s16",
            "-r", _options.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-g", _options.Gain.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) };
        if (!_options.Effects) args.AddRange(["-R", "0", "-C", "0"]);
        args.Add(_options.SoundFontPath!);
        args.Add(midiPath);
        return args;
    }

    /// <summary>Renders <paramref name="file"/> to <paramref name="wavPath"/> (through a MIDI file beside it, removed after).</summary>
    public async Task RenderAsync(MidiFile file, string wavPath, CancellationToken cancellationToken) =>
        await MidiToolRun.ViaFileAsync(file, wavPath, midiPath => RenderAsync(midiPath, wavPath, cancellationToken)).ConfigureAwait(false);

    /// <summary>Renders the MIDI file at <paramref name="midiPath"/> to a WAV file at <paramref name="wavPath"/>.</summary>
    /// <exception cref="MidiRenderException">the inputs are not what FluidSynth needs, it failed, timed
    /// out, or rendered only silence.</exception>
    /// <exception cref="OperationCanceledException">the caller cancelled.</exception>
    public async Task RenderAsync(string midiPath, string wavPath, CancellationToken cancellationToken)
    {
        MidiToolRun.CheckMidiFile(midiPath, wavPath);
        CheckSoundFont(midiPath);
        await MidiToolRun.RunAsync("fluidsynth", ExecutablePath, temporary => Arguments(midiPath, temporary), midiPath, wavPath, _options.SampleRate, _options.Timeout,
            temporary =>
            {
                if (IsSilent(temporary))
                    throw new MidiRenderException(midiPath, 0, $"fluidsynth rendered only silence (does {_options.SoundFontPath} hold General MIDI instruments?)");
            }, cancellationToken).ConfigureAwait(false);
    }

    private void CheckSoundFont(string midiPath)
    {
        var soundFont = _options.SoundFontPath!;
        if (!File.Exists(soundFont)) throw new MidiRenderException(midiPath, null, $"soundfont {soundFont} not found; {InstallHint}");
        if (!MidiToolRun.StartsWith(soundFont, "RIFF"u8) || !MidiToolRun.StartsWith(soundFont, "sfbk"u8, 8))
            throw new MidiRenderException(midiPath, null, $"{soundFont} is not a SoundFont (no RIFF sfbk header)");
    }

    // True when every byte after the 44-byte canonical header is zero (16-bit PCM silence).
    private static bool IsSilent(string wavPath)
    {
        using var f = File.OpenRead(wavPath);
        f.Seek(44, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = f.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, n).ContainsAnyExcept((byte)0)) return false;
        }
        return true;
    }

    private static string ResolveLinks(string path)
    {
        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName ?? Path.GetFullPath(path);
    }
}
