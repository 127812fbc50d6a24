using System.Globalization;
using System.Net;
using System.Text;

namespace Earworm.Content.Inspection;

/// <summary>A track of a filter's playlist, with the activation that put it there.</summary>
public sealed record FilterTrack(long TrackId, string Path, string? Artist, string? Title, string? Album, float Value)
{
    public string Name => Title is null ? System.IO.Path.GetFileNameWithoutExtension(Path) : Artist is null ? Title : $"{Artist} – {Title}";
}

/// <summary>The tracks that activate one unit most by one statistic, and the playlist file that holds them.</summary>
public sealed record FilterPlaylist(string Layer, int Unit, ActivationStatistic Statistic, string PlaylistFile, IReadOnlyList<FilterTrack> Tracks)
{
    /// <summary>The playlist's file name: <c>conv1-filter-007-max.m3u8</c>, <c>dense2-unit-012-mean.m3u8</c>.</summary>
    public static string FileName(string layer, int unit, ActivationStatistic statistic) =>
        string.Create(CultureInfo.InvariantCulture, $"{layer}-{(layer.StartsWith("conv", StringComparison.Ordinal) ? "filter" : "unit")}-{unit:000}-{statistic.ToString().ToLowerInvariant()}.m3u8");
}

/// <summary>The index of an inspection folder (Markdown and HTML): the map, then per layer and unit the playlists
/// by maximum and by mean activation with their first tracks.</summary>
public static class InspectionIndex
{
    public static string Markdown(string title, string? mapImage, string? mapJson, IReadOnlyList<FilterPlaylist> playlists, int shown = 5)
    {
        ArgumentNullException.ThrowIfNull(playlists);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"# {title}\n\n");
        if (mapImage is not null) sb.Append(c, $"## Map of the library\n\n![t-SNE map]({mapImage})\n\n");
        if (mapJson is not null) sb.Append(c, $"Coordinates: [{mapJson}]({mapJson})\n\n");
        foreach (var layer in playlists.GroupBy(p => p.Layer))
        {
            sb.Append(c, $"## {layer.Key}: the tracks that activate each unit most\n\n");
            sb.Append("| unit | by | playlist | top tracks (activation) |\n|---:|---|---|---|\n");
            foreach (var p in layer.OrderBy(p => p.Unit).ThenBy(p => p.Statistic))
            {
                var tops = string.Join("; ", p.Tracks.Take(shown).Select(t => $"{Escape(t.Name)}{(t.Album is null ? "" : $" ({Escape(t.Album)})")} {t.Value.ToString("0.###", c)}"));
                sb.Append(c, $"| {p.Unit} | {p.Statistic.ToString().ToLowerInvariant()} | [{p.PlaylistFile}]({p.PlaylistFile}) | {tops} |\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();

        static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
    }

    public static string Html(string title, string? mapImage, string? mapJson, IReadOnlyList<FilterPlaylist> playlists, int shown = 5)
    {
        ArgumentNullException.ThrowIfNull(playlists);
        var c = CultureInfo.InvariantCulture;
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append(c, $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title>\n");
        sb.Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}" +
                  "img{max-width:100%}ol{margin:0;padding-left:1.4em}</style></head><body>\n");
        sb.Append(c, $"<h1>{E(title)}</h1>\n");
        if (mapImage is not null) sb.Append(c, $"<h2>Map of the library</h2>\n<img src=\"{E(mapImage)}\" alt=\"t-SNE map of the library\">\n");
        if (mapJson is not null) sb.Append(c, $"<p>Coordinates: <a href=\"{E(mapJson)}\">{E(mapJson)}</a></p>\n");
        foreach (var layer in playlists.GroupBy(p => p.Layer))
        {
            sb.Append(c, $"<h2>{E(layer.Key)}: the tracks that activate each unit most</h2>\n<table><tr><th>unit</th><th>by</th><th>playlist</th><th>top tracks (activation)</th></tr>\n");
            foreach (var p in layer.OrderBy(p => p.Unit).ThenBy(p => p.Statistic))
            {
                sb.Append(c, $"<tr><td>{p.Unit}</td><td>{p.Statistic.ToString().ToLowerInvariant()}</td><td><a href=\"{E(p.PlaylistFile)}\">{E(p.PlaylistFile)}</a></td><td><ol>");
                foreach (var t in p.Tracks.Take(shown))
                    sb.Append(c, $"<li>{E(t.Name)}{(t.Album is null ? "" : $" <i>({E(t.Album)})</i>")} {t.Value.ToString("0.###", c)}</li>");
                sb.Append("</ol></td></tr>\n");
            }
            sb.Append("</table>\n");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }
}
