using Xunit;
using Earworm.Audio.Media;

namespace Earworm.Testing;

/// <summary>A fact that needs ffmpeg/ffprobe. Outside CI it skips with the install hint when they are
/// missing; under CI (CI=true) it runs and fails, because test.sh installs them.</summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") is not null) return;
        try
        {
            FfmpegTools.Locate();
        }
        catch (PrerequisiteMissingException e)
        {
            Skip = e.Message;
        }
    }
}

/// <summary>A theory that needs ffmpeg/ffprobe; see <see cref="FfmpegFactAttribute"/>.</summary>
public sealed class FfmpegTheoryAttribute : TheoryAttribute
{
    public FfmpegTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") is not null) return;
        try
        {
            FfmpegTools.Locate();
        }
        catch (PrerequisiteMissingException e)
        {
            Skip = e.Message;
        }
    }
}
