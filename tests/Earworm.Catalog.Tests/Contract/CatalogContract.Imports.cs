using Earworm.Catalog.Import;

namespace Earworm.Catalog.Tests.Contract;

/// <summary>What an import counts: events unique by (user, item, source, time), also within one file; aggregated counts
/// summed per (user, item) within a file and replaced when a later file says otherwise.</summary>
public abstract partial class CatalogContract
{
    [ContractFact]
    public void ImportsCountEventsOnceAndReplaceChangedAggregates()
    {
        var events = ImportCsv("user,item,count,timestamp\nann,x1,1,1700000000\nann,x1,1,1700000000\nbo,x1,1,1700000000\n")[0];
        Assert.Equal((2, 1), (events.InteractionsAdded, events.DuplicatesSkipped));

        var first = ImportCsv("user,item,count\ncy,y1,2\ncy,y1,3\ncy,y2,1\n")[0]; // y1 summed within the file: 5
        Assert.Equal((2, 0, 0), (first.InteractionsAdded, first.InteractionsUpdated, first.DuplicatesSkipped));
        var later = ImportCsv("user,item,count\ncy,y1,7\ncy,y2,1\ncy,y3,4\n")[0];
        Assert.Equal((1, 1, 1), (later.InteractionsAdded, later.InteractionsUpdated, later.DuplicatesSkipped));
        long cy = Catalog.FindUserId("cy")!.Value;
        Assert.Equal([1.0, 4, 7], Catalog.LoadListening().Where(r => r.UserId == cy).Select(r => r.Count).Order());
        Assert.Equal((3, 5), (Catalog.ListUsers().Count, Catalog.ListeningCounts().Interactions));
    }
}
