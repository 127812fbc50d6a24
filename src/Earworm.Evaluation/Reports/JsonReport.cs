using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Earworm.Evaluation.Protocols;

namespace Earworm.Evaluation.Reports;

/// <summary>An evaluation as JSON (System.Text.Json, camelCase, indented): the same record the Markdown is written from.</summary>
public static class JsonReport
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // a file for people and programs, not for embedding in HTML: keep ±, – and apostrophes readable
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // never needed for the metrics (undefined ones are left out), but a NaN must not make a report unwritable
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return JsonSerializer.Serialize(report, Options);
    }

    public static EvaluationReport Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<EvaluationReport>(json, Options)
            ?? throw new JsonException("the JSON holds null, not an evaluation report");
    }
}
