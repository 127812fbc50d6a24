using Earworm.Audio.Media;
using Xunit;

namespace Earworm.Testing;

/// <summary>A fact that needs ffmpeg/ffprobe. Outside CI it skips with the install hint when they are
/// missing; under CI (CI=true) it runs and fails, because test.sh installs them.</summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute() => Skip = FfmpegPrerequisite.SkipReason();
}

/// <summary>A theory that needs ffmpeg/ffprobe; see <see cref="FfmpegFactAttribute"/>.</summary>
public sealed class FfmpegTheoryAttribute : TheoryAttribute
{
    public FfmpegTheoryAttribute() => Skip = FfmpegPrerequisite.SkipReason();
}

internal static class FfmpegPrerequisite
{
    /// <summary>Null when the tests may run: ffmpeg is there, or CI demands they run anyway.</summary>
    public static string? SkipReason()
    {
        if (Environment.GetEnvironmentVariable("CI") is not null) return null;
        try
        {
            FfmpegTools.Locate();
            return null;
        }
        catch (PrerequisiteMissingException e)
        {
            return e.Message;
        }
    }
}
