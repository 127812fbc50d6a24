using System.CommandLine;
using Earworm.App.Events;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm events</c>: the event log (what Earworm showed listeners and what they did next).</summary>
internal static class EventsCommand
{
    private static readonly Option<string> Out = new("--out") { Description = "The file to write: FILE.jsonl (JSON Lines) or FILE.parquet", Required = true, HelpName = "FILE" };
    private static readonly Option<string?> Format = new("--format") { Description = "jsonl or parquet (default: the output's extension)", HelpName = "FORMAT" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var export = new Command("export", "Write the event log as JSON Lines or Parquet (one row an event, the same fields as columns): every impression (listener, track, list and position, surface, " +
                                           "policy and version, propensity, score, context) and outcome (play of 30 s or more, completion, skip with " +
                                           "its position, like, dislike; linked to the impression it followed), in time order") { Out, Format };
        export.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            using var catalog = ctx.OpenExistingCatalog();
            var result = await EventExport.WriteAsync(catalog, parse.GetValue(Out)!, parse.GetValue(Format), ct);
            if (ctx.Json) ctx.WriteJson(result);
            else ctx.Console.MarkupLine($"{Counted.Of(result.Impressions, "impression")} and {Counted.Of(result.Outcomes, "outcome")} written to [bold]{Markup.Escape(result.Path)}[/]");
            return ExitCodes.Ok;
        });
        return new Command("events", "The event log: what Earworm showed listeners, with which policy and propensity, and what they did next") { export };
    }
}
