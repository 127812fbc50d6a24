namespace Earworm.Audio.Media;

/// <summary>
/// What ffmpeg and ffprobe read for a file. Usually the file itself. For a file that players read but ffmpeg would
/// refuse, and that Earworm knows how to mend (<see cref="OggHeaderRepair"/>), it is a mended copy in the temporary
/// folder, deleted on dispose. The file itself is never changed.
/// </summary>
internal sealed class MediaInput : IDisposable
{
    private readonly string? _copy;

    private MediaInput(string path, string? copy, string? repair)
    {
        Path = copy ?? path;
        _copy = copy;
        Repair = repair;
    }

    /// <summary>The path to hand the tool.</summary>
    public string Path { get; }

    /// <summary>What was mended, in words (null when the tool reads the file itself).</summary>
    public string? Repair { get; }

    /// <summary>The input for <paramref name="path"/>. A file that cannot be read goes to the tool as it is, which
    /// says why.</summary>
    public static MediaInput For(string path)
    {
        try
        {
            if (!OggHeaderRepair.NeedsRepair(path)) return new MediaInput(path, null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new MediaInput(path, null, null);
        }
        var copy = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"earworm-mended-{Guid.NewGuid():N}.ogg");
        try
        {
            int dropped;
            using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16))
            using (var target = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                dropped = OggHeaderRepair.Repair(source, target);
            return new MediaInput(path, copy, $"read without the {dropped} Vorbis header packet{(dropped == 1 ? "" : "s")} it repeats before its audio");
        }
        catch
        {
            File.Delete(copy);
            throw;
        }
    }

    /// <summary><paramref name="text"/> (a tool's message) with the copy's path said as <paramref name="shown"/>.</summary>
    public string Named(string text, string shown) => _copy is null ? text : text.Replace(_copy, shown, StringComparison.Ordinal);

    public void Dispose()
    {
        if (_copy is null) return;
        try
        {
            File.Delete(_copy);
        }
        catch (IOException)
        {
            // a copy left in the temporary folder is the system's to clear
        }
    }
}
