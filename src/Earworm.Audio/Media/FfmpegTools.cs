namespace Earworm.Audio.Media;

/// <summary>Where ffmpeg and ffprobe are. Earworm decodes every format through them (no managed
/// decoders), so their absence is a missing prerequisite with one line that says what to install.</summary>
public sealed record FfmpegTools(string FfmpegPath, string FfprobePath)
{
    public const string InstallHint = "ffmpeg and ffprobe are needed: install them with `sudo apt-get install -y ffmpeg` (Debian/Ubuntu)";

    /// <summary>Finds both on PATH (or in $EARWORM_FFMPEG_DIR when set).</summary>
    /// <exception cref="PrerequisiteMissingException">either is missing.</exception>
    public static FfmpegTools Locate()
    {
        var dirs = new List<string>();
        var own = Environment.GetEnvironmentVariable("EARWORM_FFMPEG_DIR");
        if (!string.IsNullOrWhiteSpace(own)) dirs.Add(own);
        dirs.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        string? ffmpeg = Find(dirs, "ffmpeg"), ffprobe = Find(dirs, "ffprobe");
        if (ffmpeg is null || ffprobe is null) throw new PrerequisiteMissingException(InstallHint);
        return new FfmpegTools(ffmpeg, ffprobe);
    }

    private static string? Find(IEnumerable<string> dirs, string name)
    {
        foreach (var d in dirs)
        {
            var p = Path.Combine(d, OperatingSystem.IsWindows() ? name + ".exe" : name);
            if (File.Exists(p)) return p;
        }
        return null;
    }
}
