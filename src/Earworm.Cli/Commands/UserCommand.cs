using System.CommandLine;
using System.Globalization;
using Earworm.App.Accounts;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm user add|key|keys|revoke|list|remove</c>: the accounts apps sign in with (OpenSubsonic).</summary>
internal static class UserCommand
{
    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("user", "Accounts for the apps that play from `earworm serve` (OpenSubsonic, under /rest/): passwords are stored " +
                                      "sealed with a key beside the catalog (catalog.key, mode 0600), API keys by their SHA-256 only");
        cmd.Add(Add(context));
        cmd.Add(Key(context));
        cmd.Add(Keys(context));
        cmd.Add(Revoke(context));
        cmd.Add(List(context));
        cmd.Add(Remove(context));
        return cmd;
    }

    private static Argument<string> Name() => new("name") { Description = "The user's name (the listener their plays and likes are recorded for)" };

    private static AccountService Accounts(CliContext ctx) => new(new App.Library.LibraryCache(ctx.Location));

    private static Command Add(Func<ParseResult, CliContext> context)
    {
        var name = Name();
        var password = new Option<string?>("--password") { Description = "The password (also from $EARWORM_PASSWORD, which keeps it out of the process list)", HelpName = "P" }.AllowBlank();
        var cmd = new Command("add", "Add an account, or set the password of one") { name, password };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            var p = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("EARWORM_PASSWORD")
                ?? throw new UsageException("give the password: --password P (or $EARWORM_PASSWORD)");
            ctx.OpenCatalog().Dispose(); // a new catalog is fine: accounts may come before the first scan
            var account = Accounts(ctx).Add(parse.GetValue(name)!, p);
            if (ctx.Json) ctx.WriteJson(new { account.Name, account.CreatedAt, account.UpdatedAt });
            else ctx.Console.MarkupLine($"Account [bold]{Markup.Escape(account.Name)}[/] {(account.CreatedAt == account.UpdatedAt ? "added" : "updated")}.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Key(Func<ParseResult, CliContext> context)
    {
        var name = Name();
        var label = new Option<string?>("--label") { Description = "What the key is for (an app, a device)", HelpName = "TEXT" };
        var cmd = new Command("key", "Make a new API key for an account and print it (shown once: only its hash is kept)") { name, label };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            var made = Accounts(ctx).NewKey(parse.GetValue(name)!, parse.GetValue(label));
            if (ctx.Json) ctx.WriteJson(new { made.Record.Id, made.Record.User, made.Record.Label, made.Key });
            else ctx.Out.WriteLine(made.Key);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Keys(Func<ParseResult, CliContext> context)
    {
        var name = new Argument<string?>("name") { Description = "Only this user's keys", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("keys", "List API keys: id, user, label, made (the keys themselves are not kept)") { name };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            var keys = Accounts(ctx).Keys(parse.GetValue(name));
            if (ctx.Json)
            {
                ctx.WriteJson(keys.Select(k => new { k.Id, k.User, k.Label, k.CreatedAt }));
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("id", "user", "label", "made");
            foreach (var k in keys) table.AddRow(N(k.Id), Markup.Escape(k.User), Markup.Escape(k.Label), Day(k.CreatedAt));
            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Revoke(Func<ParseResult, CliContext> context)
    {
        var id = new Argument<long>("id") { Description = "The key's id (`earworm user keys`)" };
        var cmd = new Command("revoke", "Revoke an API key: apps using it are refused from then on") { id };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            Accounts(ctx).Revoke(parse.GetValue(id));
            if (!ctx.Json) ctx.Console.MarkupLine($"API key {parse.GetValue(id)} revoked.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command List(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("list", "List the accounts: name, API keys, made, password last set");
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            var accounts = Accounts(ctx).List();
            if (ctx.Json)
            {
                ctx.WriteJson(accounts.Select(a => new { a.Name, a.ApiKeys, a.CreatedAt, a.UpdatedAt }));
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("user", "API keys", "made", "password set");
            table.Columns[1].RightAligned();
            foreach (var a in accounts) table.AddRow(Markup.Escape(a.Name), N(a.ApiKeys), Day(a.CreatedAt), Day(a.UpdatedAt));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine(accounts.Count == 1 ? "1 account." : $"{accounts.Count} accounts.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Remove(Func<ParseResult, CliContext> context)
    {
        var name = Name();
        var cmd = new Command("remove", "Remove an account and its API keys (the listener's plays, likes and playlists stay)") { name };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            Accounts(ctx).Remove(parse.GetValue(name)!);
            if (!ctx.Json) ctx.Console.MarkupLine($"Account {Markup.Escape(parse.GetValue(name)!)} removed.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
