using System.Text.Json;

namespace Earworm.Recommend.Personal;

/// <summary>How the bridge gets a new track's factors: not at all, the audio model's own output (a model trained with
/// the cf objective on the current cf model), or a regression from the <c>audio</c> space (any embedding: the
/// shipped encoder's, a contrastive model's) to the factors of the tracks with plays.</summary>
public enum BridgeMode { Off, Direct, Regression }

/// <summary>
/// The cold-start bridge: tracks without listening data get CF factors predicted from their audio (van den Oord,
/// Dieleman &amp; Schrauwen 2013), so they can be scored beside tracks with listening data: a ridge regression from the
/// <c>audio</c> space to the unit factors of the library's tracks with plays (λ by cross-validation; on Earworm's
/// pretrained encoder this beats training the whole network on a few hundred tracks), or the output of an audio model
/// trained with the cf objective on the current cf model.
/// </summary>
/// <remarks>
/// The content model predicts the <em>direction</em> of a track's CF item factors: its outputs are unit vectors, fitted
/// to the unit-normalised item factors. A CF score xᵤ·yᵢ = ‖yᵢ‖·(xᵤ·ŷᵢ) also depends on the item's norm, which in
/// implicit ALS grows with how much and how confidently the item was played — exactly what a new track lacks. The
/// bridge therefore gives every predicted direction the <b>median norm of the items with listening data</b> (and, for
/// BPR, the median item bias): a cold track competes as a typical item of its predicted direction, neither lifted to
/// the head of the catalog by a large norm nor buried by a zero one. Its score then reads on the same scale as every
/// other candidate's, and the ranking decides.
/// </remarks>
public static class ColdStartBridge
{
    /// <summary>The median Euclidean norm of <paramref name="itemFactors"/> (0 when there are none).</summary>
    public static float MedianNorm(IEnumerable<float[]> itemFactors)
    {
        ArgumentNullException.ThrowIfNull(itemFactors);
        var norms = itemFactors.Select(f => Learning.Numerics.Simd.Norm(f)).Where(n => n > 0).Order().ToList();
        return Median(norms);
    }

    /// <summary>The median of <paramref name="sorted"/> (ascending) (0 when empty; the mean of the middle two for an even count).</summary>
    public static float Median(IReadOnlyList<float> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) return 0;
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>A candidate from an audio prediction: the prediction's direction times <paramref name="norm"/>, with
    /// <paramref name="bias"/>. A zero prediction gives null (no direction to score).</summary>
    public static Candidate? FromPrediction(long key, ReadOnlySpan<float> prediction, float norm, float bias = 0)
    {
        if (!Learning.Numerics.VectorNorm.HasDirection(Learning.Numerics.VectorNorm.Norm(prediction))) return null;
        var f = new float[prediction.Length];
        Learning.Numerics.VectorNorm.WriteScaledUnit(prediction, norm, f);
        return new Candidate(key, f, bias, FactorSource.Audio);
    }

    /// <summary>Library tracks with plays (and audio vectors) the regression needs before the bridge opens.</summary>
    public const int MinimumRegressionTracks = 10;

    /// <summary>How an audio model can feed the bridge for a given CF model, and a sentence saying why (or why not).</summary>
    /// <param name="audioParamsJson">the current <c>audio</c> model's ParamsJson, or null when the catalog has none.</param>
    /// <param name="audioVersion">that model's version, for the sentence.</param>
    /// <param name="cfVersion">the version of the CF model in use.</param>
    public static (BridgeMode Mode, string Note) Check(string? audioParamsJson, string? audioVersion, string cfVersion)
    {
        if (audioParamsJson is null)
            return (BridgeMode.Off, "cold-start bridge off: the catalog has no audio space, so tracks without listening data are not recommended " +
                                    "(`earworm scan` places every track in it with the encoder Earworm ships)");
        string? objective = null, target = null;
        try
        {
            using var doc = JsonDocument.Parse(audioParamsJson);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("objective", out var o) && o.ValueKind == JsonValueKind.String) objective = o.GetString();
                if (doc.RootElement.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String) target = t.GetString();
            }
        }
        catch (JsonException)
        {
            return (BridgeMode.Off, $"cold-start bridge off: the audio model {audioVersion}'s parameters are not readable JSON");
        }
        if (!string.Equals(objective, "cf", StringComparison.Ordinal))
            return (BridgeMode.Regression, $"cold-start bridge on: tracks without listening data scored through factors regressed from audio model {audioVersion}'s space");
        if (!string.Equals(target, cfVersion, StringComparison.Ordinal))
            return (BridgeMode.Off, $"cold-start bridge off: the audio model {audioVersion} predicts the factors of cf model {target ?? "(unnamed)"}, " +
                                    $"the current cf model is {cfVersion}: factor spaces of two trainings do not line up (train the audio model again)");
        return (BridgeMode.Direct, $"cold-start bridge on: tracks without listening data scored through audio model {audioVersion}'s predicted factors");
    }

    /// <summary>How the bridge regresses the audio space onto factors: linear ridge on the z-scored embedding. Measured
    /// against the alternatives on soundtracks the encoder never trained on (the content bench's <c>coldstart --music</c>,
    /// fold 1 of 3 package folds, 8 seeds; cold-start AUC): ridge 0.639, ridge on the leading 128 components 0.640, ridge
    /// on the centred rather than z-scored embedding 0.640, tracks read through 60 windows instead of 6 0.641, kernel
    /// ridge with a Gaussian kernel on the cosine 0.633 (z-scored first: 0.641), ridge learning from each 10 s window and
    /// averaging a track's predictions 0.634, k nearest neighbours 0.622; descriptors 0.598. No alternative lifts it beyond
    /// the spread between seeds, so the simplest stays.</summary>
    public const Learning.Numerics.VectorRegressionKind AudioRegression = Learning.Numerics.VectorRegressionKind.Ridge;

    /// <summary>The regression of the bridge (<see cref="AudioRegression"/>) from the audio vectors of the tracks with
    /// plays to their unit factors, its hyper-parameters by 5-fold cross-validation on those tracks; null when fewer than
    /// <see cref="MinimumRegressionTracks"/> tracks have both.</summary>
    public static Learning.Numerics.IVectorRegression? FitRegression(IReadOnlyList<float[]> audioVectors, IReadOnlyList<float[]> factors)
    {
        ArgumentNullException.ThrowIfNull(audioVectors);
        ArgumentNullException.ThrowIfNull(factors);
        if (audioVectors.Count < MinimumRegressionTracks) return null;
        return Learning.Numerics.VectorRegression.Fit(AudioRegression, [.. audioVectors.Select(v => v.Select(x => (double)x).ToArray())],
            [.. factors.Select(f => Learning.Numerics.VectorNorm.Unit(f))]);
    }
}
