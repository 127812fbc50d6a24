using Xunit;

namespace Earworm.Testing;

/// <summary>A fact that runs only when an environment variable is set (a long run on request, e.g. a full data set):
/// otherwise it is reported as skipped, with the reason, never as passed.</summary>
public sealed class EnvironmentFactAttribute : FactAttribute
{
    /// <param name="variable">The variable that must hold a value.</param>
    /// <param name="purpose">What setting it does, shown in the skip reason.</param>
    public EnvironmentFactAttribute(string variable, string purpose)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable))) Skip = $"set {variable} to {purpose}";
    }
}
