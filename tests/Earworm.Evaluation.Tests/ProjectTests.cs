namespace Earworm.Evaluation.Tests;

public class ProjectTests
{
    [Fact]
    public void EvaluationSeesTheRecommenderContract() =>
        Assert.Equal("Earworm.Learning", typeof(Earworm.Learning.IRecommenderModel).Assembly.GetName().Name);
}
