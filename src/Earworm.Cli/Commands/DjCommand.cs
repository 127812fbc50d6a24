using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Earworm.App;
using Earworm.App.Playlists;
using Earworm.Mpd.Dj;
using Earworm.Mpd.Protocol;
using Earworm.Recommend.Spaces;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm dj</c>: keeps MPD's queue filled with keep-playing picks, learning from skips.</summary>
internal static class DjCommand
{
    private static readonly Option<string?> Mpd = new("--mpd") { Description = "Where MPD listens: HOST:PORT, HOST, or the path of its local socket (default: $MPD_HOST and $MPD_PORT, else localhost:6600)", HelpName = "HOST:PORT" };
    private static readonly Option<string?> Password = new Option<string?>("--password") { Description = "MPD's password (default: $MPD_PASSWORD)", HelpName = "P" }.AllowBlank();
    private static readonly Option<int> QueueLength = new("--queue-length") { Description = $"Songs kept queued after the current one (1–{DjOptions.MaxQueueLength})", DefaultValueFactory = _ => 2, HelpName = "N" };
    private static readonly Option<string?> Space = new("--space") { Description = $"The space the picks walk: {string.Join(", ", SpaceService.Names)} (`earworm similar --help` says what each is; default: the best present)", HelpName = "SPACE" };
    private static readonly Option<int> KeepOn = new("--keep-on") { Description = "Each pick is near the mean of the last K songs", DefaultValueFactory = _ => 3, HelpName = "K" };
    private static readonly Option<double> Drunk = new("--drunk") { Description = $"Randomness of the picks (0: deterministic; at most {PlaylistLimits.MaxDrunk}, nearly random)", DefaultValueFactory = _ => 0, HelpName = "X" };
    private static readonly Option<double> HistoryHours = new("--history-hours") { Description = "Never queue a song played or skipped within these hours", DefaultValueFactory = _ => 24, HelpName = "H" };
    private static readonly Option<string[]> BlockArtist = new("--block-artist") { Description = "Never queue this artist (repeatable; several names may follow)", HelpName = "NAME", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string> User = new("--user") { Description = "Whose plays and skips these are (their dislikes never play)", DefaultValueFactory = _ => DjOptions.DefaultUser, HelpName = "NAME" };
    private static readonly Option<string?> MusicDir = new("--music-dir") { Description = "MPD's music_directory as this machine sees it (default: asked of MPD on its local socket, else inferred from the paths)", HelpName = "DIR" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("dj", "An auto-DJ for MPD: keeps --queue-length songs queued after the one playing, each picked by sound " +
                                    "from what has just played (keep playing, as `earworm playlist`). A song left before 30 s or half its " +
                                    "length is a skip for --user: the next picks steer away from it, and its own waiting picks are picked " +
                                    "again; a song heard out is a play. Both are recorded as the listener's feedback. Songs MPD has that " +
                                    "Earworm has not analysed are passed over; songs played within --history-hours are never queued again. " +
                                    "It waits for MPD's events (idle), reconnects when MPD restarts, and logs one line per thing it does. " +
                                    "Ctrl-C stops it.")
        {
            Mpd, Password, QueueLength, Space, KeepOn, Drunk, HistoryHours, BlockArtist, User, MusicDir,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var options = new DjOptions
            {
                Address = MpdAddress.Parse(parse.GetValue(Mpd) ?? DefaultAddress()),
                Password = parse.GetValue(Password) ?? NonEmpty(Environment.GetEnvironmentVariable("MPD_PASSWORD")),
                QueueLength = parse.GetValue(QueueLength), Space = parse.GetValue(Space), KeepOn = parse.GetValue(KeepOn),
                Drunk = parse.GetValue(Drunk), HistoryHours = parse.GetValue(HistoryHours), BlockArtists = parse.GetValue(BlockArtist) ?? [],
                User = parse.GetValue(User) ?? DjOptions.DefaultUser, MusicDirectory = parse.GetValue(MusicDir),
            }.Validate();
            if (!ctx.Location.Exists) ctx.Location.OpenExisting().Dispose(); // says how to make one
            using var app = ctx.Services();
            var lines = new InlineProgress<DjEvent>(e =>
            {
                if (ctx.Json) ctx.Out.WriteLine(JsonSerializer.Serialize(e, JsonLines));
                else ctx.Out.WriteLine($"{e.At.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {e.Message}");
                ctx.Out.Flush();
            });
            await new AutoDj(app, options, lines).RunAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static readonly JsonSerializerOptions JsonLines = new(JsonSerializerDefaults.Web);

    /// <summary>mpc's convention: $MPD_HOST (a host or a socket path) and $MPD_PORT.</summary>
    private static string DefaultAddress()
    {
        string host = NonEmpty(Environment.GetEnvironmentVariable("MPD_HOST")) ?? "localhost";
        return host.StartsWith('/') || host.StartsWith('~') ? host
            : $"{host}:{NonEmpty(Environment.GetEnvironmentVariable("MPD_PORT")) ?? MpdAddress.DefaultPort.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
