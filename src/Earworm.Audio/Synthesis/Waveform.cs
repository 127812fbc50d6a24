namespace Earworm.Audio.Synthesis;

/// <summary>The basic periodic shapes <see cref="Oscillator"/> can draw.</summary>
public enum Waveform
{
    /// <summary>Pure tone, no harmonics.</summary>
    Sine,
    /// <summary>Rising sawtooth: every harmonic at 1/k; bright (pads, bass, strings).</summary>
    Saw,
    /// <summary>Pulse wave of adjustable duty cycle (50 % = square: odd harmonics at 1/k); hollow, "chip".</summary>
    Square,
    /// <summary>Odd harmonics at 1/k²; soft, flute-like.</summary>
    Triangle,
}
