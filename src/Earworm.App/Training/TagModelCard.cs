using System.Globalization;
using System.Text;
using Earworm.Learning.Tagging;

namespace Earworm.App.Training;

/// <summary>
/// The model card <c>train tags --out DIR</c> writes beside a tagger (<c>models/autotag/MODEL_CARD.md</c> is one):
/// what the tagger reads, the tags it gives, the options it was trained with, and every figure of its report — per tag,
/// training positives, validation and test ROC-AUC — with the mean test ROC-AUC over the tags with enough test positives.
/// Generated, so the card and the report never disagree; the corpus's story comes from <c>--card-notes FILE</c>.
/// </summary>
public static class TagModelCard
{
    public const string FileName = "MODEL_CARD.md";

    /// <summary>A tag counts in the headline mean when the test tracks hold at least this many of it.</summary>
    public const int MinTestPositives = 10;

    /// <param name="version">The tagger's version.</param>
    /// <param name="kind"><c>network</c> (log-mel CNN) or <c>head</c> (on an audio space).</param>
    /// <param name="input">What it reads: <c>log-mel</c>, or the encoder key of the space.</param>
    /// <param name="paramsJson">The training request as recorded.</param>
    /// <param name="report">Its figures.</param>
    /// <param name="given">The tags it gives (heard well enough on validation).</param>
    /// <param name="notes">Markdown about the corpus and how to reproduce it, placed after the summary.</param>
    public static string Write(string version, string kind, string input, string paramsJson, TagHeadReport report, IReadOnlyCollection<string> given,
        string? notes = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(given);
        var sb = new StringBuilder();
        bool network = kind == "network";
        sb.Append(CultureInfo.InvariantCulture, $"# The shipped instrument tagger (`{version}`)\n\n");
        sb.Append(network
            ? "A convolutional network on the log-mel spectrogram (`tagger.dat`, `tagger.json`; `Earworm.Content.Tagging.TagNetwork`): timbre " +
              "filters tall in frequency and short in time, max-pooled over frequency (Pons et al. 2018), 1-D convolutions over time, " +
              "mean and max pooling over time (Choi et al. 2016), a sigmoid per tag. A track's probability of a tag is the highest over its " +
              "cached log-mel windows, each read in crops of the training crops' length (`readFrames`); a tag is given from its threshold " +
              "(best F1 on the validation tracks).\n\n"
            : $"A multi-label head on the audio space of `{input}` (`head.json`; `Earworm.Learning.Tagging.TagHead`), a sigmoid per tag, " +
              "each tag given from its threshold (best F1 on the validation tracks).\n\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"It gives {given.Count} of {report.Positives.Count} tags: {string.Join(", ", report.Positives.Keys.Where(given.Contains).Select(t => $"`{t}`"))}. ");
        sb.Append(CultureInfo.InvariantCulture,
            $"Trained on {report.Examples} tracks, {report.ValidationExamples} validation tracks chose the epoch ({report.Epoch}) and the thresholds; " +
            $"training took {report.Seconds:0} s.\n\n");
        if (!string.IsNullOrWhiteSpace(notes)) sb.Append(notes.Trim()).Append("\n\n");

        sb.Append("## Figures: ROC-AUC per tag\n\n");
        if (report.TestAuc is not null) sb.Append("Test: tracks neither trained nor validated on (`--test-under`).\n\n");
        sb.Append(TagTraining.AucTable(report)).Append("\n\n");
        if (report.TestAuc is { } test && report.TestPositives is { } positives)
        {
            var counted = test.Where(a => a.Value is not null && positives.GetValueOrDefault(a.Key) >= MinTestPositives).ToList();
            if (counted.Count > 0)
                sb.Append(CultureInfo.InvariantCulture,
                    $"Mean test ROC-AUC over the {counted.Count} tags with at least {MinTestPositives} test positives: **{counted.Average(a => a.Value!.Value):0.000}**");
            var melodic = counted.Where(a => a.Key != "drums").ToList();
            if (melodic.Count > 0 && melodic.Count < counted.Count)
                sb.Append(CultureInfo.InvariantCulture, $" (without drums: {melodic.Average(a => a.Value!.Value):0.000} over {melodic.Count})");
            sb.Append(".\n\n");
        }
        sb.Append("## Training request\n\n```json\n").Append(paramsJson.Trim()).Append("\n```\n");
        return sb.ToString();
    }
}
