namespace Earworm.Web.Tests;

/// <summary>
/// A fact that drives Debian's chromium (/usr/bin/chromium, or $EARWORM_CHROMIUM). test.sh installs it when it runs as
/// root; elsewhere, when it is missing, the test skips and says what to install. Under CI (CI set) it always runs.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") is null && !File.Exists(Browser.ExecutablePath))
            Skip = $"chromium is not installed at {Browser.ExecutablePath}: install it with `sudo apt-get install -y chromium` (./test.sh does as root)";
    }
}

internal static class Browser
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("EARWORM_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
    ];
}
