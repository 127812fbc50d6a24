namespace Earworm.Audio.Synthesis;

/// <summary>One track of the demo library: what to render and where to put it.</summary>
/// <param name="RelativePath">Path under the library folder with '/' separators, e.g.
/// "house/01 House No. 1.mp3"; the extension is <paramref name="Format"/>.</param>
/// <param name="Format">Container, as a file extension without the dot: mp3, ogg, flac or wav.</param>
/// <param name="TrackNumber">Position on its album, from 1.</param>
/// <param name="Spec">The music, with its tags.</param>
public sealed record DemoTrack(string RelativePath, string Format, int TrackNumber, TrackSpec Spec);
