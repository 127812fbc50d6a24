using Earworm.Testing;

namespace Earworm.Catalog.Tests;

public class TrainingProgressFileTests
{
    [Fact]
    public void AReportIsReadUntilTheTrainingEndsOrGoesStale()
    {
        using var dir = new TempDirectory();
        var db = dir.File("catalog.db");
        Assert.Null(TrainingProgressFile.Read(db));
        using (var file = new TrainingProgressFile(db, "audio"))
        {
            file.Report(3, 40, "epoch 3/40");
            file.Report(4, 40, "dropped: under two seconds since the last");
            var r = TrainingProgressFile.Read(db)!;
            Assert.Equal(("audio", 3.0, 40.0, "epoch 3/40"), (r.Space, r.Done, r.Total, r.Message));
            file.Report(40, 40, "done", force: true);
            Assert.Equal(40, TrainingProgressFile.Read(db)!.Done);

            File.SetLastWriteTimeUtc(TrainingProgressFile.PathFor(db), DateTime.UtcNow - TimeSpan.FromMinutes(2));
            Assert.Null(TrainingProgressFile.Read(db));
        }
        Assert.False(File.Exists(TrainingProgressFile.PathFor(db)));
    }
}
