using Earworm.Testing;
using System.Text.Json;
using Earworm.Audio.Spectral;
using Xunit.Abstractions;

namespace Earworm.Audio.Tests.Spectral;

/// <summary>
/// The log-mel front end against the float64 reference in tests/fixtures/logmel, written by its generate.py with
/// Debian's python3-torch (torch.stft, a Slaney mel filterbank, 10·log10(max(S, 1e-10))) over a signal it synthesises:
/// sines, a chirp, noise, digital silence and clicks. The same check on 10 s of real music (torchaudio's log-mel of it,
/// outside the repository) is a benchmark: bench's <c>shared-data</c> verb.
/// </summary>
public class LogMelReferenceTests(ITestOutputHelper output)
{
    private const double FilterbankTolerance = 1e-6;
    private const double LogMelToleranceDb = 0.05;

    private static string Reference(string name) => TestData.FixtureFile("logmel", name);

    [Fact]
    public void ReferenceParametersAreTheDefaults()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Reference("reference.json")));
        var p = json.RootElement.GetProperty("params");
        var o = LogMelOptions.Default;
        Assert.Equal(o.SampleRate, p.GetProperty("sample_rate").GetInt32());
        Assert.Equal(o.FftSize, p.GetProperty("n_fft").GetInt32());
        Assert.Equal(o.FftSize, p.GetProperty("win_length").GetInt32());
        Assert.Equal(o.HopLength, p.GetProperty("hop_length").GetInt32());
        Assert.Equal(o.MelBands, p.GetProperty("n_mels").GetInt32());
        Assert.Equal(o.FMinHz, p.GetProperty("f_min").GetDouble());
        Assert.Equal(o.FMaxHz, p.GetProperty("f_max").GetDouble());
        Assert.True(p.GetProperty("center").GetBoolean());
        Assert.Equal("reflect", p.GetProperty("pad_mode").GetString());
        Assert.Equal("slaney", p.GetProperty("mel_scale").GetString());
        Assert.Equal("slaney", p.GetProperty("mel_norm").GetString());
        Assert.Equal(2.0, p.GetProperty("power").GetDouble());
    }

    [Fact]
    public void FilterbankMatchesTheReference()
    {
        var o = LogMelOptions.Default;
        var reference = TestData.ReadFloat32(Reference("mel_filterbank.f32"), o.FrequencyBins * o.MelBands);
        var fb = new MelFilterbank(o);
        var dense = fb.ToDense();
        Assert.Equal(reference.Length, dense.Length);

        double maxAbs = 0, maxRef = 0;
        for (int i = 0; i < dense.Length; i++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(dense[i] - reference[i]));
            maxRef = Math.Max(maxRef, Math.Abs(reference[i]));
        }
        output.WriteLine($"mel filterbank [513][128]: max abs diff {maxAbs:E3} (largest weight {maxRef:E3}), {fb.NonzeroCount} stored weights");
        Assert.True(maxAbs <= FilterbankTolerance, $"filterbank max abs diff {maxAbs:E3} > {FilterbankTolerance:E0}");
    }

    [Fact]
    public void LogMelMatchesTheReference()
    {
        var o = LogMelOptions.Default;
        var pcm = TestData.ReadFloat32(Reference("pcm.f32"), 44100);
        var computer = new LogMelComputer(o);
        int frames = computer.FrameCount(pcm.Length);
        Assert.Equal(87, frames);
        var reference = TestData.ReadFloat32(Reference("logmel.f32"), o.MelBands * frames);

        var actual = computer.Compute(pcm);
        Assert.Equal(reference.Length, actual.Length);

        double maxAbs = 0, sumAbs = 0;
        int worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = Math.Abs((double)actual[i] - reference[i]);
            sumAbs += d;
            if (d > maxAbs) { maxAbs = d; worst = i; }
        }
        int floor = Enumerable.Range(0, frames).Count(f => Enumerable.Range(0, o.MelBands).All(m => actual[m * frames + f] <= -100f));
        Assert.True(floor >= 5, $"the digital silence must reach the -100 dB floor in whole frames (found {floor})");
        output.WriteLine(
            $"log-mel [128][{frames}]: max abs diff {maxAbs:E3} dB at mel {worst / frames}, frame {worst % frames} " +
            $"(ref {reference[worst]:F4} dB, ours {actual[worst]:F4} dB); mean abs diff {sumAbs / actual.Length:E3} dB");
        Assert.True(maxAbs <= LogMelToleranceDb, $"log-mel max abs diff {maxAbs:E3} dB > {LogMelToleranceDb} dB");
    }
}
