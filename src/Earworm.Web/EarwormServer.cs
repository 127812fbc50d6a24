using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.App;
using Earworm.App.Library;
using Earworm.App.Recommendations;
using Earworm.Recommend.Spaces;
using Earworm.Web.Endpoints;
using Earworm.Web.Hosting;
using Earworm.Web.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Earworm.Web;

/// <summary>
/// Builds the web app: Kestrel on <see cref="WebOptions.Host"/>:<see cref="WebOptions.Port"/>, the token gate, problem
/// details for every error (a bad request is a 400 with a body, never a 500), the embedded page, OpenAPI at
/// /openapi/v1.json and the /api endpoints, each a thin call into the application layer the CLI uses
/// (<see cref="EarwormServices"/>, one for the server's lifetime).
/// </summary>
public static class EarwormServer
{
    /// <summary>The app for <paramref name="options"/>; null options are read from configuration
    /// (<c>--catalog</c>, <c>--host</c>, <c>--port</c>, <c>--token</c> or EARWORM_TOKEN), as the standalone entry point and tests do.</summary>
    /// <remarks>Uploads are embedded with the catalog's current audio model when <see cref="WebOptions.EmbedWithAudioModel"/>
    /// says so (<c>earworm serve</c> does), or with an <see cref="IAudioFileEmbedder"/> registered in the services (tests
    /// do); otherwise they are placed by their descriptors only.</remarks>
    /// <param name="audioFiles">An embedder of one's own for uploads (tests), as if registered in the services.</param>
    /// <param name="extensions">What a host adds around the app (a cluster's silo: Orleans, its similar tracks, its routes).</param>
    public static WebApplication Build(string[] args, WebOptions? options = null, Action<ILoggingBuilder>? logging = null,
        IAudioFileEmbedder? audioFiles = null, ServerExtensions? extensions = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        options ??= FromConfiguration(builder.Configuration);
        options.Validate();
        if (logging is not null) logging(builder.Logging);
        Listen(builder.WebHost, options);
        AddApplicationLayer(builder.Services, options, audioFiles, extensions?.Services);
        AddApi(builder.Services, options);
        extensions?.Configure?.Invoke(builder);
        var app = builder.Build();
        UsePipeline(app, options, extensions?.Map);
        return app;
    }

    /// <summary>Kestrel on the address asked for, with the upload limit as the body limit and no server header.</summary>
    private static void Listen(IWebHostBuilder host, WebOptions options) => host.UseKestrel(k =>
    {
        k.AddServerHeader = false;
        k.Limits.MaxRequestBodySize = options.MaxUploadBytes + WebOptions.MultipartEnvelopeBytes;
        if (options.Host is "localhost") k.ListenLocalhost(options.Port);
        else if (options.Host is "*") k.ListenAnyIP(options.Port);
        else k.Listen(IPAddress.Parse(options.Host), options.Port);
    });

    /// <summary>One <see cref="EarwormServices"/> for the server's lifetime, and each service the endpoints take from it.</summary>
    private static void AddApplicationLayer(IServiceCollection services, WebOptions options, IAudioFileEmbedder? audioFiles,
        Func<IServiceProvider, ServiceOptions, ServiceOptions>? extend)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        if (audioFiles is not null) services.AddSingleton(audioFiles);
        services.AddSingleton(sp =>
        {
            var serviceOptions = new ServiceOptions
            {
                ExtraRoots = options.LibraryRoots,
                EmbedWithAudioModel = options.EmbedWithAudioModel,
                Embedder = sp.GetService<IAudioFileEmbedder>(),
                UploadFolder = options.UploadFolder,
                Time = sp.GetRequiredService<TimeProvider>(),
                Logging = sp.GetService<ILoggerFactory>(),
            };
            return new EarwormServices(new CatalogLocation(options.CatalogPath), extend is null ? serviceOptions : extend(sp, serviceOptions));
        });
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Library);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Uploads);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Placement);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Similar);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().LocalSimilar);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Playlists);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Recommendations);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Next);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Discover);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Feedback);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Maps);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Scans);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Status);
        services.AddSingleton(sp => sp.GetRequiredService<EarwormServices>().Tags);
    }

    /// <summary>The API's conventions: form and JSON limits, enums as camel-case strings, problem details that say what
    /// went wrong (<see cref="Errors"/>), the OpenAPI document, the embedded page.</summary>
    private static void AddApi(IServiceCollection services, WebOptions options)
    {
        services.AddSingleton<EmbeddedAssets>();
        services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.MaxUploadBytes + WebOptions.MultipartEnvelopeBytes);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // binding errors reach the handler below as 400s
        services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            j.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddProblemDetails(p => p.CustomizeProblemDetails = c =>
        {
            if (c.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is { } e && Errors.Visible(e) is { } detail) c.ProblemDetails.Detail = detail;
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Earworm";
            doc.Info.Description = "Listen, steer and explore a music library: tracks, similar, playlists, recommendations, analysis, feedback, audio, map, status.";
            return Task.CompletedTask;
        }));
    }

    /// <summary>Errors as problem details, the token gate, safety headers, the page, then the API under /api and the
    /// OpenSubsonic API under /rest.</summary>
    private static void UsePipeline(WebApplication app, WebOptions options, Action<WebApplication>? map)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = Errors.Status, SuppressDiagnosticsCallback = c => Errors.Status(c.Exception) < 500 });
        app.UseStatusCodePages();
        if (!string.IsNullOrEmpty(options.Token)) app.Use(new TokenGate(options.Token).InvokeAsync);
        app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            if (!await context.RequestServices.GetRequiredService<EmbeddedAssets>().TryServeAsync(context).ConfigureAwait(false)) await next(context).ConfigureAwait(false);
        });
        app.MapOpenApi();
        var api = app.MapGroup("/api");
        LibraryEndpoints.Map(api);
        DiscoveryEndpoints.Map(api);
        WordEndpoints.Map(api);
        Subsonic.SubsonicApi.Map(app); // /rest/: the OpenSubsonic API for the apps people already use
        map?.Invoke(app);
    }

    /// <summary>Options from configuration keys catalog, host, port, token (or EARWORM_TOKEN), max-upload-mb, user, library.</summary>
    public static WebOptions FromConfiguration(IConfiguration c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var catalog = c["catalog"] ?? throw new UsageException("no catalog: pass --catalog PATH");
        return new WebOptions
        {
            CatalogPath = catalog,
            Host = c["host"] ?? "127.0.0.1",
            Port = int.TryParse(c["port"], System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : WebOptions.DefaultPort,
            Token = c["token"] ?? Environment.GetEnvironmentVariable(WebOptions.TokenVariable),
            MaxUploadBytes = long.TryParse(c["max-upload-mb"], System.Globalization.CultureInfo.InvariantCulture, out var mb) ? mb * 1024 * 1024 : 100L * 1024 * 1024,
            DefaultUser = c["user"] ?? "me",
            UploadFolder = c["upload-folder"],
            EmbedWithAudioModel = bool.TryParse(c["embed-uploads"], out var embed) && embed,
            LibraryRoots = c["library"] is { Length: > 0 } lib ? lib.Split(Path.PathSeparator) : [],
        };
    }
}

/// <summary>What a host adds around the web app: services (a cluster's silo), the application layer's options
/// changed (where similar tracks come from, who hears of feedback), routes of its own.</summary>
public sealed record ServerExtensions
{
    public Action<WebApplicationBuilder>? Configure { get; init; }
    public Func<IServiceProvider, ServiceOptions, ServiceOptions>? Services { get; init; }
    public Action<WebApplication>? Map { get; init; }
}

/// <summary>Exceptions as HTTP: the caller's mistakes are 4xx with the reason; anything else a 500 without internals.</summary>
internal static class Errors
{
    public static int Status(Exception e) => e switch
    {
        BadHttpRequestException b => b.StatusCode,
        TrackNotFoundException or UserNotFoundException => StatusCodes.Status404NotFound,
        UploadTooLargeException => StatusCodes.Status413PayloadTooLarge,
        UsageException or JsonException or ArgumentException or FormatException or InvalidDataException => StatusCodes.Status400BadRequest,
        PrerequisiteMissingException => StatusCodes.Status503ServiceUnavailable,
        MediaReadException => StatusCodes.Status422UnprocessableEntity,
        OperationCanceledException => 499,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The message a caller may see: ours and the framework's request errors; null for the rest.</summary>
    public static string? Visible(Exception e) => Status(e) < 500 || e is PrerequisiteMissingException
        ? (e is BadHttpRequestException { InnerException: JsonException j } ? $"malformed JSON: {j.Message}" : e.Message)
        : null;
}
