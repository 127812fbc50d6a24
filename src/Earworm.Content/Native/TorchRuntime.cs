using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;

namespace Earworm.Content.Native;

/// <summary>
/// Loads TorchSharp's native library before TorchSharp first touches it. On a host whose libstdc++ defines every
/// version <c>libLibTorchSharp.so</c> needs, nothing is done (TorchSharp loads it itself). Otherwise (Debian 12,
/// Ubuntu 22.04: no <c>GLIBCXX_3.4.32</c>) a copy patched by <see cref="ElfVersionPatcher"/> is made once, cached
/// under <see cref="CacheFolder"/> keyed by the original's SHA-256, loaded with RTLD_GLOBAL after libtorch's own
/// libraries, and handed to TorchSharp through a DllImport resolver. Before that, glibc's malloc is set to keep the
/// memory tensors free (<see cref="NativeHeap"/>).
/// </summary>
public static partial class TorchRuntime
{
    private const string TorchSharpLibrary = "libLibTorchSharp.so";
    private const string StdCxx = "libstdc++.so.6";
    private const int RtldNow = 0x2, RtldGlobal = 0x100, RtldDiLinkmap = 2;

    private static readonly Lock Gate = new();
    private static string? _state;

    /// <summary>What <see cref="EnsureLoaded"/> did: "host libstdc++ suffices", or the patched copy's path.</summary>
    public static string State => _state ?? "not loaded";

    /// <summary>Where patched copies are kept: <c>$EARWORM_NATIVE_CACHE</c>, else <c>$XDG_CACHE_HOME/earworm/native</c>,
    /// else <c>~/.cache/earworm/native</c>.</summary>
    public static string CacheFolder
    {
        get
        {
            var own = Environment.GetEnvironmentVariable("EARWORM_NATIVE_CACHE");
            if (!string.IsNullOrWhiteSpace(own)) return Path.GetFullPath(own);
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = !string.IsNullOrWhiteSpace(xdg) ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "earworm", "native");
        }
    }

    /// <summary>Makes TorchSharp usable (idempotent, thread-safe), then sets the number of intra-op threads when given.</summary>
    /// <exception cref="PrerequisiteMissingException">TorchSharp's native library cannot be found or loaded.</exception>
    public static void EnsureLoaded(int? threads = null)
    {
        lock (Gate)
        {
            if (_state is null)
            {
                NativeHeap.KeepFreedMemory();
                _state = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
                    ? LoadOnLinux() : "platform default";
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                }
                catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
                {
                    throw new PrerequisiteMissingException(
                        $"TorchSharp's native library did not load ({_state}): {e.Message.Split('\n')[0]}");
                }
            }
        }
        if (threads is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
            if (torch.get_num_threads() != n) torch.set_num_threads(n);
        }
    }

    private static string LoadOnLinux()
    {
        var nativeDir = FindNativeFolder();
        if (nativeDir is null) return "TorchSharp's native folder not found; left to TorchSharp";
        var original = Path.Combine(nativeDir, TorchSharpLibrary);
        var originalBytes = File.ReadAllBytes(original);
        var missing = MissingVersions(originalBytes);
        if (missing.Count == 0) return "host libstdc++ suffices";

        var patched = PatchedCopy(originalBytes, missing, CacheFolder);
        // libtorch's libraries first, by path: the copy's RUNPATH ($ORIGIN) does not lead to them.
        foreach (var dep in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            DlOpen(Path.Combine(nativeDir, dep));
        var handle = DlOpen(patched);
        NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, (name, _, _) =>
            name is "LibTorchSharp" or TorchSharpLibrary ? handle : IntPtr.Zero);
        return $"patched copy (host libstdc++ lacks {string.Join(", ", missing)}): {patched}";
    }

    /// <summary>The versions of libstdc++ the library needs that the host's libstdc++ does not define.</summary>
    private static List<string> MissingVersions(byte[] library)
    {
        var needed = ElfImage.Read(library).NeededVersions().Where(n => n.File == StdCxx && !n.Weak).Select(n => n.Name).ToList();
        var host = HostLibraryPath(StdCxx);
        if (host is null) return [];
        var defined = ElfImage.Read(File.ReadAllBytes(host)).DefinedVersions().ToHashSet(StringComparer.Ordinal);
        return needed.Where(v => !defined.Contains(v)).ToList();
    }

    /// <summary>The cached patched copy for these bytes, made (atomically) when absent.</summary>
    internal static string PatchedCopy(byte[] originalBytes, IReadOnlyList<string> missing, string cacheFolder)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(originalBytes))[..32];
        var folder = Path.Combine(cacheFolder, key);
        var path = Path.Combine(folder, TorchSharpLibrary);
        if (File.Exists(path)) return path;
        var bytes = originalBytes;
        foreach (var version in missing) bytes = ElfVersionPatcher.RelaxVersionNeed(bytes, StdCxx, version).Bytes;
        Directory.CreateDirectory(folder);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static string? FindNativeFolder()
    {
        var roots = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? "" }
            .Where(r => r.Length > 0).Distinct();
        foreach (var root in roots)
            foreach (var dir in new[] { root, Path.Combine(root, "runtimes", "linux-x64", "native") })
                if (File.Exists(Path.Combine(dir, TorchSharpLibrary)) && File.Exists(Path.Combine(dir, "libtorch_cpu.so")))
                    return dir;
        return null;
    }

    /// <summary>The file the dynamic loader picks for a library name (dlopen, then its link map's name).</summary>
    private static string? HostLibraryPath(string name)
    {
        var handle = dlopen(name, RtldNow);
        if (handle == IntPtr.Zero) return null;
        if (dlinfo(handle, RtldDiLinkmap, out var map) != 0 || map == IntPtr.Zero) return null;
        // struct link_map { ElfW(Addr) l_addr; char *l_name; … }
        return Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(map, IntPtr.Size));
    }

    private static IntPtr DlOpen(string path)
    {
        var handle = dlopen(path, RtldNow | RtldGlobal);
        if (handle == IntPtr.Zero)
            throw new PrerequisiteMissingException($"cannot load {path}: {Marshal.PtrToStringUTF8(dlerror())}");
        return handle;
    }

    [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr dlopen(string file, int mode);

    [LibraryImport("libc.so.6")]
    private static partial IntPtr dlerror();

    [LibraryImport("libc.so.6")]
    private static partial int dlinfo(IntPtr handle, int request, out IntPtr info);
}
