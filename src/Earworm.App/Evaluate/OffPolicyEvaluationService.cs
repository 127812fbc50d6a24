using Earworm.Evaluation.OffPolicy;
using Earworm.Evaluation.Reports;

namespace Earworm.App.Evaluate;

/// <summary><c>evaluate --protocol off-policy</c> as a front end asks for it: either the simulator over
/// <paramref name="Seeds"/> seeds, or the decision log at <paramref name="LogFile"/>.</summary>
/// <param name="Policies">target policy specs (greedy, epsilon-greedy[:ε], softmax[:τ], thompson[:γ], linucb[:α]).</param>
/// <param name="ReportFolder">where report.md, report.json (and the race figure) go; null: none.</param>
/// <param name="SaveLog">with the simulator, also write the first seed's log here (the format <c>--log</c> reads).</param>
public sealed record OffPolicyRequest(bool Simulate, string? LogFile, IReadOnlyList<string> Policies, int Seeds = 20, string? ReportFolder = null,
    string? SaveLog = null, BanditSimulationOptions? Simulation = null)
{
    /// <summary>The targets when none is named.</summary>
    public static IReadOnlyList<string> DefaultPolicies { get; } = ["greedy", "epsilon-greedy:0.1", "softmax:0.5", "thompson", "linucb:0.3"];
}

/// <summary>The report and the folder it was written to (null when none was asked for).</summary>
public sealed record OffPolicyResult(OffPolicyReport Report, string? Folder);

/// <summary>Off-policy evaluation: target policies estimated from logged propensities (replay, IPS, SNIPS, doubly robust),
/// on the built-in simulator (with the truth, bias and coverage, and the drift race) or on a decision log.</summary>
public static class OffPolicyEvaluationService
{
    /// <exception cref="UsageException">neither or both of simulate and a log; no seeds; an unknown policy.</exception>
    /// <exception cref="DatasetFormatException">a log line without a propensity (file:line), or otherwise malformed.</exception>
    public static OffPolicyResult Run(OffPolicyRequest request, IProgress<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(say);
        if (request.Simulate && request.LogFile is not null)
            throw new UsageException("--simulate and --log are two sources of decisions: give one of them");
        if (!request.Simulate && request.LogFile is null)
            throw new UsageException("--protocol off-policy needs either --simulate or --log FILE");
        if (request.SaveLog is not null && !request.Simulate) throw new UsageException("--save-log writes the simulator's log: use it with --simulate");
        var policies = request.Policies.Count > 0 ? request.Policies : OffPolicyRequest.DefaultPolicies;
        foreach (var p in policies) _ = Learning.Bandits.BanditPolicies.Parse(p, dimensions: 1);   // an unknown one said before a log is read
        OffPolicyReport report;
        if (request.Simulate)
        {
            if (request.Seeds < 1) throw new UsageException("--seeds must be at least 1");
            var options = request.Simulation ?? new BanditSimulationOptions();
            say.Report($"evaluate: off-policy simulation, {request.Seeds} seeds, targets {string.Join(", ", policies)}");
            report = BanditSimulation.Run(options, policies, [.. Enumerable.Range(1, request.Seeds)], say, cancellationToken);
            if (request.SaveLog is not null)
            {
                var (log, logging) = BanditSimulation.SampleLog(options, 1);
                if (Path.GetDirectoryName(Path.GetFullPath(request.SaveLog)) is { } folder) Directory.CreateDirectory(folder);
                DecisionLog.Write(request.SaveLog, log, logging);
                say.Report($"evaluate: seed 1's log ({log.Count} decisions) written to {request.SaveLog}");
            }
        }
        else
        {
            var log = DecisionLog.Read(request.LogFile!);
            say.Report($"evaluate: off-policy on {log.Decisions.Count} logged decisions, targets {string.Join(", ", policies)}");
            report = OffPolicyEvaluator.EvaluateLog(log, Path.GetFileName(request.LogFile!), policies);
        }
        if (request.ReportFolder is null) return new OffPolicyResult(report, null);
        OffPolicyReports.Write(report, request.ReportFolder);
        return new OffPolicyResult(report, Path.GetFullPath(request.ReportFolder));
    }
}
