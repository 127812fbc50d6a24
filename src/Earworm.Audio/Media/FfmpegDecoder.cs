using System.Globalization;
using System.Runtime.InteropServices;

namespace Earworm.Audio.Media;

/// <summary>Handles one chunk of decoded mono float32 PCM; the span is only valid during the call.</summary>
public delegate void PcmChunkHandler(ReadOnlySpan<float> samples);

/// <summary>Told what ffmpeg found in the file (null when its dump could not be read) before the first samples
/// arrive; returns the handler of the decoded chunks.</summary>
public delegate PcmChunkHandler DecodeStart(MediaInfo? media);

/// <summary>What a decode produced: how many samples, what ffmpeg complained about, if anything (led by what Earworm
/// mended for ffmpeg to read the file: <see cref="OggHeaderRepair"/>), and what it said
/// the file holds (<see cref="Media"/>, from its dump of the input; <see cref="TagsTruncated"/> when a tag value
/// reached the dump's 255-character cut).</summary>
public sealed record DecodeResult(long SampleCount, int SampleRateHz, string Warnings)
{
    public double DurationSeconds => (double)SampleCount / SampleRateHz;
    public MediaInfo? Media { get; init; }
    public bool TagsTruncated { get; init; }
}

/// <summary>
/// Probes and decodes audio files with ffprobe/ffmpeg. Decoding streams mono float32 PCM at the
/// requested rate over a pipe (<c>ffmpeg -i F -map 0:a:0 -ac 1 -ar 22050 -f f32le -</c>, the same
/// down-mix and resampler as the log-mel reference), so a long track never has to fit in memory.
/// The same ffmpeg describes the file: at <c>-loglevel level+info</c> it dumps the input (container, duration,
/// streams, tags) to stderr before decoding, read by <see cref="FfmpegLog"/>, so a scan runs one process per file
/// (an ffprobe beside it cost ~75 ms of CPU per file, a fifth of the scan).
/// The down-mix is swresample's default: L and R each at −3 dB, so a centred (identical) stereo
/// signal comes out 3 dB louder than either channel.
/// Thread-safe; each call runs its own process.
/// </summary>
public sealed class FfmpegDecoder(FfmpegTools tools)
{
    private const int ReadBufferBytes = 1 << 18;

    /// <summary>Longest a single ffprobe may take.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a single decode may take, whatever the track's length.</summary>
    public TimeSpan DecodeTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <exception cref="MediaReadException">ffprobe failed or its output is unreadable.</exception>
    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        using var input = MediaInput.For(path);
        string[] args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", input.Path];
        await using var run = ToolProcess.Start(tools.FfprobePath, args, redirectInput: false, ProbeTimeout, cancellationToken);
        string json;
        int exit;
        try
        {
            using var reader = new StreamReader(run.StandardOutput, System.Text.Encoding.UTF8, leaveOpen: true);
            json = await reader.ReadToEndAsync(run.Token).ConfigureAwait(false);
            exit = await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || run.TimedOut(cancellationToken))
        {
            throw new MediaReadException(path, null, $"ffprobe timed out after {ProbeTimeout.TotalSeconds:0} s");
        }
        if (exit != 0)
            throw new MediaReadException(path, exit, "ffprobe: " + ToolProcess.Tail(input.Named(run.StderrTail, "<file>").Replace(path, "<file>", StringComparison.Ordinal)));
        try
        {
            return FfprobeParser.Parse(json);
        }
        catch (FormatException e)
        {
            throw new MediaReadException(path, exit, e.Message);
        }
    }

    /// <summary>Decodes the first audio stream to mono float32 at <paramref name="sampleRateHz"/>,
    /// handing chunks to <paramref name="onChunk"/> as they arrive.</summary>
    /// <exception cref="MediaReadException">ffmpeg failed (exit code and stderr tail attached) or timed out.</exception>
    public Task<DecodeResult> DecodeAsync(string path, int sampleRateHz, PcmChunkHandler onChunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChunk);
        return DecodeAsync(path, sampleRateHz, _ => onChunk, cancellationToken);
    }

    /// <summary>Decodes the first audio stream to mono float32 at <paramref name="sampleRateHz"/>; <paramref name="start"/>
    /// learns what the file holds (ffmpeg's dump of it) before the first chunk and returns the chunks' handler.</summary>
    /// <exception cref="MediaReadException">ffmpeg failed (exit code, stderr tail and what it found attached) or timed out.</exception>
    public async Task<DecodeResult> DecodeAsync(string path, int sampleRateHz, DecodeStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        using var input = MediaInput.For(path);
        string[] args =
        [
            // level+info: the input's dump (our probe) with each line's level, so errors stay apart from it
            "-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info", "-i", input.Path, "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-ac", "1", "-ar", sampleRateHz.ToString(CultureInfo.InvariantCulture),
            // without this the raw muxer flushes every packet: 2 KB pipe writes, a third more CPU than decoding
            "-flush_packets", "0", "-f", "f32le", "-",
        ];
        var log = new FfmpegLog();
        var header = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) log.End();
            else log.Add(line);
            if (log.HeaderComplete) header.TrySetResult();
        }
        await using var run = ToolProcess.Start(tools.FfmpegPath, args, redirectInput: false, DecodeTimeout, cancellationToken, OnLine);
        long samples = 0;
        int exit;
        try
        {
            // Blocking reads on a thread of its own: the pipe delivers ~30 small reads per second of audio, and
            // handing each to the thread pool costs more CPU than the analysis does. A cancel kills ffmpeg,
            // which ends the read with end-of-file. ffmpeg dumps the input before it decodes, so the first
            // chunk waits for the dump's end (it is on stderr, a pipe read apart).
            var token = run.Token;
            PcmChunkHandler? handler = null;
            samples = await Task.Factory.StartNew(() => Pump(run.StandardOutput, chunk =>
            {
                if (handler is null)
                {
                    header.Task.Wait(token);
                    handler = start(log.Media);
                }
                handler(chunk);
            }, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            exit = await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || run.TimedOut(cancellationToken))
        {
            throw new MediaReadException(path, null, $"ffmpeg timed out after {DecodeTimeout.TotalSeconds:0} s");
        }
        var media = log.Media;
        var errors = ToolProcess.Tail(input.Named(string.Join('\n', log.Errors), "<file>").Replace(path, "<file>", StringComparison.Ordinal));
        if (media is { HasAudio: false })
            throw new MediaReadException(path, exit, $"no audio stream (container: {media.Container})") { Media = media };
        if (exit != 0) throw new MediaReadException(path, exit, "ffmpeg: " + (errors.Length > 0 ? errors : $"exit code {exit}")) { Media = media };
        if (samples == 0) throw new MediaReadException(path, exit, "ffmpeg decoded no audio" + (errors.Length > 0 ? ": " + errors : "")) { Media = media };
        // a mended file says so among the warnings, which the catalog keeps with the track
        var warnings = input.Repair is { } repair ? errors.Length > 0 ? $"{repair}; {errors}" : repair : errors;
        return new DecodeResult(samples, sampleRateHz, warnings) { Media = media, TagsTruncated = log.TagsTruncated };
    }

    /// <summary>Decodes a whole file into memory (tests, short files, query-time analysis).</summary>
    public async Task<float[]> DecodeAllAsync(string path, int sampleRateHz, CancellationToken cancellationToken)
    {
        var all = new List<float>();
        await DecodeAsync(path, sampleRateHz, chunk =>
        {
            foreach (var s in chunk) all.Add(s);
        }, cancellationToken).ConfigureAwait(false);
        return [.. all];
    }

    // Reads f32le from the pipe; a read may end mid-sample, so carry the remainder bytes over.
    private static long Pump(Stream stdout, PcmChunkHandler onChunk, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReadBufferBytes];
        int carried = 0;
        long total = 0;
        while (true)
        {
            int n = stdout.Read(buffer, carried, buffer.Length - carried);
            if (n == 0) break;
            int have = carried + n;
            int whole = have & ~3;
            if (whole > 0)
            {
                var samples = MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, whole));
                onChunk(samples);
                total += samples.Length;
            }
            carried = have - whole;
            if (carried > 0) Buffer.BlockCopy(buffer, whole, buffer, 0, carried);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return total;
    }
}
