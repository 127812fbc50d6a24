using System.Buffers.Binary;

namespace Earworm.Testing;

/// <summary>
/// Locates the repository root (the folder holding Earworm.slnx) and the fixtures the repository carries
/// (<c>tests/fixtures</c>: each folder has the script that regenerates it; see tests/README.md), and reads the raw
/// float32 reference files. Tests read nothing outside the repository: a clone alone passes. Missing data is a
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

    /// <summary>A folder of <c>tests/fixtures</c>, e.g. "logmel" or "lastfm-2k-sample".</summary>
    public static string FixtureDir(string name)
    {
        var dir = Path.Combine(RepoRoot, "tests", "fixtures", name);
        return Directory.Exists(dir) ? dir : throw new InvalidOperationException($"Fixture folder not found: {dir}");
    }

    /// <summary>A file of a fixture folder; fails saying where it looked if the file is absent.</summary>
    public static string FixtureFile(string folder, string name)
    {
        var path = Path.Combine(FixtureDir(folder), name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"Fixture file not found: {path}");
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
}
