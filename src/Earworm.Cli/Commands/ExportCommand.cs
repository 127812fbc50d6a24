using System.CommandLine;
using Earworm.Audio.Descriptors;
using Earworm.App.Library;
using Earworm.Recommend.Spaces;
using Spectre.Console;

namespace Earworm.Cli.Commands;

/// <summary><c>earworm export --space S --out FILE.csv|FILE.parquet</c>: a space's vectors for other tools.</summary>
internal static class ExportCommand
{
    private static readonly Option<string> Out = new("--out", "-o")
    {
        Description = "The file to write: FILE.csv or FILE.parquet",
        Required = true,
        HelpName = "FILE",
    };

    private static readonly Option<string> Space = new("--space")
    {
        Description = $"The space: {string.Join(", ", SpaceService.Names)} (`earworm similar --help` says what each is)",
        DefaultValueFactory = _ => DescriptorSpace.Name,
        HelpName = "SPACE",
    };

    public static Command Create(Func<ParseResult, CliContext> context)
    {
        var cmd = new Command("export", "Write a space's vectors for notebooks and other players: one row per track, columns " +
                                        "id,path,x0,x1,… (CSV, or Parquet with int64 id, string path and float32 x columns).")
        {
            Space, Out,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var ctx = context(parse);
            var r = await new LibraryFiles(ctx.Location).ExportAsync(parse.GetValue(Space)!, parse.GetValue(Out)!, ct).ConfigureAwait(false);
            if (ctx.Json) ctx.WriteJson(new { space = r.Space, tracks = r.Tracks, dimensions = r.Dimensions, file = r.File });
            else ctx.Console.MarkupLine(Markup.Escape($"Wrote {Counted.Of(r.Tracks, "track")} × {r.Dimensions} dimensions of the {r.Space} space to {r.File}"));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
