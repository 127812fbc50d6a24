using Earworm.Audio.Media;
using Earworm.Audio.Midi;
using Earworm.Audio.Synthesis;
using Earworm.Testing;

namespace Earworm.Audio.Tests.Midi;

/// <summary>The TiMidity edge: arguments, the patch set's programs, errors and time limits against a stand-in program
/// (a shell script), and one real rendering where TiMidity and FreePats are installed.</summary>
public class TimidityRendererTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    // A configuration with two melodic patches in bank 0 and a drum set, and a real MIDI file.
    private (string Config, string Midi) Inputs()
    {
        var config = Path.Combine(_dir.Path, "patches.cfg");
        File.WriteAllText(config, "dir /usr/share/midi/freepats\nbank 0\n 0 Tone_000/000_Acoustic_Grand_Piano.pat # piano\n\n 33 Tone_000/033_Finger_Bass.pat\n" +
                                  "drumset 0\n 36 Drum_000/036_Kick.pat\nbank 1\n 5 Tone_001/005.pat\n");
        var midi = Path.Combine(_dir.Path, "in put.mid");
        MidiWriter.WriteFile(new MidiScore().Tempo(0, 120).Note(0, 60, 0, 1, 100).ToMidiFile(), midi);
        return (config, midi);
    }

    // A stand-in for timidity: records its arguments one per line, then runs BODY ($OUT is the path after -o).
    private string Tool(string body)
    {
        var path = Path.Combine(_dir.Path, "fake-timidity");
        File.WriteAllText(path, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > \"{_dir.Path}/args.txt\"\nOUT=\"\"\nprev=\"\"\n" +
                                "for a in \"$@\"; do [ \"$prev\" = \"-o\" ] && OUT=\"$a\"; prev=\"$a\"; done\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private const string WriteTone = "head -c 44 /dev/zero > \"$OUT\"; printf 'abcd' >> \"$OUT\"";

    [Fact]
    public async Task ArgumentsGoAsAListAndTheWavIsMovedIntoPlace()
    {
        var (config, midi) = Inputs();
        var renderer = new TimidityRenderer(Tool(WriteTone), new TimidityOptions { ConfigPath = config, SampleRate = 22050, Gain = 0.25, Effects = false });
        var wav = Path.Combine(_dir.Path, "out.wav");
        await renderer.RenderAsync(midi, wav, CancellationToken.None);
        Assert.Equal(48, new FileInfo(wav).Length);
        var args = File.ReadAllLines(Path.Combine(_dir.Path, "args.txt"));
        Assert.Equal(["-c", config, "-idq", "--preserve-silence", "-Ow", "-s", "22050", "-A", "35", "-o", wav + ".tmp.wav", "-EFreverb=d", "-EFchorus=d", midi], args);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp.wav"));
    }

    [Fact]
    public void APatchSetsMelodicProgramsAreBankZerosOnly()
    {
        var (config, _) = Inputs();
        Assert.Equal(new HashSet<int> { 0, 33 }, TimidityRenderer.Programs(config));
        var drumsOnly = Path.Combine(_dir.Path, "drums.cfg");
        File.WriteAllText(drumsOnly, "drumset 0\n 36 Drum_000/036_Kick.pat\n");
        Assert.Throws<InvalidDataException>(() => TimidityRenderer.Programs(drumsOnly));
    }

    [Fact]
    public async Task FailuresTimeoutsAndMissingInputsAreTypedErrors()
    {
        var (config, midi) = Inputs();
        var wav = Path.Combine(_dir.Path, "out.wav");
        var failing = new TimidityRenderer(Tool("echo 'timidity: broken patch' >&2; exit 3"), new TimidityOptions { ConfigPath = config });
        var e = await Assert.ThrowsAsync<MidiRenderException>(() => failing.RenderAsync(midi, wav, CancellationToken.None));
        Assert.Equal(3, e.ExitCode);
        Assert.Contains("broken patch", e.Reason);

        var mute = new TimidityRenderer(Tool("exit 0"), new TimidityOptions { ConfigPath = config });
        Assert.Contains("no audio", (await Assert.ThrowsAsync<MidiRenderException>(() => mute.RenderAsync(midi, wav, CancellationToken.None))).Reason);

        var slow = new TimidityRenderer(Tool("sleep 30"), new TimidityOptions { ConfigPath = config, Timeout = TimeSpan.FromMilliseconds(300) });
        Assert.Contains("longer than", (await Assert.ThrowsAsync<MidiRenderException>(() => slow.RenderAsync(midi, wav, CancellationToken.None))).Reason);
        // cancelled long before its time is up (the same 300 ms for both raced: a loaded machine saw the timeout first)
        var patient = new TimidityRenderer(Tool("sleep 30"), new TimidityOptions { ConfigPath = config, Timeout = TimeSpan.FromSeconds(60) });
        using (var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.RenderAsync(midi, wav, cancelled.Token));
        Assert.False(File.Exists(wav));

        File.Delete(Path.Combine(_dir.Path, "args.txt"));
        var notMidi = Path.Combine(_dir.Path, "text.mid");
        File.WriteAllText(notMidi, "hello");
        var renderer = new TimidityRenderer(Tool(WriteTone), new TimidityOptions { ConfigPath = config });
        Assert.Contains("MThd", (await Assert.ThrowsAsync<MidiRenderException>(() => renderer.RenderAsync(notMidi, wav, CancellationToken.None))).Reason);
        var noConfig = new TimidityRenderer(Tool(WriteTone), new TimidityOptions { ConfigPath = Path.Combine(_dir.Path, "none.cfg") });
        Assert.Contains("not found", (await Assert.ThrowsAsync<MidiRenderException>(() => noConfig.RenderAsync(midi, wav, CancellationToken.None))).Reason);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "args.txt")));
        Assert.Throws<ArgumentException>(() => new TimidityOptions { SampleRate = 100 }.Validate());
    }

    [Fact]
    public async Task TimidityRendersAGrooveWhereItIsInstalled()
    {
        TimidityRenderer renderer;
        try
        {
            renderer = TimidityRenderer.Locate(new TimidityOptions { SampleRate = 22050 });
        }
        catch (PrerequisiteMissingException)
        {
            return;   // TiMidity is optional: only the autotagger's training corpus needs it (test.sh does not install it)
        }
        var wav = Path.Combine(_dir.Path, "groove.wav");
        await renderer.RenderAsync(GrooveWriter.Write(new GrooveSpec(Feel.Shuffle, 120, 0, Mode.Major, 4, 1)), wav, CancellationToken.None);
        Assert.True(new FileInfo(wav).Length > 22050 * 4 * 3, "about four seconds of 16-bit stereo");
    }
}
