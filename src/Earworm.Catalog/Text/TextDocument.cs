namespace Earworm.Catalog.Text;

/// <summary>What a document is about.</summary>
public enum TextKind
{
    /// <summary>An artist: the document reaches every library track by them.</summary>
    Artist,

    /// <summary>An album: every library track on it.</summary>
    Album,

    /// <summary>One library track.</summary>
    Track,
}

/// <summary>The names kinds have in the catalog and in every front end's output.</summary>
public static class TextKinds
{
    public static string Name(this TextKind kind) => kind switch
    {
        TextKind.Artist => "artist",
        TextKind.Album => "album",
        TextKind.Track => "track",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static TextKind Parse(string name) => name switch
    {
        "artist" => TextKind.Artist,
        "album" => TextKind.Album,
        "track" => TextKind.Track,
        _ => throw new CatalogException($"unknown text kind '{name}'"),
    };
}

/// <summary>
/// A text about music (a biography, a review, liner notes) on one artist, album or track. <see cref="Key"/> says which:
/// the folded name (<see cref="Import.MatchText.Fold"/>) of an artist or album, a track's catalog id in decimal — so a
/// document on an artist reaches the tracks a later scan adds. <see cref="Name"/> is the name as the source gave it,
/// <see cref="Source"/> the file (and line) it came from.
/// </summary>
public sealed record TextDocument(TextKind Kind, string Key, string Name, string Body, string Source);
