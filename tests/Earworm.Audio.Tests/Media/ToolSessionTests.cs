using Earworm.Audio.Media;
using Earworm.Testing;

namespace Earworm.Audio.Tests.Media;

/// <summary>The tools Earworm runs (ffmpeg, ffprobe, the MIDI renderers) are out of the terminal's process group: a
/// Ctrl-C reaches Earworm alone, which stops them itself, so an interrupted decode never reads as a broken file.</summary>
public sealed class ToolSessionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Fields 5 and 6 of /proc/PID/stat: the process group and the session (after the command's closing parenthesis).
    private static (string Group, string Session) GroupAndSession(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[2], fields[3]);
    }

    [Fact]
    public async Task FfmpegRunsInAProcessGroupOfItsOwn()
    {
        if (!OperatingSystem.IsLinux()) return; // reads /proc
        // a stand-in for ffmpeg that writes down its own /proc stat line, then fails like a decode of a broken file
        var fake = _dir.File("ffmpeg");
        var statFile = _dir.File("stat");
        await File.WriteAllTextAsync(fake, $"#!/bin/sh\ncat /proc/$$/stat > '{statFile}'\nexit 1\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var decoder = new FfmpegDecoder(new FfmpegTools(fake, fake));

        await Assert.ThrowsAsync<MediaReadException>(() => decoder.DecodeAllAsync(_dir.File("any.ogg"), 22050, CancellationToken.None));

        var tool = GroupAndSession(await File.ReadAllTextAsync(statFile));
        var us = GroupAndSession(await File.ReadAllTextAsync("/proc/self/stat"));
        Assert.NotEqual(us.Group, tool.Group);
        Assert.NotEqual(us.Session, tool.Session);
    }
}
