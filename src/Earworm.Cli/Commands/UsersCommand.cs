using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm users</c>: the listeners in the catalog and how much of their listening it holds.</summary>
internal static class UsersCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("users", "List the listeners: interactions (imported records with plays), plays and skips (imported, and " +
                                       "heard in the web player, OpenSubsonic apps and the DJ), distinct items imported, playlists, first and last listen");
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            using var catalog = ctx.OpenExistingCatalog();
            var users = catalog.ListUsers();
            if (ctx.Json)
            {
                ctx.WriteJson(users);
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Simple)
                .AddColumns("user", "interactions", "plays", "items", "skips", "playlists", "first listen", "last listen");
            foreach (var i in new[] { 1, 2, 3, 4, 5 }) table.Columns[i].RightAligned();
            foreach (var u in users)
            {
                table.AddRow(Markup.Escape(u.Name), N(u.Interactions), u.Plays.ToString("0.##", CultureInfo.InvariantCulture), N(u.Items),
                    N(u.Skips), N(u.Playlists), Day(u.FirstListen), Day(u.LastListen));
            }
            ctx.Console.Write(table);
            ctx.Console.MarkupLine($"{Counted.Of(users.Count, "user")}.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
