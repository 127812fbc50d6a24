using Earworm.Audio.Media;
using Earworm.Audio.Midi;
using Earworm.Audio.Synthesis;
using Earworm.Testing;

namespace Earworm.Audio.Tests.Midi;

/// <summary>The FluidSynth edge: arguments, errors and time limits against a stand-in program (a shell
/// script), and one real rendering where FluidSynth and a soundfont are installed.</summary>
public class FluidSynthRendererTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    // A fake SoundFont (the RIFF sfbk header is all the renderer checks) and a real MIDI file.
    private (string SoundFont, string Midi) Inputs()
    {
        var sf = Path.Combine(_dir.Path, "fake.sf2");
        File.WriteAllBytes(sf, [.. "RIFF"u8, 0, 0, 0, 0, .. "sfbk"u8]);
        var midi = Path.Combine(_dir.Path, "in put.mid");
        MidiWriter.WriteFile(new MidiScore().Tempo(0, 120).Note(0, 60, 0, 1, 100).ToMidiFile(), midi);
        return (sf, midi);
    }

    // A stand-in for fluidsynth: records its arguments one per line, then runs BODY ($OUT is the -F path).
    private string Tool(string body)
    {
        var path = Path.Combine(_dir.Path, "fake-fluidsynth");
        File.WriteAllText(path, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > \"{_dir.Path}/args.txt\"\nOUT=\"$5\"\n{body}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private const string WriteTone = "head -c 44 /dev/zero > \"$OUT\"; printf 'abcd' >> \"$OUT\"";

    [Fact]
    public async Task ArgumentsGoAsAListAndTheWavIsMovedIntoPlace()
    {
        var (sf, midi) = Inputs();
        var renderer = new FluidSynthRenderer(Tool(WriteTone), new FluidSynthOptions { SoundFontPath = sf, SampleRate = 22050, Gain = 0.7, Effects = false });
        var wav = Path.Combine(_dir.Path, "out.wav");
        await renderer.RenderAsync(midi, wav, CancellationToken.None);
        Assert.Equal(48, new FileInfo(wav).Length);
        var args = File.ReadAllLines(Path.Combine(_dir.Path, "args.txt"));
        Assert.Equal(["-n", "-i", "-q", "-F", wav + ".tmp.wav", "-T", "wav", "-O", "s16", "-r", "22050", "-g", "0.7", "-R", "0", "-C", "0", sf, midi], args);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp.wav"));
    }

    [Fact]
    public async Task FailuresSilenceAndTimeoutsAreTypedErrors()
    {
        var (sf, midi) = Inputs();
        var wav = Path.Combine(_dir.Path, "out.wav");
        var failing = new FluidSynthRenderer(Tool("echo 'fluidsynth: error: broken' >&2; exit 3"), new FluidSynthOptions { SoundFontPath = sf });
        var e = await Assert.ThrowsAsync<MidiRenderException>(() => failing.RenderAsync(midi, wav, CancellationToken.None));
        Assert.Equal(3, e.ExitCode);
        Assert.Contains("broken", e.Reason);

        var silent = new FluidSynthRenderer(Tool("head -c 1000 /dev/zero > \"$OUT\""), new FluidSynthOptions { SoundFontPath = sf });
        Assert.Contains("silence", (await Assert.ThrowsAsync<MidiRenderException>(() => silent.RenderAsync(midi, wav, CancellationToken.None))).Reason);

        var slow = new FluidSynthRenderer(Tool("sleep 30"), new FluidSynthOptions { SoundFontPath = sf, Timeout = TimeSpan.FromMilliseconds(300) });
        Assert.Contains("longer than", (await Assert.ThrowsAsync<MidiRenderException>(() => slow.RenderAsync(midi, wav, CancellationToken.None))).Reason);
        Assert.False(File.Exists(wav));

        // a rendering that never ends (FluidSynth 2.3 waiting on a voice it counts active after everything is silent):
        // stopped once past the piece and a minute, long before its time limit, and cut there — 0.5 s and 60 s at
        // 8000 Hz, 16-bit stereo — with the sizes written into the header
        const string Header = @"printf 'RIFF\377\377\377\377WAVEfmt \020\000\000\000\001\000\002\000\100\037\000\000\000\175\000\000\004\000\020\000data\377\377\377\377' > ""$OUT""";
        const string Endless = @"while true; do head -c 1000000 /dev/urandom >> ""$OUT""; sleep 0.05; done";
        var endless = new FluidSynthRenderer(Tool($"{Header}; {Endless}"), new FluidSynthOptions { SoundFontPath = sf, SampleRate = 8000 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await endless.RenderAsync(midi, wav, CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"stopped after {clock.Elapsed}");
        var bytes = File.ReadAllBytes(wav);
        Assert.Equal(44 + 484_000 * 4, bytes.Length);
        Assert.Equal((36 + 484_000 * 4, 484_000 * 4), (BitConverter.ToInt32(bytes, 4), BitConverter.ToInt32(bytes, 40)));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp.wav"));
        // without a header that says where to cut, it is an error, and nothing is left behind
        File.Delete(wav);
        var headless = new FluidSynthRenderer(Tool($"head -c 44 /dev/zero > \"$OUT\"; {Endless}"), new FluidSynthOptions { SoundFontPath = sf, SampleRate = 8000 });
        var overrun = await Assert.ThrowsAsync<MidiRenderException>(() => headless.RenderAsync(midi, wav, CancellationToken.None));
        Assert.Contains("past the piece's end (0.5 s", overrun.Reason);
        Assert.False(File.Exists(wav));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp.wav"));
    }

    [Fact]
    public async Task InputsAreCheckedBeforeFluidSynthRuns()
    {
        var (sf, midi) = Inputs();
        var wav = Path.Combine(_dir.Path, "out.wav");
        var renderer = new FluidSynthRenderer(Tool(WriteTone), new FluidSynthOptions { SoundFontPath = sf });
        var notMidi = Path.Combine(_dir.Path, "text.mid");
        File.WriteAllText(notMidi, "hello");
        Assert.Contains("MThd", (await Assert.ThrowsAsync<MidiRenderException>(() => renderer.RenderAsync(notMidi, wav, CancellationToken.None))).Reason);
        var noFont = new FluidSynthRenderer(Tool(WriteTone), new FluidSynthOptions { SoundFontPath = Path.Combine(_dir.Path, "none.sf2") });
        Assert.Contains("not found", (await Assert.ThrowsAsync<MidiRenderException>(() => noFont.RenderAsync(midi, wav, CancellationToken.None))).Reason);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "args.txt")));
        Assert.Throws<ArgumentException>(() => new FluidSynthOptions { Gain = 11 }.Validate());
    }

    [Fact]
    public async Task FluidSynthRendersAGrooveWhereItIsInstalled()
    {
        FluidSynthRenderer renderer;
        try
        {
            renderer = FluidSynthRenderer.Locate(new FluidSynthOptions { SampleRate = 22050 });
        }
        catch (PrerequisiteMissingException)
        {
            return;   // FluidSynth is optional: only the benchmark sets need it (test.sh does not install it)
        }
        var wav = Path.Combine(_dir.Path, "groove.wav");
        await renderer.RenderAsync(GrooveWriter.Write(new GrooveSpec(Feel.Shuffle, 120, 0, Mode.Major, 4, 1)), wav, CancellationToken.None);
        Assert.True(new FileInfo(wav).Length > 22050 * 4 * 3, "about four seconds of 16-bit stereo");
    }
}
