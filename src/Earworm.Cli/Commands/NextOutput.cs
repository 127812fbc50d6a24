using System.Globalization;
using Earworm.App.Sequences;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary>The answer of the next-item service (<c>recommend --next</c>, <c>playlist --continue</c>) as a table or JSON.</summary>
internal static class NextOutput
{
    public static void Print(CliContext ctx, NextResult result, string verb)
    {
        if (ctx.Json)
        {
            ctx.WriteJson(new
            {
                model = result.Model,
                version = result.Version,
                how = result.How,
                notes = result.Notes,
                history = result.History.Select(h => new { h.ItemId, h.TrackId, h.Label, h.Skipped }),
                next = result.Picks.Select(p => new { p.Rank, p.ItemId, p.TrackId, p.Label, p.Path, score = Math.Round(p.Score, 5), p.After }),
            });
            return;
        }
        foreach (var note in result.Notes) ctx.Err.WriteLine($"{verb}: {note}");
        ctx.Console.MarkupLine($"[bold]{Markup.Escape(result.How)}[/]");
        var last = result.History.TakeLast(5).ToList();
        ctx.Console.MarkupLine("history: " + (result.History.Count > last.Count ? "… " : "") +
                               Markup.Escape(string.Join(" → ", last.Select(h => h.Skipped ? $"({h.Label}, skipped)" : h.Label))));
        bool continuing = result.Picks.Any(p => p.After is not null);
        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "score", "next", "track");
        table.Columns[0].RightAligned();
        table.Columns[1].RightAligned();
        if (continuing) table.AddColumn("after");
        foreach (var p in result.Picks)
        {
            var row = new List<string>
            {
                p.Rank.ToString(CultureInfo.InvariantCulture), p.Score.ToString("0.000", CultureInfo.InvariantCulture), Markup.Escape(p.Label),
                p.TrackId?.ToString(CultureInfo.InvariantCulture) ?? "",
            };
            if (continuing) row.Add(Markup.Escape(p.After ?? ""));
            table.AddRow(row.ToArray());
        }
        ctx.Console.Write(table);
        if (result.Picks.Count == 0) ctx.Console.MarkupLine("Nothing to propose (everything the model knows was heard, or filtered).");
    }
}
