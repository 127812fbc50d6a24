using Earworm.Audio.Midi;

namespace Earworm.Audio.Media;

/// <summary>
/// What the MIDI renderers (<see cref="FluidSynthRenderer"/>, <see cref="TimidityRenderer"/>) share: a
/// <see cref="MidiFile"/> written beside the output for the tool and removed after, and one run of the tool through
/// <see cref="ToolProcess"/> into a temporary WAV that is moved into place only when whole.
/// </summary>
internal static class MidiToolRun
{
    /// <summary>Writes <paramref name="file"/> to a MIDI file beside <paramref name="wavPath"/>, renders it with
    /// <paramref name="render"/> and removes it.</summary>
    public static async Task ViaFileAsync(MidiFile file, string wavPath, Func<string, Task> render)
    {
        ArgumentNullException.ThrowIfNull(file);
        var midiPath = wavPath + ".mid.tmp";
        MidiWriter.WriteFile(file, midiPath);
        try
        {
            await render(midiPath).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(midiPath);
        }
    }

    /// <summary>What every renderer asks of its input first: both paths given, and a Standard MIDI File at
    /// <paramref name="midiPath"/>.</summary>
    /// <exception cref="MidiRenderException">no file there, or not a MIDI file.</exception>
    public static void CheckMidiFile(string midiPath, string wavPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(midiPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(wavPath);
        if (!File.Exists(midiPath)) throw new MidiRenderException(midiPath, null, "no such file");
        if (!StartsWith(midiPath, "MThd"u8)) throw new MidiRenderException(midiPath, null, "not a Standard MIDI File (no MThd header)");
    }

    /// <summary>Runs <paramref name="executable"/> with <paramref name="arguments"/> of the temporary WAV, then checks
    /// what it wrote (a canonical header and more; <paramref name="check"/>, if any, may throw) and moves it to
    /// <paramref name="wavPath"/>.</summary>
    /// <param name="tool">the tool's name in the errors (<c>fluidsynth</c>, <c>timidity</c>).</param>
    /// <exception cref="MidiRenderException">the tool failed, timed out or wrote no audio.</exception>
    public static async Task RunAsync(string tool, string executable, Func<string, IReadOnlyList<string>> arguments, string midiPath,
        string wavPath, TimeSpan timeout, Action<string>? check, CancellationToken cancellationToken)
    {
        var temporary = wavPath + ".tmp.wav";
        File.Delete(temporary);
        try
        {
            await using (var process = ToolProcess.Start(executable, arguments(temporary), redirectInput: false, timeout, cancellationToken))
            {
                // the tools write nothing useful to stdout in this mode; drain it so it never blocks
                var drain = process.StandardOutput.CopyToAsync(Stream.Null, process.Token);
                int exitCode;
                try
                {
                    exitCode = await process.WaitAsync(cancellationToken).ConfigureAwait(false);
                    await drain.ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw new MidiRenderException(midiPath, null, $"{tool} took longer than {timeout.TotalSeconds:0} s and was stopped");
                }
                if (exitCode != 0)
                    throw new MidiRenderException(midiPath, exitCode, $"{tool} exited with code {exitCode}: {ToolProcess.Tail(process.StderrTail)}");
            }
            if (!File.Exists(temporary) || new FileInfo(temporary).Length <= 44)
                throw new MidiRenderException(midiPath, 0, $"{tool} wrote no audio");
            check?.Invoke(temporary);
            File.Move(temporary, wavPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>True when the file at <paramref name="path"/> holds <paramref name="magic"/> at <paramref name="offset"/>.</summary>
    public static bool StartsWith(string path, ReadOnlySpan<byte> magic, int offset = 0)
    {
        Span<byte> head = stackalloc byte[offset + magic.Length];
        using var f = File.OpenRead(path);
        return f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head[offset..].SequenceEqual(magic);
    }
}
