using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Earworm.Web.Hosting;

/// <summary>
/// When the server has a token, every request must carry it: <c>Authorization: Bearer …</c>, <c>X-Earworm-Token</c>,
/// <c>?token=</c> (the page's first load; it then sets an HttpOnly, SameSite=Strict cookie, so the audio element's
/// requests carry it too) or that cookie. Compared in constant time. The OpenSubsonic API (<c>/rest/</c>) is left to its
/// own sign-in: apps cannot send this token.
/// </summary>
internal sealed class TokenGate(string token)
{
    public const string Cookie = "earworm_token";
    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var r = context.Request;
        if (r.Path.StartsWithSegments("/rest")) // the OpenSubsonic API signs in its own listeners (u/t/s, p, apiKey)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        string? given = null;
        if (r.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal)) given = auth[7..].Trim();
        given ??= r.Headers["X-Earworm-Token"].FirstOrDefault();
        given ??= r.Cookies[Cookie];
        var fromQuery = r.Query["token"].FirstOrDefault();
        given ??= fromQuery;
        if (given is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _token))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Problem(statusCode: 401, title: "Unauthorized",
                detail: "this server needs its token: open the page as /?token=SECRET, or send Authorization: Bearer SECRET").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        if (fromQuery is not null && r.Cookies[Cookie] is null)
            context.Response.Cookies.Append(Cookie, given, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
        await next(context).ConfigureAwait(false);
    }
}
