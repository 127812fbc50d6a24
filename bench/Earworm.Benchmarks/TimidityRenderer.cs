using System.Diagnostics;
using System.Globalization;
using Earworm.Audio.Midi;

namespace Earworm.Benchmarks;

/// <summary>
/// Renders MIDI to WAV with TiMidity++ (Debian's <c>timidity</c>) and a patch set's configuration — FreePats
/// (<c>/etc/timidity/freepats.cfg</c>, Debian's <c>freepats</c>) is GUS patches, which FluidSynth does not read:
/// <c>timidity -c CFG -idq --preserve-silence -Ow -s RATE -A VOLUME [-EFreverb=d -EFchorus=d] -o OUT.wav FILE.mid</c>. For the autotagger's
/// corpus only (<see cref="InstrumentSet"/>): a third training timbre beside the two SoundFonts.
/// </summary>
internal sealed class TimidityRenderer(string config, int sampleRate, bool effects, double gain)
{
    /// <summary>The melodic programs (bank 0) a TiMidity configuration has patches for; TiMidity leaves the others silent.</summary>
    public static IReadOnlySet<int> Programs(string config)
    {
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

    /// <summary>Renders <paramref name="midi"/> into <paramref name="wavPath"/> (16-bit stereo PCM); the gain is
    /// FluidSynth's scale (0.5 its default), mapped onto TiMidity's volume (70 % its default).</summary>
    public async Task RenderAsync(MidiFile midi, string wavPath)
    {
        var midiPath = wavPath + ".mid.tmp";
        MidiWriter.WriteFile(midi, midiPath);
        try
        {
            var start = new ProcessStartInfo("timidity") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-c", config, "-idq", "--preserve-silence", "-Ow", "-s", sampleRate.ToString(CultureInfo.InvariantCulture),
                         "-A", Math.Round(70 * gain / 0.5).ToString(CultureInfo.InvariantCulture), "-o", wavPath })
                start.ArgumentList.Add(arg);
            if (!effects) { start.ArgumentList.Add("-EFreverb=d"); start.ArgumentList.Add("-EFchorus=d"); }
            start.ArgumentList.Add(midiPath);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("timidity did not start: apt-get install -y timidity freepats");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || !File.Exists(wavPath))
                throw new InvalidOperationException($"timidity exited with {process.ExitCode} on {midiPath}: {await error}{await output}");
        }
        finally
        {
            File.Delete(midiPath);
        }
    }
}
