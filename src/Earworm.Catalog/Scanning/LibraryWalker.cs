using System.Runtime.InteropServices;
using Earworm.Audio.Media;

namespace Earworm.Catalog.Scanning;

/// <summary>
/// Finds the audio files under a set of roots: by extension, and by content for files whose
/// extension says nothing (<see cref="AudioSniffer"/>). Every other file is reported with the reason it
/// is not scanned (not audio, MIDI, unreadable, a broken link), never silently dropped; only hidden files
/// and folders (a leading '.') are passed over unreported. Paths are canonical (symlinks resolved), so a
/// file reached twice is counted once and a symlink loop ends the moment it comes back to a folder already walked.
/// </summary>
public static partial class LibraryWalker
{
    /// <summary>Canonical forms of the roots; a root that does not exist is a usage error.</summary>
    public static IReadOnlyList<string> CanonicalRoots(IEnumerable<string> roots)
    {
        var list = new List<string>();
        foreach (var r in roots)
        {
            var full = Path.GetFullPath(r);
            if (!Directory.Exists(full) && !File.Exists(full)) throw new UsageException($"no such file or folder: {r}");
            var canon = Canonical(full) ?? full;
            if (!list.Contains(canon, StringComparer.Ordinal)) list.Add(canon);
        }
        return list;
    }

    /// <summary>How the reason of a file or folder that could not be read begins.</summary>
    public const string UnreadablePrefix = "cannot read: ";

    /// <param name="roots">canonical roots (folders or single files).</param>
    /// <param name="onSkipped">told of each file (or unreadable folder) that is not scanned, and why.</param>
    public static IEnumerable<FoundFile> Walk(IReadOnlyList<string> roots, Action<SkippedFile>? onSkipped, CancellationToken cancellationToken)
    {
        void Skip(string path, string reason, FileSystemInfo? info = null)
        {
            if (onSkipped is null) return;
            long? size = null, mtime = null;
            try
            {
                if (info is FileInfo { Exists: true } f)
                {
                    size = f.Length;
                    mtime = new DateTimeOffset(f.LastWriteTimeUtc).ToUnixTimeMilliseconds();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            onSkipped(new SkippedFile(path, size, mtime, reason));
        }
        void OnError(string path, string message) => Skip(path, UnreadablePrefix + message);

        ArgumentNullException.ThrowIfNull(roots);
        var visitedDirs = new HashSet<string>(StringComparer.Ordinal);
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        foreach (var root in roots)
        {
            if (File.Exists(root))
            {
                if (seenFiles.Add(root) && Describe(root, OnError) is { } single) yield return single;
                continue;
            }
            stack.Push(root);
            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var dir = stack.Pop();
                if (!visitedDirs.Add(dir)) continue;
                IEnumerable<FileSystemInfo> entries;
                try
                {
                    entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", new EnumerationOptions
                    {
                        RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false,
                    }).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    OnError(dir, e.Message);
                    continue;
                }
                var subdirs = new List<string>();
                foreach (var entry in entries)
                {
                    if (entry.Name.StartsWith('.')) continue;
                    var canon = Canonical(entry.FullName);
                    if (canon is null)
                    {
                        Skip(entry.FullName, entry.LinkTarget is not null ? $"broken symbolic link (to {entry.LinkTarget})" : UnreadablePrefix + "the path does not resolve");
                        continue;
                    }
                    if (Directory.Exists(canon))
                    {
                        if (!visitedDirs.Contains(canon)) subdirs.Add(canon);
                        continue;
                    }
                    if (!seenFiles.Add(canon)) continue;
                    if (!File.Exists(canon))
                    {
                        Skip(canon, "not a regular file (a device, pipe or socket)");
                        continue;
                    }
                    if (WhyNotCandidate(canon) is { } reason)
                    {
                        Skip(canon, reason, new FileInfo(canon));
                        continue;
                    }
                    if (Describe(canon, OnError) is { } f) yield return f;
                }
                for (int i = subdirs.Count - 1; i >= 0; i--) stack.Push(subdirs[i]); // walk in name order
            }
        }
    }

    // Null for a file to scan; else why not. The extension decides when it can; otherwise the first bytes do.
    private static string? WhyNotCandidate(string path)
    {
        if (AudioSniffer.HasAudioExtension(path) || AudioSniffer.IsNeverAudio(path)) return AudioSniffer.WhyNotAudio(path, []);
        try
        {
            var header = new byte[AudioSniffer.HeaderLength];
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            int n = s.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return AudioSniffer.WhyNotAudio(path, header.AsSpan(0, n));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return UnreadablePrefix + e.Message;
        }
    }

    private static FoundFile? Describe(string path, Action<string, string> onError)
    {
        try
        {
            var info = new FileInfo(path);
            return new FoundFile(path, info.Length, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            onError(path, e.Message);
            return null;
        }
    }

    /// <summary>realpath(3): the absolute path with every symlink resolved; null when it does not resolve.</summary>
    public static string? Canonical(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : null;
        IntPtr p = RealPath(path, IntPtr.Zero);
        if (p == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            Free(p);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr p);
}
