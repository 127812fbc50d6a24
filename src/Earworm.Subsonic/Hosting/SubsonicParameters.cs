using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Earworm.Subsonic.Hosting;

/// <summary>
/// A request's parameters, from the query string and (form POST, the <c>formPost</c> extension) the body, each name
/// with all its values in order (<c>id=1&amp;id=2</c>). Names are case-sensitive, as in the API. A missing required
/// value is error 10, a malformed one error 0 with a message saying which and why.
/// </summary>
public sealed class SubsonicParameters
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public SubsonicParameters(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var (k, v) in pairs)
        {
            if (!_values.TryGetValue(k, out var list)) _values[k] = list = [];
            if (v is not null) list.Add(v);
        }
    }

    public static async Task<SubsonicParameters> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var (k, vs) in request.Query)
            foreach (var v in vs) pairs.Add(new(k, v));
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync().ConfigureAwait(false);
            foreach (var (k, vs) in form)
                foreach (var v in vs) pairs.Add(new(k, v));
        }
        return new SubsonicParameters(pairs);
    }

    public bool Has(string name) => _values.TryGetValue(name, out var l) && l.Count > 0;

    public string? Get(string name) => _values.TryGetValue(name, out var l) && l.Count > 0 ? l[0] : null;

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var l) ? l : [];

    public string Require(string name) => Get(name) is { Length: > 0 } v ? v : throw SubsonicException.Missing(name);

    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        if (Get(name) is not { } text || text.Length == 0) return null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            throw SubsonicException.Malformed(name, text, "an integer");
        if (v < min || v > max) throw SubsonicException.Malformed(name, text, $"within {min}–{max}");
        return v;
    }

    public int Int(string name, int fallback, int min, int max) => Int(name, min, max) ?? fallback;

    public long? Long(string name)
    {
        if (Get(name) is not { } text || text.Length == 0) return null;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw SubsonicException.Malformed(name, text, "an integer");
    }

    public double? Double(string name, double min, double max)
    {
        if (Get(name) is not { } text || text.Length == 0) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw SubsonicException.Malformed(name, text, "a number");
        return v < min || v > max ? throw SubsonicException.Malformed(name, text, $"within {min}–{max}") : v;
    }

    public bool? Bool(string name)
    {
        if (Get(name) is not { } text || text.Length == 0) return null;
        return text.ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw SubsonicException.Malformed(name, text, "true or false"),
        };
    }
}
