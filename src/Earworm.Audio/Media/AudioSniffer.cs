namespace Earworm.Audio.Media;

/// <summary>
/// Finds audio files by extension and by content (magic bytes), so a library with misnamed or extension-less files
/// is still found, and says why any other file is not audio. The formats are those Debian's ffmpeg decodes: its
/// audio demuxers, tracker modules through libopenmpt (<c>ffmpeg -h demuxer=libopenmpt</c> lists them) and game
/// music through libgme. A candidate is confirmed by decoding it.
/// </summary>
public static class AudioSniffer
{
    /// <summary>Bytes of the file's start that <see cref="LooksLikeAudio"/> wants: a ProTracker module's tag lies at 1080.</summary>
    public const int HeaderLength = 1084;

    private static readonly HashSet<string> AudioExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        // compressed and lossless audio, and the containers music comes in
        ".mp3", ".mp2", ".mp1", ".m2a", ".mpa", ".ogg", ".oga", ".ogx", ".opus", ".spx", ".flac", ".wav", ".wave", ".w64", ".rf64",
        ".bwf", ".m4a", ".m4b", ".aac", ".adts", ".mp4", ".3gp", ".3g2", ".wma", ".asf", ".aif", ".aiff", ".aifc", ".ape", ".apl",
        ".mac", ".wv", ".mpc", ".mp+", ".mpp", ".mka", ".webm", ".alac", ".au", ".snd", ".caf", ".amr", ".awb", ".ac3", ".eac3",
        ".ec3", ".dts", ".dtshd", ".mlp", ".thd", ".truehd", ".tta", ".tak", ".shn", ".oma", ".aa3", ".voc", ".ra", ".rm", ".dsf",
        ".dff", ".gsm", ".8svx", ".vqf", ".qcp", ".sln",
        // tracker modules (libopenmpt's list in ffmpeg 5.1, less .ppm: far more often an image)
        ".669", ".amf", ".ams", ".dbm", ".digi", ".dmf", ".dsm", ".dtm", ".far", ".gdm", ".ice", ".imf", ".it", ".j2b", ".m15",
        ".mdl", ".med", ".mmcmp", ".mms", ".mo3", ".mod", ".mptm", ".mt2", ".mtm", ".nst", ".okt", ".plm", ".psm", ".pt36",
        ".ptm", ".s3m", ".sfx", ".sfx2", ".st26", ".stk", ".stm", ".stp", ".ult", ".umx", ".wow", ".xm", ".xpk",
        // game music (libgme)
        ".ay", ".gbs", ".gym", ".hes", ".kss", ".nsf", ".nsfe", ".sap", ".spc", ".vgm", ".vgz",
    };

    private static readonly HashSet<string> MidiExtensions = new(StringComparer.OrdinalIgnoreCase) { ".mid", ".midi", ".kar", ".rmi" };

    // Files a music folder is full of that are never audio: passed over without reading them.
    private static readonly HashSet<string> NeverAudio = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".ico", ".svg", ".heic", ".txt", ".nfo", ".cue",
        ".log", ".pdf", ".m3u", ".m3u8", ".pls", ".xspf", ".wpl", ".json", ".xml", ".db", ".ini", ".sfv", ".md5", ".sha1",
        ".sha256", ".html", ".htm", ".lrc", ".url", ".md", ".rtf", ".doc", ".docx", ".csv", ".torrent", ".zip", ".rar", ".7z",
        ".gz", ".tar", ".par2", ".exe", ".dll", ".so", ".sh", ".py", ".js", ".css",
    };

    // Tags at byte 1080 of a ProTracker-style module (4, 6, 8 or more channels; NoiseTracker, StarTrekker, Octalyser…).
    private static readonly string[] ModTags = ["M.K.", "M!K!", "M&K!", "FLT4", "FLT8", "EXO4", "EXO8", "OKTA", "OCTA", "CD81", "CD61", "N.T."];

    public static bool HasAudioExtension(string path) => AudioExtensions.Contains(Path.GetExtension(path));

    public static bool IsNeverAudio(string path) => NeverAudio.Contains(Path.GetExtension(path));

    /// <summary>Why a file whose start is <paramref name="header"/> is not scanned; null when it is a candidate (audio by
    /// extension or by content). <paramref name="header"/> is ignored for files whose extension decides.</summary>
    public static string? WhyNotAudio(string path, ReadOnlySpan<byte> header)
    {
        var ext = Path.GetExtension(path);
        if (AudioExtensions.Contains(ext)) return null;
        if (MidiExtensions.Contains(ext) || Starts(header, "MThd"))
            return "MIDI holds notes, not sound, and ffmpeg cannot decode it: render it to audio (e.g. with fluidsynth) to scan it";
        if (NeverAudio.Contains(ext)) return $"not audio ({ext.ToLowerInvariant()} file)";
        if (LooksLikeAudio(header)) return null;
        if (header.Length == 0) return "empty file (0 bytes)";
        return $"not audio: neither its extension ({(ext.Length > 0 ? ext.ToLowerInvariant() : "none")}) nor its content is a format Earworm decodes";
    }

    /// <summary>True when the header is a container or stream Earworm decodes: ID3, MPEG audio frame sync, ADTS AAC,
    /// Ogg, FLAC, RIFF/WAVE, Wave64, AIFF, IFF 8SVX, CAF, Sun AU, MP4/M4A (ftyp), ASF/WMA, Matroska/WebM, Monkey's
    /// Audio, WavPack, Musepack, TTA, TAK, Shorten, AMR, DSD (DSF, DFF), Creative Voice; tracker modules (IT/MPTM
    /// "IMPM", S3M "SCRM" at 44, XM "Extended Module:", ProTracker tags at 1080, MED, OKT, STM, ULT, MTM, FAR, PTM,
    /// DBM, DMF, GDM, MDL, PSM, MT2, MO3, J2B, AMS, IMF, DTM, PLM); game music (NSF, NSFE, SPC, VGM, GBS, GYM, HES,
    /// KSS, SAP, AY).</summary>
    public static bool LooksLikeAudio(ReadOnlySpan<byte> h)
    {
        if (h.Length < 4) return false;
        foreach (var magic in (ReadOnlySpan<string>)["ID3", "OggS", "fLaC", "MAC ", "wvpk", "MPCK", "MP+", "TTA1", "tBaK", "ajkg",
                     "#!AMR", "caff", ".snd", "DSD ", "FRM8", "Creative Voice File"])
            if (Starts(h, magic)) return true;
        if (h.Length >= 12 && Starts(h, "RIFF") && (At(h, 8, "WAVE") || At(h, 8, "RF64"))) return true;
        if (Starts(h, "RF64") || Starts(h, "riff\x2E\x91\xCF\x11")) return true; // RF64, Sony Wave64
        if (h.Length >= 12 && Starts(h, "FORM") && (At(h, 8, "AIFF") || At(h, 8, "AIFC") || At(h, 8, "8SVX"))) return true;
        if (h.Length >= 12 && At(h, 4, "ftyp")) return true;
        // ASF header object GUID 30 26 B2 75 8E 66 CF 11
        if (h.Length >= 8 && h[0] == 0x30 && h[1] == 0x26 && h[2] == 0xB2 && h[3] == 0x75 && h[4] == 0x8E && h[5] == 0x66 && h[6] == 0xCF && h[7] == 0x11) return true;
        if (h[0] == 0x1A && h[1] == 0x45 && h[2] == 0xDF && h[3] == 0xA3) return true; // EBML (Matroska)
        if (IsModule(h) || IsGameMusic(h)) return true;
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

    /// <summary>A tracker module libopenmpt plays, by its signature.</summary>
    public static bool IsModule(ReadOnlySpan<byte> h)
    {
        foreach (var magic in (ReadOnlySpan<string>)["IMPM", "Extended Module: ", "MMD0", "MMD1", "MMD2", "MMD3", "OKTASONG",
                     "MAS_UTrack_V00", "MTM\x10", "FAR\xFE", "DBM0", "DDMF", "GDM\xFE", "DMDL", "PSM ", "MT20", "MO3", "D.T.", "PLM\x1A",
                     "AMShdr\x1A", "Extreme", "MUSE\xDE\xAD\xBE\xAF", "MUSE\xDE\xAD\xBA\xBE", "ASYLUM Music Format"])
            if (Starts(h, magic)) return true;
        if (At(h, 44, "SCRM") || At(h, 44, "PTMF") || At(h, 60, "IM10")) return true;
        if (At(h, 20, "!Scream!") || At(h, 20, "BMOD2STM") || At(h, 20, "WUZAMOD!")) return true; // Scream Tracker 2
        if (h.Length < 1084) return false;
        var tag = h.Slice(1080, 4);
        foreach (var t in ModTags) if (At(h, 1080, t)) return true;
        static bool Digit(byte b) => b is >= (byte)'0' and <= (byte)'9';
        return (Digit(tag[0]) && tag[1] == 'C' && tag[2] == 'H' && tag[3] == 'N')          // 6CHN, 8CHN
               || (Digit(tag[0]) && Digit(tag[1]) && tag[2] == 'C' && (tag[3] == 'H' || tag[3] == 'N')) // 10CH … 32CH, 16CN
               || (tag[0] == 'T' && tag[1] == 'D' && tag[2] == 'Z' && Digit(tag[3]));       // TDZ1–TDZ9
    }

    private static bool IsGameMusic(ReadOnlySpan<byte> h)
    {
        foreach (var magic in (ReadOnlySpan<string>)["NESM\x1A", "NSFE", "SNES-SPC700 Sound File Data", "Vgm ", "GBS\x01", "GYMX",
                     "HESM", "KSCC", "KSSX", "SAP\r\n", "ZXAYEMUL"])
            if (Starts(h, magic)) return true;
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
