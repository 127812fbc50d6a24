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

    [ContractFact]
    public void EventsAlreadyHeldAreDuplicatesWhateverTheSizeOfTheImport()
    {
        // PostgreSQL loads an import at least as large as the table in bulk (indexes built again) and a smaller one row
        // by row: the counts are the same either way
        var first = ImportCsv("user,item,count,timestamp\nann,x1,1,1\nann,x2,1,2\nbo,x1,1,1\n")[0];
        Assert.Equal((3, 0), (first.InteractionsAdded, first.DuplicatesSkipped));
        const string larger = "user,item,count,timestamp\nann,x1,1,1\nbo,x1,1,1\nann,x3,1,3\ncy,x1,1,1\ncy,x1,1,1\n";
        var second = ImportCsv(larger)[0]; // two held already, one repeated within the file
        Assert.Equal((2, 3), (second.InteractionsAdded, second.DuplicatesSkipped));
        var smaller = ImportCsv("user,item,count,timestamp\nann,x1,1,1\ndee,x9,1,9\n")[0];
        Assert.Equal((1, 1), (smaller.InteractionsAdded, smaller.DuplicatesSkipped));
        var again = ImportCsv(larger)[0];
        Assert.Equal((0, 5), (again.InteractionsAdded, again.DuplicatesSkipped));
        Assert.Equal(6, Catalog.ListeningCounts().Interactions);
        long ann = Catalog.FindUserId("ann")!.Value;
        Assert.Equal([1L, 2, 3], Catalog.LoadListening().Where(r => r.UserId == ann).Select(r => r.TimestampUnixSeconds!.Value));
    }

    [ContractFact]
    public void AnImportThatFailsPartWayLeavesNothingAndCanBeRunAgain()
    {
        var good = Events("/synthetic/good.csv", 200, user: k => $"u{k % 7}");
        var bad = Events("/synthetic/bad.csv", 10, user: k => k == 5 ? null : "v");
        Assert.ThrowsAny<Exception>(() => Catalog.Import([good, bad]));
        Assert.Equal((0, 0, 0), (Catalog.ListeningCounts().Users, Catalog.ListeningCounts().Interactions, Catalog.ListeningCounts().Imports));
        Assert.Null(Catalog.LastImport());

        Assert.Equal(200, Catalog.Import([good])[0].InteractionsAdded);
        var again = Catalog.Import([good])[0]; // the unique index came back with the table: every event is known
        Assert.Equal((0, 200), (again.InteractionsAdded, again.DuplicatesSkipped));
        Assert.Equal(200, Catalog.ListeningCounts().Interactions);
    }

    [ContractFact]
    public void AFileOfEventsAndAggregatedCountsLoadsBothAndAgainAddsNothing()
    {
        // into an empty catalog: PostgreSQL loads the events in bulk and the counts through its scratch table
        var listens = Enumerable.Range(0, 60).Select(k => new Listen($"u{k % 4}", new ItemRef { SourceKey = $"csv:i{k % 11}" },
            k % 5 == 0 ? 0 : 1, k % 3 == 0 ? null : 1_700_000_000L + k, k + 2)).ToList();
        var source = new ImportSource(ImportFormat.Csv, "/synthetic/mixed.csv", "sha-mixed") { Rows = 60, Listens = listens };
        int events = listens.Count(l => l.TimestampUnixSeconds is not null);
        int aggregates = listens.Where(l => l.TimestampUnixSeconds is null).Select(l => (l.User, l.Item)).Distinct().Count();
        int skips = listens.Count(l => l.TimestampUnixSeconds is not null && l.Count == 0);
        var first = Catalog.Import([source])[0];
        Assert.Equal((events + aggregates, 0, skips), (first.InteractionsAdded, first.DuplicatesSkipped, first.Skips));
        var again = Catalog.Import([source])[0];
        Assert.Equal((0, 0, events + aggregates), (again.InteractionsAdded, again.InteractionsUpdated, again.DuplicatesSkipped));
        var held = Catalog.LoadListening();
        Assert.Equal(events + aggregates, held.Count);
        Assert.Equal(listens.Where(l => l.TimestampUnixSeconds is null).Sum(l => l.Count), held.Where(r => r.TimestampUnixSeconds is null).Sum(r => r.Count));
    }

    [ContractFact]
    public void ALargeImportStoresEveryListenUnderItsUserAndItemNumberedInTheOrderTheyFirstAppear()
    {
        // large enough that PostgreSQL reads the listens in two halves at once: users and items of the second half,
        // new or met in the first, keep the numbering of one pass through the file
        const int count = 120_000;
        string User(int k) => k < count / 2 ? $"u{k % 50}" : $"u{(k % 70) + 30}";
        string Key(int k) => k < count / 2 ? $"csv:i{k % 400}" : $"csv:i{(k * 3) % 700}";
        var listens = Enumerable.Range(0, count).Select(k => new Listen(User(k), new ItemRef { SourceKey = Key(k) }, 1, 1_600_000_000L + k, k + 2)).ToList();
        var outcome = Catalog.Import([new ImportSource(ImportFormat.Csv, "/synthetic/large.csv", "sha-large") { Rows = count, Listens = listens }])[0];
        Assert.Equal((100, 100, 700, 700, count), (outcome.Users, outcome.UsersAdded, outcome.Items, outcome.ItemsAdded, outcome.InteractionsAdded));

        var firstUsers = listens.Select(l => l.User!).Distinct().ToList();
        Assert.Equal(firstUsers, Catalog.ListUsers().OrderBy(u => u.Id).Select(u => u.Name));
        var items = Catalog.LoadItems();
        Assert.Equal(listens.Select(l => l.Item.SourceKey!).Distinct(), items.Values.OrderBy(i => i.Id).Select(i => i.Key));
        var names = Catalog.ListUsers().ToDictionary(u => u.Id, u => u.Name);
        var stored = Catalog.LoadListening().Select(r => (names[r.UserId], items[r.ItemId].Key, r.TimestampUnixSeconds!.Value)).ToHashSet();
        Assert.Equal(count, stored.Count);
        Assert.All(listens, l => Assert.Contains((l.User!, l.Item.SourceKey!, l.TimestampUnixSeconds!.Value), stored));
    }

    private static ImportSource Events(string path, int count, Func<int, string?> user) => new(ImportFormat.Csv, path, "sha-" + path)
    {
        Rows = count,
        Listens = Enumerable.Range(0, count)
            .Select(k => new Listen(user(k), new ItemRef { SourceKey = $"csv:i{k % 13}" }, 1, 1_700_000_000L + k, k + 2)).ToList(),
    };
}
