using Earworm.Catalog;
using Earworm.Testing;

namespace Earworm.Cli.Tests;

public class DjCommandTests
{
    [Fact]
    public async Task HelpExplainsTheDjAndItsOptions()
    {
        var r = await CliRunner.RunAsync("dj", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var word in new[] { "--mpd", "--queue-length", "--keep-on", "--drunk", "--history-hours", "--block-artist", "--user", "--music-dir", "30 s", "skip" })
            Assert.Contains(word, r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--queue-length must be 1–50", "dj", "--queue-length", "0")]
    [InlineData("the port must be a number", "dj", "--mpd", "localhost:99999")]
    [InlineData("--drunk must be", "dj", "--drunk", "2")]
    [InlineData("--history-hours must be", "dj", "--history-hours", "-1")]
    [InlineData("--music-dir /no/such/folder is not a folder", "dj", "--music-dir", "/no/such/folder")]
    public async Task BadValuesAreUsageErrorsWithTheReason(string reason, params string[] args)
    {
        var r = await CliRunner.RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(reason, r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyCatalogSaysWhatToDoBeforeAskingMpd()
    {
        using var dir = new TempDirectory();
        var db = dir.File("catalog.db");
        var missing = await CliRunner.RunAsync("dj", "--db", db, "--mpd", "127.0.0.1:1");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("earworm scan", missing.Err, StringComparison.Ordinal);
        CatalogStore.Open(db).Dispose();
        var empty = await CliRunner.RunAsync("dj", "--db", db, "--mpd", "127.0.0.1:1");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("scan", empty.Err, StringComparison.Ordinal);
    }
}
