namespace Earworm.Catalog.Tests;

public class ChangeDetectorTests
{
    private static TrackRecord Known(TrackStatus status, long size = 100, long mtime = 5, int? version = CatalogStore.AnalysisVersion,
        bool analysedBefore = true, int? descriptors = null) => new()
    {
        Id = 1, Path = "/m/a.mp3", SizeBytes = size, MtimeUnixMs = mtime, Status = status, AnalysisVersion = version,
        AnalysedAt = analysedBefore ? DateTimeOffset.UnixEpoch : null, DescriptorVersion = descriptors,
    };

    private static readonly FoundFile Same = new("/m/a.mp3", 100, 5);

    [Fact] public void NewFilesAreAdded() => Assert.Equal(ScanAction.Add, ChangeDetector.Classify(null, Same, 1, null, false));
    [Fact] public void UnchangedAnalysedFilesAreSkipped() => Assert.Equal(ScanAction.Skip, ChangeDetector.Classify(Known(TrackStatus.Analysed), Same, 1, null, false));
    [Fact] public void ATouchedFileIsReanalysed() => Assert.Equal(ScanAction.Reanalyse, ChangeDetector.Classify(Known(TrackStatus.Analysed, mtime: 4), Same, 1, null, false));
    [Fact] public void AResizedFileIsReanalysed() => Assert.Equal(ScanAction.Reanalyse, ChangeDetector.Classify(Known(TrackStatus.Analysed, size: 99), Same, 1, null, false));
    [Fact] public void AnOldAnalysisVersionIsRedone() => Assert.Equal(ScanAction.Reanalyse, ChangeDetector.Classify(Known(TrackStatus.Analysed, version: 0), Same, 1, null, false));
    [Fact] public void PendingFilesResume() => Assert.Equal(ScanAction.Resume, ChangeDetector.Classify(Known(TrackStatus.Pending), Same, 1, null, false));
    [Fact] public void FailedFilesStayFailed() => Assert.Equal(ScanAction.Skip, ChangeDetector.Classify(Known(TrackStatus.Failed), Same, 1, null, false));
    [Fact] public void FailedFilesAreRetriedOnRequest() => Assert.Equal(ScanAction.Reanalyse, ChangeDetector.Classify(Known(TrackStatus.Failed), Same, 1, null, true));
    [Fact] public void AReturningAnalysedFileIsRestored() => Assert.Equal(ScanAction.Restore, ChangeDetector.Classify(Known(TrackStatus.Missing), Same, 1, null, false));
    [Fact] public void AReturningNeverAnalysedFileIsAnalysed() => Assert.Equal(ScanAction.Reanalyse, ChangeDetector.Classify(Known(TrackStatus.Missing, analysedBefore: false), Same, 1, null, false));

    [Fact] public void MissingDescriptorsAreComputed() => Assert.Equal(ScanAction.Reanalyse, ChangeDetector.Classify(Known(TrackStatus.Analysed), Same, 1, 2, false));
    [Fact] public void OldDescriptorsAreRecomputed() => Assert.Equal(ScanAction.Reanalyse, ChangeDetector.Classify(Known(TrackStatus.Analysed, descriptors: 1), Same, 1, 2, false));
    [Fact] public void CurrentDescriptorsAreKept() => Assert.Equal(ScanAction.Skip, ChangeDetector.Classify(Known(TrackStatus.Analysed, descriptors: 2), Same, 1, 2, false));
    [Fact] public void AScanWithoutDescriptorsAcceptsAnyStored() => Assert.Equal(ScanAction.Skip, ChangeDetector.Classify(Known(TrackStatus.Analysed, descriptors: 1), Same, 1, null, false));

    [Theory]
    [InlineData("/m/a.mp3", "/m", true)]
    [InlineData("/m/a.mp3", "/m/", true)]
    [InlineData("/m", "/m", true)]
    [InlineData("/music/a.mp3", "/m", false)]
    [InlineData("/m/a.mp3", "/m/a.mp3", true)]
    public void RootsContainTheirPaths(string path, string root, bool expected) => Assert.Equal(expected, ChangeDetector.IsUnder(path, root));
}
