namespace Earworm.Subsonic.Hosting;

/// <summary>The error codes of the Subsonic API (OpenSubsonic adds 41–44).</summary>
public static class ErrorCode
{
    public const int Generic = 0;
    public const int MissingParameter = 10;
    public const int ClientTooOld = 20;
    public const int ServerTooOld = 30;
    public const int WrongCredentials = 40;
    public const int TokenNotSupported = 41;
    public const int MechanismNotSupported = 42;
    public const int ConflictingMechanisms = 43;
    public const int InvalidApiKey = 44;
    public const int NotAuthorized = 50;
    public const int NotFound = 70;
}

/// <summary>A request the API answers with <c>status="failed"</c> (HTTP 200, as the API requires) and this code.</summary>
public sealed class SubsonicException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;

    public static SubsonicException Missing(string parameter) => new(ErrorCode.MissingParameter, $"required parameter '{parameter}' is missing");

    public static SubsonicException Malformed(string parameter, string value, string expected) =>
        new(ErrorCode.Generic, $"parameter '{parameter}' = '{Clip(value)}' is not {expected}");

    public static SubsonicException NotFound(string what) => new(ErrorCode.NotFound, $"{what} not found");

    /// <summary>A value as it may be echoed in a message: short, on one line.</summary>
    internal static string Clip(string value)
    {
        var one = new string([.. value.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
        return value.Length > 80 ? one + "…" : one;
    }
}
