namespace Earworm.Audio.Media;

/// <summary>Finds audio files by extension and by content (magic bytes), so a library with
/// misnamed or extension-less files is still found. A candidate is confirmed by ffprobe later.</summary>
public static class AudioSniffer
{
    /// <summary>Bytes of the file's start that <see cref="LooksLikeAudio"/> wants.</summary>
    public const int HeaderLength = 16;

    private static readonly HashSet<string> AudioExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".mp3", ".ogg", ".oga", ".opus", ".flac", ".wav", ".wave", ".m4a", ".aac", ".mp4", ".wma",
        ".aif", ".aiff", ".ape", ".wv", ".mpc", ".mka", ".webm", ".alac", ".mp2",
    };

    // Files a music folder is full of that are never audio: skip reading them.
    private static readonly HashSet<string> NeverAudio = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".txt", ".nfo", ".cue", ".log", ".pdf",
        ".m3u", ".m3u8", ".pls", ".xspf", ".json", ".xml", ".db", ".ini", ".sfv", ".md5", ".html", ".lrc",
    };

    public static bool HasAudioExtension(string path) => AudioExtensions.Contains(Path.GetExtension(path));

    public static bool IsNeverAudio(string path) => NeverAudio.Contains(Path.GetExtension(path));

    /// <summary>True when the header is a container or stream Earworm decodes: ID3, MPEG audio
    /// frame sync, ADTS AAC, Ogg, FLAC, RIFF/WAVE, AIFF, MP4/M4A (ftyp), ASF/WMA, Matroska/WebM,
    /// Monkey's Audio, WavPack, Musepack.</summary>
    public static bool LooksLikeAudio(ReadOnlySpan<byte> h)
    {
        if (h.Length < 4) return false;
        if (Starts(h, "ID3") || Starts(h, "OggS") || Starts(h, "fLaC") || Starts(h, "MAC ") || Starts(h, "wvpk")
            || Starts(h, "MPCK") || Starts(h, "MP+")) return true;
        if (h.Length >= 12 && Starts(h, "RIFF") && (At(h, 8, "WAVE") || At(h, 8, "RF64"))) return true;
        if (h.Length >= 12 && Starts(h, "FORM") && (At(h, 8, "AIFF") || At(h, 8, "AIFC"))) return true;
        if (h.Length >= 12 && At(h, 4, "ftyp")) return true;
        // ASF header object GUID 30 26 B2 75 8E 66 CF 11
        if (h.Length >= 8 && h[0] == 0x30 && h[1] == 0x26 && h[2] == 0xB2 && h[3] == 0x75 && h[4] == 0x8E && h[5] == 0x66 && h[6] == 0xCF && h[7] == 0x11) return true;
        if (h[0] == 0x1A && h[1] == 0x45 && h[2] == 0xDF && h[3] == 0xA3) return true; // EBML (Matroska)
        // MPEG audio frame: 11 sync bits, a valid layer and bitrate/sample-rate index; ADTS AAC: layer 00.
        if (h[0] == 0xFF && (h[1] & 0xE0) == 0xE0)
        {
            int version = (h[1] >> 3) & 3, layer = (h[1] >> 1) & 3;
            if (layer == 0) return (h[1] & 0xF6) == 0xF0; // ADTS
            int bitrate = h[2] >> 4, rate = (h[2] >> 2) & 3;
            return version != 1 && bitrate != 0xF && rate != 3;
        }
        return false;
    }

    private static bool Starts(ReadOnlySpan<byte> h, string magic) => At(h, 0, magic);

    private static bool At(ReadOnlySpan<byte> h, int offset, string magic)
    {
        if (h.Length < offset + magic.Length) return false;
        for (int i = 0; i < magic.Length; i++) if (h[offset + i] != magic[i]) return false;
        return true;
    }
}
