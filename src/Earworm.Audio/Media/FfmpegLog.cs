using System.Globalization;
using System.Text.RegularExpressions;

namespace Earworm.Audio.Media;

/// <summary>
/// Reads what the decoding ffmpeg writes to stderr at <c>-loglevel level+info</c>, line by line: the dump of its
/// input (container, duration, streams, tags; printed before any sample is decoded) becomes a <see cref="MediaInfo"/>,
/// so a scan needs no separate ffprobe; error-level messages are kept apart, as <c>-v error</c> would have shown them.
/// Pure: tested on saved stderr, no ffmpeg needed. Not thread-safe: one per decode.
/// </summary>
/// <remarks>
/// What the dump cannot say as ffprobe does: durations are to the centisecond and bit rates to the kb/s; a stream's
/// <c>language</c> tag is not printed; ffmpeg cuts a tag value's lines at 255 characters, which
/// <see cref="TagsTruncated"/> reports so a caller can ask ffprobe for the whole value.
/// </remarks>
public sealed partial class FfmpegLog
{
    /// <summary>ffmpeg prints at most this many characters of each line of a tag value (libavformat/dump.c).</summary>
    public const int MaxTagLineChars = 255;

    private enum Section { None, Input, InputMetadata, Stream, StreamMetadata, Chapter, Done }

    private readonly Dictionary<string, string> _containerTags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _audioTags = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];
    private Section _section;
    private Dictionary<string, string>? _currentTags;
    private string? _currentKey;
    private bool _inAudioStream;
    private bool _lastWasError;
    private string? _container;
    private double? _durationSeconds;
    private long? _containerBitRate;
    private string? _codec;
    private int? _sampleRate;
    private int? _channels;
    private long? _streamBitRate;
    private bool _hasPicture;

    /// <summary>True once the input's dump is over ("Stream mapping:", an output, or the end of stderr).</summary>
    public bool HeaderComplete => _section == Section.Done;

    /// <summary>A tag value reached ffmpeg's 255-character cut: the value may be longer than what was read.</summary>
    public bool TagsTruncated { get; private set; }

    /// <summary>The error-level messages (error, fatal, panic), in order, each with its continuation lines.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The input as the dump described it; null when ffmpeg printed no "Input #0" (it could not open the file).</summary>
    public MediaInfo? Media => _container is null ? null : Build();

    /// <summary>Reads a whole saved stderr text.</summary>
    public static FfmpegLog Parse(string stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var log = new FfmpegLog();
        foreach (var line in stderr.Split('\n')) log.Add(line.TrimEnd('\r'));
        log.End();
        return log;
    }

    /// <summary>Marks the end of stderr: whatever was read is all there is.</summary>
    public void End() => _section = Section.Done;

    public void Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var m = Prefixed().Match(line);
        if (!m.Success)
        {
            if (line.Length == 0) return;
            // A line without a [level] prefix continues the previous message: a tag value's next line
            // ("<indent>: more") or the rest of an error.
            if (_lastWasError && _errors.Count > 0) _errors[^1] += " | " + line.Trim();
            else if (_currentKey is not null && _currentTags is not null && ContinuedValue().Match(line) is { Success: true } c)
                Append(_currentTags, _currentKey, "\n" + c.Groups["value"].Value);
            return;
        }
        var level = m.Groups["level"].Value;
        var text = m.Groups["text"].Value;
        _currentKey = null; // only a tag line's own continuation lines extend its value
        _lastWasError = level is "error" or "fatal" or "panic";
        if (_lastWasError)
        {
            _errors.Add(m.Groups["ctx"].Success ? $"[{m.Groups["ctx"].Value}] {text}" : text);
            return;
        }
        if (level != "info" || m.Groups["ctx"].Success || _section == Section.Done) return;
        ReadHeaderLine(text);
    }

    private void ReadHeaderLine(string text)
    {
        if (text.StartsWith("Input #", StringComparison.Ordinal))
        {
            if (InputLine().Match(text) is { Success: true } input && _container is null)
            {
                _container = input.Groups["format"].Value;
                _section = Section.Input;
            }
            else if (_container is not null) _section = Section.Done; // a second input: not ours
            return;
        }
        if (_section == Section.None) return;
        if (text.StartsWith("Stream mapping:", StringComparison.Ordinal) || text.StartsWith("Output #", StringComparison.Ordinal)
            || text.StartsWith("Press [q]", StringComparison.Ordinal))
        {
            _section = Section.Done;
            return;
        }
        int indent = text.Length - text.TrimStart(' ').Length;
        var body = text.Trim();
        if (body == "Metadata:")
        {
            (_section, _currentTags) = indent switch
            {
                2 => (Section.InputMetadata, _containerTags),
                4 when _section is Section.Stream or Section.StreamMetadata => (Section.StreamMetadata, _inAudioStream ? _audioTags : null),
                _ => (Section.Chapter, null),
            };
            return;
        }
        if (indent == 2 && body.StartsWith("Duration:", StringComparison.Ordinal))
        {
            _section = Section.Input;
            ReadDuration(body);
            return;
        }
        if (indent == 2 && StreamLine().Match(body) is { Success: true } s)
        {
            _section = Section.Stream;
            ReadStream(s.Groups["type"].Value, s.Groups["rest"].Value);
            return;
        }
        if ((indent <= 4 && body.StartsWith("Chapter", StringComparison.Ordinal)) || (indent == 2 && body.StartsWith("Program", StringComparison.Ordinal)))
        {
            _section = Section.Chapter;
            return;
        }
        if ((_section is Section.InputMetadata or Section.StreamMetadata) && _currentTags is not null && TagLine().Match(body) is { Success: true } t)
        {
            var key = t.Groups["key"].Value.ToLowerInvariant();
            var value = t.Groups["value"].Success ? t.Groups["value"].Value : "";
            if (value.Length >= MaxTagLineChars) TagsTruncated = true;
            _currentTags[key] = value;
            _currentKey = key;
        }
    }

    private void Append(Dictionary<string, string> tags, string key, string more)
    {
        if (more.Length - 1 >= MaxTagLineChars) TagsTruncated = true;
        tags[key] += more;
    }

    // "Duration: 00:03:12.34, start: 0.000000, bitrate: 128 kb/s"; "Duration: N/A, bitrate: N/A"
    private void ReadDuration(string body)
    {
        if (DurationValue().Match(body) is { Success: true } d)
        {
            double seconds = int.Parse(d.Groups["h"].Value, CultureInfo.InvariantCulture) * 3600.0
                             + int.Parse(d.Groups["m"].Value, CultureInfo.InvariantCulture) * 60.0
                             + double.Parse(d.Groups["s"].Value, CultureInfo.InvariantCulture);
            _durationSeconds = seconds > 0 && seconds < 1e7 ? seconds : null;
        }
        if (BitRateValue().Match(body) is { Success: true } b) _containerBitRate = long.Parse(b.Groups["kbps"].Value, CultureInfo.InvariantCulture) * 1000;
    }

    // "aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 128 kb/s (default)"
    private void ReadStream(string type, string rest)
    {
        _inAudioStream = false;
        if (type == "Video" && rest.Contains("(attached pic)", StringComparison.Ordinal)) _hasPicture = true;
        if (type != "Audio" || _codec is not null) return; // the first audio stream is the one decoded (-map 0:a:0)
        _inAudioStream = true;
        var parts = rest.Split(", ");
        _codec = parts[0].Split(' ', 2)[0];
        for (int i = 1; i < parts.Length; i++)
        {
            var p = parts[i];
            if (p.EndsWith(" Hz", StringComparison.Ordinal) && int.TryParse(p[..^3], NumberStyles.None, CultureInfo.InvariantCulture, out int rate))
            {
                _sampleRate = rate;
                if (i + 1 < parts.Length) _channels = ChannelCount(parts[i + 1]);
            }
            else if (BitRateValue().Match(p) is { Success: true } b && p.StartsWith(b.Groups["kbps"].Value, StringComparison.Ordinal))
                _streamBitRate = long.Parse(b.Groups["kbps"].Value, CultureInfo.InvariantCulture) * 1000;
        }
    }

    /// <summary>Channels of a layout as av_channel_layout_describe names it: "stereo", "5.1(side)", "3 channels", "2 channels (FL+LFE)".</summary>
    internal static int? ChannelCount(string layout)
    {
        var name = layout.Trim();
        if (ChannelsWord().Match(name) is { Success: true } n) return int.Parse(n.Groups["n"].Value, CultureInfo.InvariantCulture);
        return name switch
        {
            "mono" => 1,
            "stereo" or "downmix" => 2,
            "2.1" or "3.0" or "3.0(back)" => 3,
            "4.0" or "quad" or "quad(side)" or "3.1" => 4,
            "5.0" or "5.0(side)" or "4.1" => 5,
            "5.1" or "5.1(side)" or "6.0" or "6.0(front)" or "hexagonal" => 6,
            "6.1" or "6.1(back)" or "6.1(front)" or "7.0" or "7.0(front)" => 7,
            "7.1" or "7.1(wide)" or "7.1(wide-side)" or "7.1(top)" or "octagonal" or "cube" => 8,
            "hexadecagonal" => 16,
            "22.2" => 24,
            _ => null,
        };
    }

    private MediaInfo Build()
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in _audioTags) if (v.Trim().Length > 0) tags[k] = v.Trim();
        foreach (var (k, v) in _containerTags) if (v.Trim().Length > 0) tags[k] = v.Trim(); // the container wins, as with ffprobe
        return MediaTags.Build(_container!, _codec, _durationSeconds, _sampleRate, _channels, _streamBitRate ?? _containerBitRate, _hasPicture, tags);
    }

    // "[info] text" or "[ogg @ 0x55d0c] [error] text" (-loglevel level+info)
    [GeneratedRegex(@"^(\[(?<ctx>[^\]@]+?) @ 0x[0-9a-fA-F]+\] )?\[(?<level>quiet|panic|fatal|error|warning|info|verbose|debug|trace)\] (?<text>.*)$")]
    private static partial Regex Prefixed();

    [GeneratedRegex(@"^Input #0, (?<format>.+?), from '")]
    private static partial Regex InputLine();

    [GeneratedRegex(@"^Stream #0:\d+(\[[^\]]*\])?(\([^)]*\))?: (?<type>Audio|Video|Subtitle|Data|Attachment): (?<rest>.*)$")]
    private static partial Regex StreamLine();

    [GeneratedRegex(@"^(?<key>\S(.*?\S)?)\s*:( (?<value>.*))?$")]
    private static partial Regex TagLine();

    [GeneratedRegex(@"^\s+: (?<value>.*)$")]
    private static partial Regex ContinuedValue();

    [GeneratedRegex(@"Duration: (?<h>\d+):(?<m>\d\d):(?<s>\d\d(\.\d+)?)")]
    private static partial Regex DurationValue();

    [GeneratedRegex(@"(?<kbps>\d+) kb/s")]
    private static partial Regex BitRateValue();

    [GeneratedRegex(@"^(?<n>\d+) channels\b")]
    private static partial Regex ChannelsWord();
}
