using System.Buffers.Binary;

namespace Earworm.Testing;

/// <summary>
/// Locates the repository root (the folder holding Earworm.slnx) and the shared data folder
/// beside it (<c>../shared</c>), and reads the raw float32 reference files. Missing data is a
/// failure, never a skip: the message says where it looked.
/// </summary>
public static class TestData
{
    private const string SolutionFile = "Earworm.slnx";

    /// <summary>The folder holding Earworm.slnx, found by walking up from the test binaries.</summary>
    public static string RepoRoot
    {
        get
        {
            var start = AppContext.BaseDirectory;
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
            }
            throw new InvalidOperationException($"No {SolutionFile} found in {start} or any folder above it.");
        }
    }

    /// <summary>The shared folder, <c>RepoRoot/../shared</c> (e.g. /work/shared for /work/wt-spectral).</summary>
    public static string SharedDir
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
            if (!Directory.Exists(shared))
                throw new InvalidOperationException($"Shared data folder not found: looked for {shared} (../shared beside the repository root {RepoRoot}).");
            return shared;
        }
    }

    /// <summary>The numeric references, <c>SharedDir/data/reference</c>.</summary>
    public static string ReferenceDir => Existing(Path.Combine(SharedDir, "data", "reference"));

    /// <summary>Path of a reference file; fails saying where it looked if the file is absent.</summary>
    public static string ReferenceFile(string name)
    {
        var path = Path.Combine(ReferenceDir, name);
        if (!File.Exists(path)) throw new InvalidOperationException($"Reference file not found: {path}");
        return path;
    }

    /// <summary>Reads a raw little-endian float32 file and checks it holds <paramref name="expectedCount"/> values.</summary>
    public static float[] ReadFloat32(string path, int expectedCount)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != expectedCount * sizeof(float))
            throw new InvalidOperationException($"{path}: expected {expectedCount} float32 values ({expectedCount * sizeof(float)} bytes), found {bytes.Length} bytes.");
        var values = new float[expectedCount];
        for (int i = 0; i < expectedCount; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
        return values;
    }

    /// <summary>The HetRec Last.fm 2K folder, <c>SharedDir/data/lastfm-2k</c>.</summary>
    public static string LastFm2kDir => Existing(Path.Combine(SharedDir, "data", "lastfm-2k"));

    /// <summary>A file of HetRec Last.fm 2K; fails saying where it looked if the file is absent.</summary>
    public static string LastFmFile(string name)
    {
        var path = Path.Combine(LastFm2kDir, name);
        if (!File.Exists(path)) throw new InvalidOperationException($"Last.fm 2K file not found: {path}");
        return path;
    }

    private static string Existing(string dir) =>
        Directory.Exists(dir) ? dir : throw new InvalidOperationException($"Shared data folder not found: {dir}");
}
