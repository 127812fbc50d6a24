using System.Buffers;
using Earworm.App;
using Earworm.App.Library;
using Earworm.Subsonic.Endpoints;
using Earworm.Subsonic.Hosting;
using Earworm.Subsonic.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Earworm.Subsonic;

/// <summary>An endpoint's answer: null (an empty <c>ok</c>), a <see cref="SubsonicNode"/> or <see cref="SubsonicList"/>
/// inside the envelope, or an <see cref="IResult"/> (audio, pictures).</summary>
public delegate ValueTask<object?> SubsonicHandler(SubsonicRequest request);

/// <summary>A list at the top of the response (getOpenSubsonicExtensions, the sonicSimilarity endpoints).</summary>
public sealed record SubsonicList(string Name, IReadOnlyList<SubsonicNode> Items);

/// <summary>
/// The OpenSubsonic API under <c>/rest/</c>: <c>/rest/NAME</c> and <c>/rest/NAME.view</c>, GET and form POST, XML by
/// default and JSON with <c>f=json</c>. Every answer is HTTP 200: errors are <c>status="failed"</c> with the API's
/// code (a missing parameter 10, a malformed one 0 with a message, wrong credentials 40 — slowed down when repeated —,
/// unknown ids 70), never a 500. Each endpoint parses, calls the application layer and renders one response model.
/// </summary>
public sealed class SubsonicApi
{
    private readonly Dictionary<string, (SubsonicHandler Handler, bool Open)> _endpoints = new(StringComparer.OrdinalIgnoreCase);
    private readonly EarwormServices _services;
    private readonly FailureThrottle _throttle;
    private readonly ListenerStates _listeners = new();
    private readonly NowPlaying _nowPlaying;
    private readonly ILogger _log;

    public SubsonicApi(EarwormServices services, TimeProvider time, ILogger<SubsonicApi> log)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _throttle = new FailureThrottle(time ?? TimeProvider.System);
        _nowPlaying = new NowPlaying(time ?? TimeProvider.System);
        _log = log ?? throw new ArgumentNullException(nameof(log));
        BrowsingEndpoints.Register(this);
        ListEndpoints.Register(this);
        MediaEndpoints.Register(this);
        ListeningEndpoints.Register(this);
        PlaylistEndpoints.Register(this);
        SimilarityEndpoints.Register(this);
    }

    /// <summary>The endpoints' names, for getOpenSubsonicExtensions' neighbours and tests.</summary>
    public IReadOnlyCollection<string> Names => _endpoints.Keys;

    /// <param name="open">answered without signing in (only getOpenSubsonicExtensions, as the extension requires).</param>
    public void Add(string name, SubsonicHandler handler, bool open = false) => _endpoints.Add(name, (handler, open));

    /// <summary>Maps <c>/rest/{method}</c> on <paramref name="app"/>, with the services registered there.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var sp = app.ServiceProvider;
        var api = new SubsonicApi(sp.GetRequiredService<EarwormServices>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<SubsonicApi>>());
        // HEAD too: players and casting devices probe a stream's type and length before they fetch it
        app.MapMethods("/rest/{method}", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post], api.HandleAsync).ExcludeFromDescription();
    }

    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var method = (http.Request.RouteValues["method"] as string ?? "");
        if (method.EndsWith(".view", StringComparison.OrdinalIgnoreCase)) method = method[..^5];
        SubsonicParameters? p = null;
        bool json = false;
        string? callback = null;
        try
        {
            p = await SubsonicParameters.ReadAsync(http.Request).ConfigureAwait(false);
            json = p.Get("f") is "json" or "jsonp";
            if (p.Get("f") == "jsonp") callback = Callback(p.Get("callback"));
            var found = _endpoints.TryGetValue(method, out var endpoint);
            string? user = found && endpoint.Open ? null : await SignInAsync(http, p).ConfigureAwait(false);
            CheckVersion(p.Get("v"));
            // a method Earworm does not answer is a feature it lacks (generic, 0), not data it could not find (70)
            if (!found) throw new SubsonicException(ErrorCode.Generic, $"Earworm does not answer '{SubsonicException.Clip(method)}' (not implemented)");
            var request = new SubsonicRequest(http, p, user, _services, _listeners, _nowPlaying);
            var answer = await endpoint.Handler(request).ConfigureAwait(false);
            if (answer is IResult result)
            {
                await result.ExecuteAsync(http).ConfigureAwait(false);
                return;
            }
            var ok = SubsonicResponse.Ok();
            if (answer is SubsonicNode node) ok.Add(node);
            else if (answer is SubsonicList list) ok.AddList(list.Name, list.Items);
            await WriteAsync(http, ok, json, callback).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested) { }
        catch (Exception e)
        {
            var (code, message) = Failure(e);
            if (code == ErrorCode.Generic && e is not SubsonicException and not UsageException)
                _log.LogError(e, "OpenSubsonic {Method} failed", method);
            if (http.Response.HasStarted) return; // a stream cut short: the player sees the end
            http.Response.Clear();
            await WriteAsync(http, SubsonicResponse.Failed(code, message), json, callback).ConfigureAwait(false);
        }
    }

    /// <summary>The account a request signs in as; failures are answered late when they repeat.</summary>
    private async Task<string> SignInAsync(HttpContext http, SubsonicParameters p)
    {
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "?";
        try
        {
            var user = SubsonicAuth.Authenticate(p, _services.Accounts.Directory());
            _throttle.Succeeded(client);
            return user;
        }
        catch (SubsonicException e) when (e.Code is ErrorCode.WrongCredentials or ErrorCode.InvalidApiKey)
        {
            var delay = _throttle.Failed(client);
            if (delay > TimeSpan.Zero) await Task.Delay(delay, http.RequestAborted).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The protocol version a client speaks (<c>v</c>): one above the server's is error 30, below 1.0 error 20.</summary>
    internal static void CheckVersion(string? v)
    {
        if (string.IsNullOrEmpty(v)) return; // apps that leave it out get the current protocol
        var parts = v.Split('.');
        if (parts.Length is < 2 or > 3 || !parts.All(x => x.Length is > 0 and < 6 && x.All(char.IsAsciiDigit)))
            throw SubsonicException.Malformed("v", v, "a protocol version such as 1.16.1");
        int major = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        int minor = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        if (major > 1 || (major == 1 && minor > 16))
            throw new SubsonicException(ErrorCode.ServerTooOld, $"incompatible protocol version {v}: the server must upgrade (it speaks {SubsonicResponse.ApiVersion})");
        if (major < 1) throw new SubsonicException(ErrorCode.ClientTooOld, $"incompatible protocol version {v}: the client must upgrade");
    }

    /// <summary>An exception as the API's error code and message; internals never leak.</summary>
    internal static (int Code, string Message) Failure(Exception e) => e switch
    {
        SubsonicException s => (s.Code, s.Message),
        TrackNotFoundException t => (ErrorCode.NotFound, t.Message),
        UsageException u => (ErrorCode.Generic, u.Message),
        PrerequisiteMissingException m => (ErrorCode.Generic, m.Message),
        BadHttpRequestException b => (ErrorCode.Generic, $"bad request: {b.Message}"),
        InvalidDataException d => (ErrorCode.Generic, $"bad request: {d.Message}"),
        _ => (ErrorCode.Generic, "the server could not answer this request (its log says why)"),
    };

    /// <summary>The function a <c>f=jsonp</c> answer calls: a JavaScript name (dotted names allowed, as jQuery's
    /// <c>jQuery123.cb</c>), so the answer can only ever be that call; anything else is refused (answered as JSON).</summary>
    internal static string Callback(string? name)
    {
        if (string.IsNullOrEmpty(name)) throw SubsonicException.Missing("callback");
        bool valid = name.Length <= 128 && name.Split('.').All(part =>
            part.Length > 0 && !char.IsAsciiDigit(part[0]) && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$'));
        return valid ? name : throw SubsonicException.Malformed("callback", name, "a JavaScript function name");
    }

    private static async Task WriteAsync(HttpContext http, SubsonicNode response, bool json, string? callback)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = callback is not null ? "application/javascript; charset=utf-8"
            : json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8";
        var buffer = ResponseBuffers.Rent();
        try
        {
            if (callback is not null) buffer.Write(System.Text.Encoding.ASCII.GetBytes(callback + "("));
            if (json) SubsonicResponse.WriteJson(response, buffer);
            else SubsonicResponse.WriteXml(response, buffer);
            if (callback is not null) buffer.Write(");"u8);
            http.Response.ContentLength = buffer.WrittenCount;
            await http.Response.Body.WriteAsync(buffer.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            ResponseBuffers.Return(buffer);
        }
    }
}
