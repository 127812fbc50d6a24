using Earworm.Testing;
using System.Diagnostics;
using System.Text;
using System.Xml.Linq;
using Earworm.App;
using Earworm.App.Accounts;
using Earworm.App.Library;
using Earworm.Subsonic.Hosting;

namespace Earworm.Subsonic.Tests;

/// <summary>The three ways of signing in, what conflicts, what fails, and that repeated failures are slowed down.</summary>
[Collection(ServedCollection.Name)]
public sealed class AuthenticationTests(ServedLibrary served)
{
    private async Task<(string Status, int? Code)> Ping(string auth)
    {
        var root = XDocument.Parse(await served.Http.GetStringAsync(served.Rest("ping.view", auth))).Root!;
        var error = root.Element(ApiErrorTests.Ns + "error");
        return ((string)root.Attribute("status")!, error is null ? null : (int)error.Attribute("code")!);
    }

    private static string Token(string user, string password, string salt) =>
        $"u={user}&t={SubsonicAuth.Md5Hex(password + salt)}&s={salt}";

    [FfmpegFact]
    public async Task TokenPasswordHexPasswordAndApiKeyEachSignIn()
    {
        Assert.Equal(("ok", (int?)null), await Ping(Token(ServedLibrary.Alice, ServedLibrary.AlicePassword, "c19b2d")));
        Assert.Equal(("ok", (int?)null), await Ping($"u=bob&p={ServedLibrary.BobPassword}"));
        Assert.Equal(("ok", (int?)null), await Ping($"u=alice&p=enc:{Convert.ToHexString(Encoding.UTF8.GetBytes(ServedLibrary.AlicePassword))}"));
        Assert.Equal(("ok", (int?)null), await Ping($"apiKey={Uri.EscapeDataString(served.AliceKey)}"));
    }

    [Fact]
    public void ATokenOverLatin1AsJavaScriptClientsHashItAlsoSignsIn()
    {
        // the tokens subsonic-api 3.3.1's own md5 gives for "café" and "hunter2" with salt "s1" (computed with it under node)
        Assert.True(SubsonicAuth.TokenMatches("café", "s1", "1a6ab7930883a579ed612bf490d80d40"));
        Assert.True(SubsonicAuth.TokenMatches("café", "s1", "3889f82d5a05a87075c9e2df1e1789f6")); // UTF-8, as the API says
        Assert.True(SubsonicAuth.TokenMatches("hunter2", "s1", "5460F62ABB1FF003DBF3FB49980D5058"));
        Assert.False(SubsonicAuth.TokenMatches("cafe", "s1", "1a6ab7930883a579ed612bf490d80d40"));
        Assert.False(SubsonicAuth.TokenMatches("caf€", "s1", SubsonicAuth.Md5Hex("caf¤s1"))); // beyond Latin-1: UTF-8 only
        Assert.True(SubsonicAuth.TokenMatches("caf€", "s1", SubsonicAuth.Md5Hex("caf€s1")));
    }

    [FfmpegFact]
    public async Task WrongCredentialsAre40AndAnUnknownKey44()
    {
        Assert.Equal(40, (await Ping(Token(ServedLibrary.Alice, "wrong", "abc"))).Code);
        Assert.Equal(40, (await Ping("u=alice&p=wrong")).Code);
        Assert.Equal(40, (await Ping("u=nobody&p=x")).Code);
        Assert.Equal(40, (await Ping("u=alice&p=enc:zz")).Code);
        Assert.Equal(44, (await Ping("apiKey=not-a-key")).Code);
        Assert.Equal("ok", (await Ping("u=bob&p=hunter2")).Status); // and a success clears the slow-down
    }

    [FfmpegFact]
    public async Task ConflictingMechanismsAre43AndMissingOnes10()
    {
        Assert.Equal(43, (await Ping($"apiKey={Uri.EscapeDataString(served.AliceKey)}&u=alice")).Code);
        Assert.Equal(43, (await Ping($"apiKey={Uri.EscapeDataString(served.AliceKey)}&p=x")).Code);
        Assert.Equal(43, (await Ping("u=alice&p=x&t=y&s=z")).Code);
        Assert.Equal(10, (await Ping("u=alice")).Code);
        Assert.Equal(10, (await Ping("u=alice&t=abc")).Code); // a token needs its salt
        Assert.Equal(10, (await Ping("f=xml")).Code);
    }

    [FfmpegFact]
    public async Task ProtocolVersionsTheServerDoesNotSpeakAre20And30()
    {
        Assert.Equal(30, (await Ping($"u=bob&p={ServedLibrary.BobPassword}&v=1.17.0")).Code);
        Assert.Equal(30, (await Ping($"u=bob&p={ServedLibrary.BobPassword}&v=2.0")).Code);
        Assert.Equal(20, (await Ping($"u=bob&p={ServedLibrary.BobPassword}&v=0.9.0")).Code);
        Assert.Equal(0, (await Ping($"u=bob&p={ServedLibrary.BobPassword}&v=latest")).Code);
        Assert.Equal("ok", (await Ping($"u=bob&p={ServedLibrary.BobPassword}&v=1.13.0")).Status);
    }

    [FfmpegFact]
    public async Task ExtensionsAnswerWithoutSigningIn()
    {
        var xml = await served.Http.GetStringAsync(new Uri(served.BaseUrl, "rest/getOpenSubsonicExtensions"));
        Assert.Contains("status=\"ok\"", xml, StringComparison.Ordinal);
        Assert.Contains("name=\"sonicSimilarity\"", xml, StringComparison.Ordinal);
        Assert.Contains("name=\"apiKeyAuthentication\"", xml, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task RepeatedFailuresAreSlowedDown()
    {
        Assert.Equal("ok", (await Ping("u=bob&p=hunter2")).Status);
        for (int i = 0; i < FailureThrottle.FreeFailures; i++) Assert.Equal(40, (await Ping("u=bob&p=guess")).Code);
        var clock = Stopwatch.StartNew();
        Assert.Equal(40, (await Ping("u=bob&p=guess")).Code);
        Assert.Equal(40, (await Ping("u=bob&p=guess")).Code);
        // the server's timers tick in whole milliseconds, this clock in fractions: a few ms of slack (unthrottled, the two take ~10 ms)
        Assert.True(clock.Elapsed >= FailureThrottle.DelayAfter(FailureThrottle.FreeFailures + 1) + FailureThrottle.DelayAfter(FailureThrottle.FreeFailures + 2)
            - TimeSpan.FromMilliseconds(20), $"two failures after the free ones took only {clock.ElapsedMilliseconds} ms");
        clock.Restart();
        Assert.Equal("ok", (await Ping("u=bob&p=hunter2")).Status);
        Assert.Equal(40, (await Ping("u=bob&p=guess")).Code);
        // Without the reset this failure would wait DelayAfter(FreeFailures + 3) (1 s); a wall-clock bound below that, not
        // a tight one, so a busy machine cannot fail it.
        Assert.True(clock.Elapsed < FailureThrottle.DelayAfter(FailureThrottle.FreeFailures + 3),
            $"a success clears the slow-down (a sign-in and a failure took {clock.ElapsedMilliseconds} ms)");
    }

    [FfmpegFact]
    public async Task ARevokedKeyIsRefusedAndANewOneWorks()
    {
        var accounts = new AccountService(new LibraryCache(new CatalogLocation(served.CatalogPath)));
        var made = accounts.NewKey(ServedLibrary.Bob, "revoked soon");
        Assert.Equal("ok", await Eventually($"apiKey={Uri.EscapeDataString(made.Key)}", "ok"));
        accounts.Revoke(made.Record.Id);
        Assert.Equal("failed", await Eventually($"apiKey={Uri.EscapeDataString(made.Key)}", "failed"));
        Assert.Equal(44, (await Ping($"apiKey={Uri.EscapeDataString(made.Key)}")).Code);
    }

    /// <summary>The server reads accounts again when the catalog changes (looked at once a second).</summary>
    private async Task<string> Eventually(string auth, string want)
    {
        var status = "";
        for (int i = 0; i < 5 && status != want; i++)
        {
            await Task.Delay(i == 0 ? 1100 : 500); // few tries: failures are slowed down
            status = (await Ping(auth)).Status;
        }
        await Ping("u=bob&p=hunter2"); // clears the slow-down for the tests after
        return status;
    }
}
