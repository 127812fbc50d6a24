using System.Buffers.Binary;
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

    /// <summary>How long past a piece's last event a rendering is kept: the release of its last notes and the reverb's
    /// tail take seconds, never a minute.</summary>
    public const double TailSeconds = 60;

    /// <summary>Runs <paramref name="executable"/> with <paramref name="arguments"/> of the temporary WAV, then checks
    /// what it wrote (a canonical header and more; <paramref name="check"/>, if any, may throw) and moves it to
    /// <paramref name="wavPath"/>. A tool still writing when its WAV holds more than the piece lasts plus
    /// <see cref="TailSeconds"/> (16-bit stereo at <paramref name="sampleRate"/>) is stopped and the WAV cut there:
    /// FluidSynth 2.3 renders until it counts no voice active, and some pieces leave one it counts for hours after
    /// everything is silent (a corpus batch of 4400 s wrote 19.5 GB before the disk filled).</summary>
    /// <param name="tool">the tool's name in the errors (<c>fluidsynth</c>, <c>timidity</c>).</param>
    /// <exception cref="MidiRenderException">the tool failed, timed out or wrote no audio, or was stopped past the piece
    /// and wrote no WAV header that says where to cut.</exception>
    public static async Task RunAsync(string tool, string executable, Func<string, IReadOnlyList<string>> arguments, string midiPath,
        string wavPath, int sampleRate, TimeSpan timeout, Action<string>? check, CancellationToken cancellationToken)
    {
        var temporary = wavPath + ".tmp.wav";
        File.Delete(temporary);
        var (seconds, limit) = Limit(midiPath, sampleRate);
        try
        {
            bool stopped = false;
            using var overrun = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await using (var process = ToolProcess.Start(executable, arguments(temporary), redirectInput: false, timeout, overrun.Token))
            {
                // the tools write nothing useful to stdout in this mode; drain it so it never blocks
                var drain = process.StandardOutput.CopyToAsync(Stream.Null, process.Token);
                using var watching = new CancellationTokenSource();
                var watch = StopWhenLongerAsync(temporary, limit, overrun, watching.Token);
                int exitCode = 0;
                try
                {
                    exitCode = await process.WaitAsync(overrun.Token).ConfigureAwait(false);
                    await drain.ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw new MidiRenderException(midiPath, null, $"{tool} took longer than {timeout.TotalSeconds:0} s and was stopped");
                }
                catch (OperationCanceledException) when (overrun.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    stopped = true;
                }
                finally
                {
                    await watching.CancelAsync().ConfigureAwait(false);
                    await watch.ConfigureAwait(false);
                }
                if (exitCode != 0)
                    throw new MidiRenderException(midiPath, exitCode, $"{tool} exited with code {exitCode}: {ToolProcess.Tail(process.StderrTail)}");
            }
            if (stopped && !CutAfter(temporary, seconds + TailSeconds))
                throw new MidiRenderException(midiPath, null, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{tool} went on rendering past the piece's end ({seconds:0.#} s, and {TailSeconds:0} s for its last notes to fade) and was stopped, and what it wrote has no canonical WAV header to cut it by"));
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

    /// <summary>Cuts a PCM WAV with the canonical 44-byte header after <paramref name="seconds"/> and writes the sizes
    /// into its header (a tool stopped mid-write leaves them unset). False when the header is not canonical PCM.</summary>
    internal static bool CutAfter(string path, double seconds)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        Span<byte> header = stackalloc byte[44];
        if (f.ReadAtLeast(header, 44, throwOnEndOfStream: false) < 44 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..16].SequenceEqual("WAVEfmt "u8)
            || BinaryPrimitives.ReadInt32LittleEndian(header[16..]) != 16 || BinaryPrimitives.ReadInt16LittleEndian(header[20..]) != 1
            || !header[36..40].SequenceEqual("data"u8))
            return false;
        int rate = BinaryPrimitives.ReadInt32LittleEndian(header[24..]), frame = BinaryPrimitives.ReadInt16LittleEndian(header[32..]);
        if (rate <= 0 || frame <= 0) return false;
        long data = Math.Min((f.Length - 44) / frame, (long)Math.Ceiling(seconds * rate)) * frame;
        f.SetLength(44 + data);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)Math.Min(uint.MaxValue, 36 + data));
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], (uint)Math.Min(uint.MaxValue, data));
        f.Position = 0;
        f.Write(header);
        return true;
    }

    // The piece's length, and the size past which its rendering is stopped: a WAV header, then 16-bit stereo for the
    // piece and TailSeconds. Unbounded for a file Earworm's reader does not take (SMPTE time) and the tool may.
    private static (double Seconds, long Bytes) Limit(string midiPath, int sampleRate)
    {
        try
        {
            double seconds = MidiClip.DurationSeconds(MidiReader.ReadFile(midiPath));
            return (seconds, 44 + (long)Math.Ceiling((seconds + TailSeconds) * sampleRate) * 4);
        }
        catch (MidiFormatException)
        {
            return (double.NaN, long.MaxValue);
        }
    }

    // Cancels stop when the file at path grows past limit bytes; looks four times a second until cancelled.
    private static async Task StopWhenLongerAsync(string path, long limit, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
                var file = new FileInfo(path);
                if (file.Exists && file.Length > limit)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>True when the file at <paramref name="path"/> holds <paramref name="magic"/> at <paramref name="offset"/>.</summary>
    public static bool StartsWith(string path, ReadOnlySpan<byte> magic, int offset = 0)
    {
        Span<byte> head = stackalloc byte[offset + magic.Length];
        using var f = File.OpenRead(path);
        return f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head[offset..].SequenceEqual(magic);
    }
}
