using System.CommandLine;
using System.Globalization;
using Earworm.App.Recommendations;
using Earworm.App.Sequences;
using Earworm.Recommend.Personal;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm recommend</c>: personal recommendations from the current <c>cf</c> model, with the cold-start
/// bridge through audio-predicted factors, a diversity knob and explanations.</summary>
internal static class RecommendCommand
{
    private static readonly Option<string?> User = new("--user") { Description = "The listener (a name `earworm users` lists)", HelpName = "NAME" };
    private static readonly Option<int> Count = new("--count", "-n") { Description = "How many recommendations", DefaultValueFactory = _ => 20 };
    private static readonly Option<double> Diversity = new("--diversity")
    {
        Description = "0 = best scores only; towards 1 trades score for variety (maximal marginal relevance in factor space)",
        DefaultValueFactory = _ => 0,
        HelpName = "0..1",
    };
    private static readonly Option<bool> Explain = new("--explain") { Description = "Name the listener's items that pulled each recommendation in, and how tracks without plays were scored" };
    private static readonly Option<bool> IncludeHeard = new("--include-heard") { Description = "Keep what the listener already played" };
    private static readonly Option<string[]> Seeds = new("--seed")
    {
        Description = "For a listener the model does not know: tracks they like (id, path, \"artist title\", or item:ID), folded into the model",
        HelpName = "TRACK",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<bool> Next = new("--next")
    {
        Description = "What to play next by the order of listening: the trained sequence model (`earworm train sequence`) reads --after's " +
                      "tracks, else the --user's latest listening session (skips as skips), and ranks what comes next",
    };
    private static readonly Option<string[]> After = new("--after")
    {
        Description = "With --next: the history, oldest first (id, path, \"artist title\", or item:ID)",
        HelpName = "TRACK",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<string?> Model = new("--model") { Description = "With --next: sasrec or gru4rec (the newest trained of that kind; default: the current sequence model)", HelpName = "NAME" };
    private static readonly Option<bool> LibraryOnly = new("--library-only") { Description = "Only tracks of the library (leave out items heard elsewhere that have no audio file)" };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("recommend", "Personal recommendations: CF scores from the current cf model (`earworm train cf`) for what has " +
                                           "listening data, audio-predicted factors for library tracks without any (when an audio model was trained " +
                                           "on the cf factors), heard items left out; a listener the model does not know is folded in from --seed tracks")
        {
            User, Count, Diversity, Explain, IncludeHeard, Seeds, LibraryOnly, Next, After, Model,
        };
        cmd.SetAction(parse =>
        {
            var ctx = context(parse);
            using var app = ctx.Services();
            if (parse.GetValue(Next))
            {
                if (parse.GetValue(Seeds) is { Length: > 0 }) throw new UsageException("--seed folds a listener into the cf model; with --next give the history with --after");
                if (parse.Gave(Diversity) || parse.GetValue(Explain))
                    throw new UsageException("--diversity and --explain go with the cf model's recommendations: --next ranks by the order of listening and takes neither");
                var next = app.Next.Next(new NextRequest(parse.GetValue(User), parse.GetValue(After) ?? [], parse.GetValue(Model), parse.GetValue(Count),
                    parse.GetValue(LibraryOnly), parse.GetValue(IncludeHeard)));
                NextOutput.Print(ctx, next, "recommend");
                return ExitCodes.Ok;
            }
            if (parse.GetValue(After) is { Length: > 0 } || parse.GetValue(Model) is not null) throw new UsageException("--after and --model go with --next");
            var result = app.Recommendations.Recommend(new RecommendRequest(parse.GetValue(User), parse.GetValue(Seeds) ?? [],
                new PersonalOptions(parse.GetValue(Count), parse.GetValue(Diversity), 3), parse.GetValue(IncludeHeard), parse.GetValue(LibraryOnly)));
            Print(ctx, result, parse.GetValue(Explain));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void Print(CliContext ctx, PersonalResult result, bool explain)
    {
        foreach (var note in result.Notes.Where(n => explain || n.Important)) ctx.Err.WriteLine($"recommend: {note.Text}");
        if (ctx.Json)
        {
            ctx.WriteJson(new
            {
                user = result.User,
                model = result.ModelVersion,
                how = result.How,
                notes = result.Notes.Select(n => n.Text),
                recommendations = result.Items.Select((r, i) => new
                {
                    rank = i + 1,
                    r.ItemId,
                    r.TrackId,
                    r.Label,
                    r.Path,
                    score = Math.Round(r.Score, 5),
                    source = r.Source == FactorSource.Audio ? "audio" : "listening",
                    because = r.Because.Select(b => new { b.ItemId, b.Label, similarity = Math.Round(b.Similarity, 4) }),
                }),
            });
            return;
        }
        ctx.Console.MarkupLine($"[bold]{Markup.Escape(result.How)}[/]");
        var table = new Table().Border(TableBorder.Simple).AddColumns("#", "score", "recommendation", "from");
        table.Columns[0].RightAligned();
        table.Columns[1].RightAligned();
        if (explain) table.AddColumn("because you played");
        int rank = 0;
        foreach (var r in result.Items)
        {
            var row = new List<string>
            {
                (++rank).ToString(CultureInfo.InvariantCulture), r.Score.ToString("0.000", CultureInfo.InvariantCulture),
                Markup.Escape(r.Label), r.Source == FactorSource.Audio ? "audio" : "plays",
            };
            if (explain)
                row.Add(Markup.Escape(string.Join("; ", r.Because.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Label} ({b.Similarity:0.00})")))));
            table.AddRow(row.ToArray());
        }
        ctx.Console.Write(table);
        if (result.Items.Count == 0) ctx.Console.MarkupLine("Nothing left to recommend (everything was heard, or filtered).");
    }
}

