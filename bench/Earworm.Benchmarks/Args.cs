using System.Globalization;

namespace Earworm.Benchmarks;

/// <summary>"--name value" pairs, nothing more.</summary>
internal sealed class Args(string[] args)
{
    public string? Get(string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Whether a flag without a value was given.</summary>
    public bool Has(string name) => Array.IndexOf(args, name) >= 0;

    public int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Get(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
