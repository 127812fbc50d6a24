using System.Net;

namespace Earworm.Web;

/// <summary>How <c>earworm serve</c> runs: the catalog it serves, where it listens, who may ask.</summary>
public sealed record WebOptions
{
    /// <summary>The default port, as Deej-A.I.'s page.</summary>
    public const int DefaultPort = 8050;

    /// <summary>The environment variable a token can come from instead of <c>--token</c> (kept out of the process list).</summary>
    public const string TokenVariable = "EARWORM_TOKEN";

    /// <summary>The catalog file (SQLite).</summary>
    public required string CatalogPath { get; init; }

    /// <summary>The address to bind: loopback unless the user says otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = DefaultPort;

    /// <summary>When set, every request must carry it (header <c>Authorization: Bearer …</c>, <c>X-Earworm-Token</c>,
    /// <c>?token=</c>, or the cookie the page sets). Required when <see cref="Host"/> is not a loopback address.</summary>
    public string? Token { get; init; }

    /// <summary>What a multipart request may carry around its file (boundaries, headers), above <see cref="MaxUploadBytes"/>.</summary>
    public const long MultipartEnvelopeBytes = 1024 * 1024;

    /// <summary>Largest audio file the analyse endpoint accepts (a larger one is a 413).</summary>
    public long MaxUploadBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>The listener feedback is recorded for when a request names none.</summary>
    public string DefaultUser { get; init; } = "me";

    /// <summary>Folders audio may be streamed from besides the folders the catalog's scans were given.</summary>
    public IReadOnlyList<string> LibraryRoots { get; init; } = [];

    /// <summary>Embed uploads with the catalog's current audio model (TorchSharp, loaded on the first upload); false places
    /// them by their descriptors only.</summary>
    public bool EmbedWithAudioModel { get; init; }

    /// <summary>Where uploads are written while they are analysed (deleted straight after); default: the system's temp folder.</summary>
    public string? UploadFolder { get; init; }

    /// <summary>True when <see cref="Host"/> names only this machine.</summary>
    public bool IsLoopback => Host is "localhost" || (IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip));

    /// <exception cref="UsageException">a bad port or size, or a non-loopback host without a token.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(CatalogPath)) throw new UsageException("no catalog given");
        if (Port is < 0 or > 65535) throw new UsageException($"--port {Port} is not a TCP port (0–65535)");
        if (MaxUploadBytes < 1) throw new UsageException("--max-upload-mb must be positive");
        if (Host != "localhost" && Host != "*" && !IPAddress.TryParse(Host, out _))
            throw new UsageException($"--host {Host} is not an IP address (use 0.0.0.0 or :: for every interface)");
        if (!IsLoopback && string.IsNullOrEmpty(Token))
            throw new UsageException($"--host {Host} opens the library to the network: give --token SECRET (or set {TokenVariable}) so every request must carry it");
        if (Token is { Length: < 8 }) throw new UsageException("--token must be at least 8 characters");
    }
}
