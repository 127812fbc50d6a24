using System.Runtime.InteropServices;
using Earworm.Audio.Media;

namespace Earworm.Catalog.Scanning;

/// <summary>
/// Finds the audio files under a set of roots: by extension, and by content for files whose
/// extension says nothing. Paths are canonical (symlinks resolved), so a file reached twice is
/// counted once and a symlink loop ends the moment it comes back to a folder already walked.
/// Hidden files and folders (a leading '.') are passed over. Unreadable folders are reported, not fatal.
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

    /// <param name="roots">canonical roots (folders or single files).</param>
    /// <param name="onError">told of each folder or file that could not be read.</param>
    public static IEnumerable<FoundFile> Walk(IReadOnlyList<string> roots, Action<string, string>? onError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var visitedDirs = new HashSet<string>(StringComparer.Ordinal);
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        var header = new byte[AudioSniffer.HeaderLength];
        var stack = new Stack<string>();
        foreach (var root in roots)
        {
            if (File.Exists(root))
            {
                if (seenFiles.Add(root) && Describe(root, onError) is { } single) yield return single;
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
                    onError?.Invoke(dir, e.Message);
                    continue;
                }
                var subdirs = new List<string>();
                foreach (var entry in entries)
                {
                    if (entry.Name.StartsWith('.')) continue;
                    var canon = Canonical(entry.FullName);
                    if (canon is null) continue; // dangling symlink
                    if (Directory.Exists(canon))
                    {
                        if (!visitedDirs.Contains(canon)) subdirs.Add(canon);
                        continue;
                    }
                    if (!File.Exists(canon) || !seenFiles.Add(canon)) continue;
                    if (!IsCandidate(canon, header, onError)) continue;
                    if (Describe(canon, onError) is { } f) yield return f;
                }
                for (int i = subdirs.Count - 1; i >= 0; i--) stack.Push(subdirs[i]); // walk in name order
            }
        }
    }

    private static bool IsCandidate(string path, byte[] header, Action<string, string>? onError)
    {
        if (AudioSniffer.HasAudioExtension(path)) return true;
        if (AudioSniffer.IsNeverAudio(path)) return false;
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            int n = s.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return AudioSniffer.LooksLikeAudio(header.AsSpan(0, n));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            onError?.Invoke(path, e.Message);
            return false;
        }
    }

    private static FoundFile? Describe(string path, Action<string, string>? onError)
    {
        try
        {
            var info = new FileInfo(path);
            return new FoundFile(path, info.Length, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            onError?.Invoke(path, e.Message);
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
