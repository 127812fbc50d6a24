using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Earworm.Web.Hosting;

/// <summary>
/// The page's files, embedded in this assembly (wwwroot/…): served by exact name only, so no request path ever
/// reaches the file system. "/" is index.html. Each file has a strong ETag; browsers revalidate (no-cache).
/// </summary>
internal sealed class EmbeddedAssets
{
    private readonly Dictionary<string, (byte[] Body, string Type, string ETag)> _files = new(StringComparer.Ordinal);

    public EmbeddedAssets()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var s = assembly.GetManifestResourceStream(name)!;
            using var m = new MemoryStream();
            s.CopyTo(m);
            var body = m.ToArray();
            var path = name["wwwroot".Length..];
            _files[path] = (body, TypeOf(path), "\"" + Convert.ToHexString(SHA256.HashData(body))[..16] + "\"");
        }
    }

    public IReadOnlyCollection<string> Paths => _files.Keys;

    public async Task<bool> TryServeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        var path = request.Path.Value is null or "/" ? "/index.html" : request.Path.Value;
        if (!_files.TryGetValue(path, out var file)) return false;
        var response = context.Response;
        response.Headers.ETag = file.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (request.Headers.IfNoneMatch == file.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }
        response.ContentType = file.Type;
        response.ContentLength = file.Body.Length;
        if (HttpMethods.IsGet(request.Method)) await response.Body.WriteAsync(file.Body, context.RequestAborted).ConfigureAwait(false);
        return true;
    }

    private static string TypeOf(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
}
