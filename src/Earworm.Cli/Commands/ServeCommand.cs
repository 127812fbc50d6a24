using System.CommandLine;
using Earworm.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm serve</c>: the web app and REST API over the catalog.</summary>
internal static class ServeCommand
{
    private static readonly Option<string> Host = new("--host")
    {
        Description = "The address to listen on. Only this machine by default; any other address (0.0.0.0, a LAN address) needs --token",
        DefaultValueFactory = _ => "127.0.0.1",
        HelpName = "ADDRESS",
    };

    private static readonly Option<int> Port = new("--port", "-p")
    {
        Description = "The TCP port",
        DefaultValueFactory = _ => WebOptions.DefaultPort,
        HelpName = "PORT",
    };

    private static readonly Option<string?> Token = new("--token")
    {
        Description = $"A secret every request must carry (open the page once as /?token=SECRET). Also from ${WebOptions.TokenVariable}, " +
                      "which keeps it out of the process list",
        HelpName = "SECRET",
    };

    private static readonly Option<int> MaxUploadMb = new("--max-upload-mb")
    {
        Description = "Largest audio file the page may send for analysis, in MB",
        DefaultValueFactory = _ => 100,
        HelpName = "MB",
    };

    private static readonly Option<string> User = new("--user")
    {
        Description = "The listener likes, dislikes, skips and plays are recorded for",
        DefaultValueFactory = _ => "me",
        HelpName = "NAME",
    };

    private static readonly Option<string[]> Library = new("--library")
    {
        Description = "A folder audio may be streamed from besides those the catalog's scans were given (repeatable)",
        HelpName = "DIR",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("serve", "The web app and REST API on http://127.0.0.1:8050: browse and search the library, play with a queue, " +
                                       "keep playing from a track or a dropped file (keep-on, drunk; a file is embedded by the current audio model, " +
                                       "else placed by its descriptors), join the dots, the library map (the t-SNE of `earworm inspect model` " +
                                       "for the current audio model, else PCA), feedback that steers the next pick. API and OpenAPI document under /api and /openapi/v1.json; " +
                                       "the OpenSubsonic API for players' apps under /rest/ (accounts: `earworm user`). Ctrl-C stops it.")
        {
            Host, Port, Token, MaxUploadMb, User, Library,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var path = ctx.CatalogPath();
            ctx.Location.OpenExisting().Dispose(); // a missing catalog or an unreachable server says so before the server starts
            var options = new WebOptions
            {
                CatalogPath = path,
                Host = parse.GetValue(Host)!,
                Port = parse.GetValue(Port),
                Token = parse.GetValue(Token) ?? Environment.GetEnvironmentVariable(WebOptions.TokenVariable),
                MaxUploadBytes = (long)parse.GetValue(MaxUploadMb) * 1024 * 1024,
                DefaultUser = parse.GetValue(User)!,
                LibraryRoots = [.. (parse.GetValue(Library) ?? []).Select(Path.GetFullPath)],
                // uploads are embedded by the catalog's current audio model (loaded on the first upload, reloaded after training)
                EmbedWithAudioModel = true,
            };
            var app = EarwormServer.Build([], options, WebAppRun.Logging(ctx.Verbose));
            var host = options.Host.Contains(':', StringComparison.Ordinal) ? $"[{options.Host}]" : options.Host;
            var url = $"http://{(options.Host is "0.0.0.0" or "::" or "*" ? "127.0.0.1" : host)}";
            await WebAppRun.UntilCancelledAsync(app, ctx, $"cannot listen on {options.Host}:{options.Port}", "another server there? try --port",
                port => $"earworm: serving {path} on {url}:{port}/{(options.Token is null ? "" : "?token=…")} (API under /api, OpenAPI at /openapi/v1.json); Ctrl-C stops",
                ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
