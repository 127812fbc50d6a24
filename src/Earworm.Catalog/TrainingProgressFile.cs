using System.Text.Json;

namespace Earworm.Catalog;

/// <summary>What a training run reports about itself, for other processes (the web app's status).</summary>
/// <param name="Space">The space being trained (<c>cf</c>, <c>track2vec</c>, <c>audio</c>…).</param>
/// <param name="Done">Work done, in the unit of <paramref name="Total"/> (iterations, epochs).</param>
/// <param name="Message">One line a person can read: "epoch 3/40, loss 2.31, ETA 4 min".</param>
public sealed record TrainingReport(string Space, double Done, double Total, string? Message, DateTimeOffset UpdatedAt);

/// <summary>
/// <c>catalog.db.train-progress.json</c>: a training verb rewrites it as it goes (atomically, at most every couple of
/// seconds) and deletes it when it ends; a report not renewed for a minute belongs to a training that died.
/// </summary>
public sealed class TrainingProgressFile : IDisposable
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(2);
    private readonly string _path;
    private readonly string _space;
    private DateTime _lastWrite = DateTime.MinValue;

    public TrainingProgressFile(string catalogPath, string space)
    {
        _path = PathFor(catalogPath);
        _space = space;
    }

    /// <summary>How old a report may be before it counts as a training that died.</summary>
    public static TimeSpan Stale { get; } = TimeSpan.FromMinutes(1);

    public static string PathFor(string catalogPath) => Path.GetFullPath(catalogPath) + ".train-progress.json";

    /// <summary>Records progress; calls closer together than two seconds are dropped, except the last of a run
    /// (<paramref name="force"/>). Failure to write never stops training.</summary>
    public void Report(double done, double total, string? message, bool force = false)
    {
        var now = DateTime.UtcNow;
        if (!force && now - _lastWrite < MinInterval) return;
        _lastWrite = now;
        try
        {
            var tmp = _path + ".tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(new { space = _space, done, total, message }));
            File.Move(tmp, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // progress for others is a courtesy: training goes on
        }
    }

    /// <summary>The running training's report, or null when none runs (no file, or a stale or unreadable one).</summary>
    public static TrainingReport? Read(string catalogPath)
    {
        var path = PathFor(catalogPath);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || DateTime.UtcNow - info.LastWriteTimeUtc > Stale) return null;
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            double Number(string name) => r.TryGetProperty(name, out var v) && v.TryGetDouble(out var d) ? d : 0;
            string? Text(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return new TrainingReport(Text("space") ?? "?", Number("done"), Number("total"), Text("message"),
                new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes the report: the training ended (however it ended).</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a stale report is ignored after a minute anyway
        }
    }
}
