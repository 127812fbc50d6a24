using System.Text.RegularExpressions;

namespace Earworm.Catalog.Import;

/// <summary>Where a playlist entry or csv item says a song is: a local file or another kind of URL.</summary>
public readonly record struct Location(string? Path, string? Url);

/// <summary>Reads the locations playlists write: absolute and relative paths, <c>file://</c> URLs, other URLs.</summary>
internal static partial class Locations
{
    /// <summary>A path (absolute, or relative to <paramref name="baseDirectory"/>; backslashes read as separators
    /// when the text has no forward slash, as Windows players write them) or a URL (<c>file:</c> URLs become paths,
    /// percent-escapes decoded). Null when the text is neither (a malformed URL, a NUL character).</summary>
    public static Location? Resolve(string text, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Length == 0 || t.Contains('\0', StringComparison.Ordinal)) return null;
        if (Scheme().IsMatch(t))
        {
            if (!Uri.TryCreate(t, UriKind.Absolute, out var uri)) return null;
            return uri.IsFile ? new Location(System.IO.Path.GetFullPath(uri.LocalPath), null) : new Location(null, t);
        }
        if (t.Contains('\\', StringComparison.Ordinal) && !t.Contains('/', StringComparison.Ordinal))
            t = t.Replace('\\', '/');
        try
        {
            return new Location(System.IO.Path.GetFullPath(t, baseDirectory), null);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // a scheme of two or more characters, so a Windows drive letter (C:) is not one
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]+:")]
    private static partial Regex Scheme();
}
