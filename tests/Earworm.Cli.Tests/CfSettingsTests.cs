using Earworm.App.Training;
using Earworm.Evaluation.Tuning;
using Earworm.Learning;
using Earworm.Learning.Factorization;

namespace Earworm.Cli.Tests;

/// <summary>The application layer's CF settings: data-dependent ALS defaults and the version of a tuned model.</summary>
public class CfSettingsTests
{
    private static InteractionMatrix Matrix(params float[] counts) =>
        InteractionMatrix.FromInteractions(counts.Select((c, i) => new Interaction(i % 3, i, c)), 3, counts.Length);

    [Fact]
    public void AlsTakesTheBinaryDefaultsOnlyWhenEveryCountIsOne()
    {
        var binary = new CfSettings().ForData(Matrix(1, 1, 1, 1)).Als();
        Assert.Equal((ConfidenceScaling.Linear, 5f, 30f), (binary.Scaling, binary.Alpha, binary.Regularization));
        var counts = new CfSettings().ForData(Matrix(1, 1, 3, 1)).Als();
        Assert.Equal((ConfidenceScaling.Log, 1f, 10f), (counts.Scaling, counts.Alpha, counts.Regularization));
        // untouched settings are the play-count ones
        Assert.Equal(counts, new CfSettings().Als());
        // a value given wins over either
        var given = new CfSettings { Alpha = 2, Scaling = "log" }.ForData(Matrix(1, 1)).Als();
        Assert.Equal((ConfidenceScaling.Log, 2f, 30f), (given.Scaling, given.Alpha, given.Regularization));
        Assert.False(new CfSettings { Alpha = 2, Scaling = "log", Regularization = 1 }.UsesAlsDefaults);
    }

    [Fact]
    public void EachDefaultsStatementNamesItsKindOfDataOnce()
    {
        foreach (var (defaults, kind) in new[] { (AlsDataDefaults.PlayCounts, "play counts"), (AlsDataDefaults.Binary, "binary data") })
        {
            Assert.StartsWith($"ALS defaults for {kind}: ", defaults.Statement, StringComparison.Ordinal);
            Assert.DoesNotContain($"{kind}: {kind}", defaults.Statement, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheVersionChangesWhenATunedValueChanges()
    {
        var settings = new CfSettings().ForData(Matrix(1, 1, 1));
        var chosen = new AlsSearchRow("linear", 5, 30, 64, 15, 0.2, 1);
        string Version(AlsSearchRow row, string key = "als-search-1") => CfTraining.Version(settings.WithTuned(row, key), "data-1");
        var v = Version(chosen);
        Assert.Equal(v, Version(chosen with { ValidationNdcg = 0.3, Seconds = 9 }));   // the score and time are not the model
        Assert.NotEqual(v, Version(chosen with { Alpha = 10 }));
        Assert.NotEqual(v, Version(chosen with { Regularization = 10 }));
        Assert.NotEqual(v, Version(chosen with { Factors = 32 }));
        Assert.NotEqual(v, Version(chosen with { Iterations = 30 }));
        Assert.NotEqual(v, Version(chosen with { Scaling = "log" }));
        Assert.NotEqual(v, Version(chosen, "als-search-2"));
        // the same values given by hand are another model than the tuned one only by the search it came from
        Assert.NotEqual(v, CfTraining.Version(settings with { Scaling = "linear", Alpha = 5, Regularization = 30 }, "data-1"));
    }

    [Fact]
    public void TheSearchKeyFollowsTheGridTheValidationAndTheSeed()
    {
        var settings = new CfSettings();
        var key = new CfTuning().Key(settings, binary: true);
        Assert.Equal(key, new CfTuning().Key(settings with { Threads = 1 }, binary: true));
        Assert.NotEqual(key, new CfTuning().Key(settings, binary: false));
        Assert.NotEqual(key, new CfTuning("alpha=1").Key(settings, binary: true));
        Assert.NotEqual(key, new CfTuning(Folds: 3).Key(settings, binary: true));
        Assert.NotEqual(key, new CfTuning().Key(settings with { Seed = 7 }, binary: true));
    }
}
