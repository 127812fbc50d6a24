using System.CommandLine;
using System.Globalization;
using Earworm.App.Tags;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm tags TRACK|FILE [--add TAG] [--remove TAG]</c>: a track's tags with their scores and sources.</summary>
internal static class TagsCommand
{
    private static readonly Argument<string> Target = new("TRACK|FILE")
    {
        Description = "A catalog track id, words of \"artist – title\", or an audio file (in the library or not: a file outside it shows its own tags)",
    };

    private static readonly Option<string[]> Add = new("--add")
    {
        Description = "Add your tag to the track (source user); repeat for several",
        HelpName = "TAG",
    };

    private static readonly Option<string[]> Remove = new("--remove")
    {
        Description = "Remove a tag you added (tags from files, imports and audio stay); repeat for several",
        HelpName = "TAG",
    };

    private static readonly Option<bool> Terms = new("--terms")
    {
        Description = "Also list the terms that say most about the track in the texts imported about it, its album and its artist " +
                      "(`earworm import text`), by TF-IDF over the library's texts",
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("tags",
            "List a track's tags, best first, with their scores and sources: file (genre, mood, grouping, style and comment keywords " +
            "read at scan), import (`earworm import tags FILE.csv`; Last.fm 2K's tags on the track's artist, scored by how many " +
            "people used them), user (--add) and audio. Tags are normalised: case, accents and spellings such as \"hip hop\", " +
            "\"hip-hop\" and \"hiphop\" are one tag. --json prints {\"tags\":[{\"tag\",\"score\",\"source\"}]}.")
        {
            Target, Add, Remove, Terms,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var target = parse.GetValue(Target)!;
            var service = new TagService(ctx.Location);
            foreach (var tag in parse.GetValue(Add) ?? []) service.Add(target, tag);
            foreach (var tag in parse.GetValue(Remove) ?? []) service.Remove(target, tag);
            var tags = await service.TagsAsync(target, ct).ConfigureAwait(false);
            var terms = parse.GetValue(Terms) && tags.Track is { } track ? new TextService(ctx.Location).Terms(track.Id.ToString(CultureInfo.InvariantCulture)) : null;
            Print(ctx, tags, terms);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void Print(CliContext ctx, TargetTags tags, TrackTerms? terms)
    {
        if (ctx.Json)
        {
            if (terms is null) ctx.WriteJson(new { trackId = tags.Track?.Id, path = tags.Path, tags = tags.Tags });
            else ctx.WriteJson(new { trackId = tags.Track?.Id, path = tags.Path, tags = tags.Tags, terms = terms.Terms, texts = terms.Texts });
            return;
        }
        PrintTags(ctx, tags);
        if (terms is null) return;
        if (terms.Terms.Count == 0)
        {
            ctx.Console.MarkupLine("no texts about this track, its album or its artist: `earworm import text DIR|FILE.csv`");
            return;
        }
        ctx.Console.MarkupLine($"top terms of the texts on {Markup.Escape(string.Join(", ", terms.Texts))}:");
        var table = new Table().Border(TableBorder.Simple).AddColumns("term", "tf-idf");
        foreach (var x in terms.Terms) table.AddRow(Markup.Escape(x.Word), x.Weight.ToString("0.###", CultureInfo.InvariantCulture));
        ctx.Console.Write(table);
    }

    private static void PrintTags(CliContext ctx, TargetTags tags)
    {
        var c = ctx.Console;
        var t = tags.Track;
        c.MarkupLine($"[bold]{Markup.Escape(t is null ? Path.GetFileName(tags.Path) : $"{t.Artist} – {t.Title}")}[/] " +
                     $"({(t is null ? "file outside the library" : $"track {t.Id}")})");
        if (tags.Tags.Count == 0)
        {
            c.MarkupLine("no tags" + (t is null ? "" : ": add some with --add, `earworm import tags FILE.csv` or `earworm import lastfm-2k`"));
            return;
        }
        var table = new Table().Border(TableBorder.Simple).AddColumns("tag", "score", "source");
        foreach (var x in tags.Tags)
            table.AddRow(Markup.Escape(x.Tag), x.Score.ToString("0.###", CultureInfo.InvariantCulture), x.Source);
        c.Write(table);
    }
}
