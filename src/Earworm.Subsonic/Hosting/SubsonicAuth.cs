using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Earworm.App.Accounts;

namespace Earworm.Subsonic.Hosting;

/// <summary>
/// Who a request is from, by the API's three mechanisms: token (<c>u</c>, <c>t</c> = md5(password + <c>s</c>)),
/// password (<c>u</c>, <c>p</c>, in clear or <c>enc:</c> + hex), and API key (<c>apiKey</c>, the apiKeyAuthentication
/// extension: never with <c>u</c>, nor with a password or token — error 43). Wrong credentials are error 40 (an
/// unknown API key 44); comparisons take the same time whatever matches.
/// </summary>
public static class SubsonicAuth
{
    /// <returns>The account's name.</returns>
    /// <exception cref="SubsonicException">missing (10), conflicting (43) or wrong (40, 44) credentials.</exception>
    public static string Authenticate(SubsonicParameters p, AccountDirectory accounts)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(accounts);
        if (p.Get("apiKey") is { } key)
        {
            if (p.Has("u") || p.Has("p") || p.Has("t") || p.Has("s"))
                throw new SubsonicException(ErrorCode.ConflictingMechanisms, "multiple conflicting authentication mechanisms provided: an apiKey is used without u, p, t and s");
            return accounts.OwnerOfKey(key) ?? throw new SubsonicException(ErrorCode.InvalidApiKey, "invalid API key");
        }
        var user = p.Require("u");
        if (p.Has("p") && p.Has("t")) throw new SubsonicException(ErrorCode.ConflictingMechanisms, "multiple conflicting authentication mechanisms provided: p and t");
        var password = accounts.PasswordOf(user);
        bool ok;
        if (p.Get("t") is { } token)
        {
            var salt = p.Require("s");
            ok = password is not null && TokenMatches(password, salt, token);
        }
        else if (p.Get("p") is { } given)
        {
            ok = password is not null && FixedTimeEquals(password, DecodePassword(given));
        }
        else throw new SubsonicException(ErrorCode.MissingParameter, "required parameter 't' (with 's') or 'p' is missing, or use 'apiKey'");
        return ok ? user : throw new SubsonicException(ErrorCode.WrongCredentials, "wrong username or password");
    }

    /// <summary><c>enc:HEX</c> → the UTF-8 text; anything else as given.</summary>
    public static string DecodePassword(string p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!p.StartsWith("enc:", StringComparison.Ordinal)) return p;
        try
        {
            return Encoding.UTF8.GetString(Convert.FromHexString(p.AsSpan(4)));
        }
        catch (FormatException)
        {
            throw new SubsonicException(ErrorCode.WrongCredentials, "wrong username or password (p=enc: must be followed by hexadecimal)");
        }
    }

    /// <summary>Whether <paramref name="token"/> is md5(password + salt): over UTF-8, as the API defines it, or, when
    /// both are within Latin-1, over one byte per character — what JavaScript clients that hash UTF-16 code units
    /// (subsonic-api among them) send, so a password such as "café" signs in from them too.</summary>
    internal static bool TokenMatches(string password, string salt, string token)
    {
        var given = token.ToLowerInvariant();
        bool utf8 = FixedTimeEquals(Md5Hex(password + salt), given);
        var text = password + salt;
        if (utf8 || text.All(char.IsAscii) || !text.All(c => c <= '\u00FF')) return utf8;
#pragma warning disable CA5351 // as above
        return FixedTimeEquals(Convert.ToHexStringLower(MD5.HashData(Encoding.Latin1.GetBytes(text))), given);
#pragma warning restore CA5351
    }

    public static string Md5Hex(string text) =>
#pragma warning disable CA5351 // the API defines its token as md5(password + salt)
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

/// <summary>
/// Slows down guessing: after <see cref="FreeFailures"/> failed sign-ins in a row from one address, each further
/// failure is answered only after a delay that doubles (from <see cref="FirstDelay"/>, at most <see cref="MaxDelay"/>);
/// a success from the address clears it, and so does a quiet <see cref="Forget"/>.
/// </summary>
public sealed class FailureThrottle(TimeProvider time)
{
    public const int FreeFailures = 3;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan Forget = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Last)> _failures = new(StringComparer.Ordinal);

    /// <summary>Records a failure; how long to wait before answering it.</summary>
    public TimeSpan Failed(string client)
    {
        var now = time.GetUtcNow();
        var (n, _) = _failures.AddOrUpdate(client, _ => (1, now), (_, old) => (now - old.Last > Forget ? 1 : old.Failures + 1, now));
        if (_failures.Count > 10_000) Prune(now);
        return DelayAfter(n);
    }

    public void Succeeded(string client) => _failures.TryRemove(client, out _);

    /// <summary>The delay after the <paramref name="failures"/>-th failure in a row.</summary>
    public static TimeSpan DelayAfter(int failures)
    {
        if (failures <= FreeFailures) return TimeSpan.Zero;
        int doublings = Math.Min(failures - FreeFailures - 1, 10);
        var delay = FirstDelay * Math.Pow(2, doublings);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (k, v) in _failures)
            if (now - v.Last > Forget) _failures.TryRemove(k, out _);
    }
}
