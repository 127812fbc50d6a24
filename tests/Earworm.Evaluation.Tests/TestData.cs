namespace Earworm.Evaluation.Tests;

/// <summary>Locates the shared data folder beside the repository root (<c>../shared</c>). Missing data is a
/// failure, never a skip: the message says where it looked.</summary>
internal static class TestData
{
    private const string SolutionFile = "Earworm.slnx";

    public static string RepoRoot
    {
        get
        {
            var start = AppContext.BaseDirectory;
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
            throw new InvalidOperationException($"No {SolutionFile} found in {start} or any folder above it.");
        }
    }

    /// <summary>A file of HetRec Last.fm 2K in <c>../shared/data/lastfm-2k</c>.</summary>
    public static string LastFmFile(string name)
    {
        var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "lastfm-2k", name));
        if (!File.Exists(path)) throw new InvalidOperationException($"Last.fm 2K file not found: {path}");
        return path;
    }
}
