using Earworm.Audio.Excerpts;
using Earworm.Audio.Midi;
using Earworm.Audio.Spectral;
using Earworm.Content.Embedding;
using Earworm.Content.Tagging;
using Earworm.Learning.Tagging;

namespace Earworm.Content.Tests.Tagging;

/// <summary>A tag head on the shipped encoder's space hears drums and piano apart on a tiny rendered set whose labels are
/// read from the MIDI it was rendered from (Earworm's own MIDI synthesiser: no soundfont needed).</summary>
public sealed class TagHeadTrainerTests
{
    private static readonly string[] Tags = ["piano", "drums"];

    [Fact]
    public void DrumsAndPianoSeparateOnPiecesNotTrainedOn()
    {
        using var encoder = AudioEmbedder.Load(ShippedEncoder.Folder, threads: 1);
        var computer = new LogMelComputer(LogMelOptions.Default);
        var rows = new List<(float[] Vector, bool[] Labels)>();
        for (int seed = 0; seed < 18; seed++)
        {
            var midi = Piece(seed, piano: seed % 3 != 1, drums: seed % 3 != 0);
            var present = MidiInstrumentation.Present(midi);
            var stereo = MidiSynthesizer.Render(midi, 22050, seed);
            var mono = new float[stereo.Length / 2];
            for (int i = 0; i < mono.Length; i++) mono[i] = (stereo[2 * i] + stereo[2 * i + 1]) / 2;
            rows.Add((encoder.Embed(ExcerptExtractor.Extract(mono, computer, ExcerptOptions.Default)), [.. Tags.Select(present.Contains)]));
        }
        // seeds 0–8 train, 9–11 validate, 12–17 are only measured
        TagExamples Take(int from, int count) => new([.. rows.Skip(from).Take(count).Select(r => r.Vector)], [.. rows.Skip(from).Take(count).Select(r => r.Labels)]);
        var head = TagHeadTrainer.Train(ShippedEncoder.Version(), Tags, Take(0, 9), Take(9, 3),
            new TagHeadOptions { Hidden = 0, Epochs = 60, Patience = 60, Threads = 1 }, Take(12, 6));
        Assert.Equal(1.0, head.Report!.TestAuc!["drums"]);
        Assert.Equal(1.0, head.Report.TestAuc["piano"]);
        Assert.Equal(ShippedEncoder.Version(), head.EncoderVersion);   // as given: the caller names the space
        // the thresholds chosen on validation give the right tags to a piece with both
        var both = rows[14];
        Assert.Equal(["drums", "piano"], head.Predict(both.Vector).Select(t => t.Tag).Order());
    }

    // Eight seconds at 110 BPM: piano arpeggios on channel 1 and a kick–snare–hat groove on channel 10, either or both.
    private static MidiFile Piece(int seed, bool piano, bool drums)
    {
        var random = new Random(seed);
        var score = new MidiScore().Tempo(0, 110);
        if (piano)
        {
            score.Instrument(0, random.Next(4));
            int root = 48 + random.Next(12);
            for (int q = 0; q < 14; q++)
                score.Note(0, root + new[] { 0, 4, 7, 12, 16 }[random.Next(5)], q, 0.9, 70 + random.Next(40));
        }
        if (drums)
        {
            for (int q = 0; q < 14; q++)
            {
                score.Note(MidiFile.DrumChannel, q % 2 == 0 ? 36 : 38, q, 0.2, 100);
                score.Note(MidiFile.DrumChannel, 42, q + 0.5, 0.1, 70);
            }
        }
        return score.ToMidiFile();
    }
}
