using System.Runtime.InteropServices;
using Earworm.Catalog.Import;

namespace Earworm.Catalog;

internal sealed partial class PostgresImportWriter
{
    /// <summary>
    /// A source's listens read once: each listen's user and entry as an index into the distinct names and entries
    /// (one hash of each a listen; the rest of the import reads arrays), the distinct ones in the order they first
    /// appear, and how many listens have a time. A large source is read in two halves at once, on two threads (the
    /// server has nothing to do yet), and the second half's names and entries are then renumbered after the first's.
    /// </summary>
    private sealed class ListenIndex
    {
        private const int HalvesFrom = 100_000;

        public List<string> Names { get; } = [];
        public List<ItemRef> Entries { get; } = [];

        /// <summary>Names and entries in the order they first appear: a name as its index, an entry as <c>~index</c>
        /// (the order <see cref="ItemResolver"/> met them in when it was asked listen by listen).</summary>
        public List<int> FirstSeen { get; } = [];

        public required int[] UserOf { get; init; }
        public required int[] EntryOf { get; init; }
        public int Events { get; private set; }

        private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<ItemRef, int> _entries = [];

        public static ListenIndex Of(IReadOnlyList<Listen> listens)
        {
            var index = new ListenIndex { UserOf = new int[listens.Count], EntryOf = new int[listens.Count] };
            if (listens.Count < HalvesFrom || Environment.ProcessorCount < 2)
            {
                index.Read(listens, 0, listens.Count);
                return index;
            }
            int half = listens.Count / 2;
            var second = new ListenIndex { UserOf = index.UserOf, EntryOf = index.EntryOf };
            var reading = Task.Factory.StartNew(() => second.Read(listens, half, listens.Count), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            // the second half's arrays are shared, so it is waited for either way; a failure of the first half is the
            // earlier line's, the second's is reported when the first half has none
            Exception? failure = null;
            try
            {
                index.Read(listens, 0, half);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                failure = e;
            }
            try
            {
                reading.GetAwaiter().GetResult();
            }
            catch (Exception) when (failure is not null)
            {
            }
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            index.Append(second, half, listens.Count);
            return index;
        }

        /// <summary>Reads listens [<paramref name="from"/>, <paramref name="to"/>) into this index.</summary>
        private void Read(IReadOnlyList<Listen> listens, int from, int to)
        {
            for (int k = from; k < to; k++)
            {
                var l = listens[k];
                var name = l.User ?? throw new InvalidOperationException($"line {l.LineNumber}: a listen without a user reached the writer");
                UserOf[k] = NumberOf(name);
                EntryOf[k] = NumberOf(l.Item);
                if (l.TimestampUnixSeconds is not null) Events++;
            }
        }

        /// <summary>The number of a listener's name, given it (the next, in <see cref="FirstSeen"/>) when it is new.</summary>
        private int NumberOf(string name)
        {
            ref int user = ref CollectionsMarshal.GetValueRefOrAddDefault(_names, name, out bool known);
            if (!known)
            {
                user = Names.Count;
                Names.Add(name);
                FirstSeen.Add(user);
            }
            return user;
        }

        /// <summary>The number of an entry, given it (the next, in <see cref="FirstSeen"/> as <c>~number</c>) when it is new.</summary>
        private int NumberOf(ItemRef item)
        {
            ref int entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, item, out bool known);
            if (!known)
            {
                entry = Entries.Count;
                Entries.Add(item);
                FirstSeen.Add(~entry);
            }
            return entry;
        }

        /// <summary>Adds <paramref name="later"/>, the index of the listens after this one's, renumbering its names and
        /// entries: those this index has keep their numbers, the others follow in the order they first appear.</summary>
        private void Append(ListenIndex later, int from, int to)
        {
            var users = new int[later.Names.Count];
            var entries = new int[later.Entries.Count];
            foreach (int f in later.FirstSeen)
            {
                if (f >= 0) users[f] = NumberOf(later.Names[f]);
                else entries[~f] = NumberOf(later.Entries[~f]);
            }
            for (int k = from; k < to; k++)
            {
                UserOf[k] = users[UserOf[k]];
                EntryOf[k] = entries[EntryOf[k]];
            }
            Events += later.Events;
        }
    }

    /// <summary>The catalog ids of the distinct names and entries, resolved in the order they first appear.</summary>
    private (long[] Users, long[] Items) Resolve(ListenIndex listens)
    {
        var users = new long[listens.Names.Count];
        var items = new long[listens.Entries.Count];
        foreach (int f in listens.FirstSeen)
        {
            if (f >= 0) users[f] = _resolver.User(listens.Names[f]);
            else items[~f] = _resolver.Item(listens.Entries[~f]);
        }
        return (users, items);
    }

    /// <summary>
    /// Streams the listens to the server as they are turned into ids (the server stores while the writer turns):
    /// events in file order, each (user, item, time) once (a repeat is a duplicate, as the catalog's unique index would
    /// say: found here, the server stores without looking), aggregated counts summed per (user, item) and sent after.
    /// Rows carry ids reserved from the table's sequence in one step, so no statement orders them or asks the sequence
    /// row by row. An import of at least as many events as the table holds (a first import, a service's initial load)
    /// is copied straight into <c>interactions</c> (<see cref="BulkLoad"/>); a smaller one into a scratch table, then
    /// inserted with <c>ON CONFLICT DO NOTHING</c>, the indexes kept up to date row by row.
    /// </summary>
    private (int Added, int Updated, int Duplicates, int Skips) WriteListens(IReadOnlyList<Listen> listens, ListenIndex index,
        long[] userIds, long[] itemIds, string origin, long importId)
    {
        if (listens.Count == 0) return (0, 0, 0, 0);
        // one import at a time writes interactions (readers go on): the duplicates found below stay the only ones, and
        // no other statement takes ids from the sequence between the reservation and the rows that use them
        Exec("LOCK TABLE interactions IN SHARE ROW EXCLUSIVE MODE");
        long held = index.Events == 0 ? long.MaxValue : Held(index.Events);
        bool bulk = index.Events >= held;
        long id = ScalarLong("""
            SELECT setval(s::regclass, nextval(s::regclass) + @n - 1) - @n + 1 FROM pg_get_serial_sequence('interactions', 'id') AS s
            """, ("n", (long)listens.Count))!.Value;
        // whether the bulk load must look for events the catalog holds (the estimate above may be stale)
        bool heldAny = bulk && Scalar("SELECT EXISTS (SELECT 1 FROM interactions)") is true;
        if (bulk)
        {
            // index builds sort in memory up to maintenance_work_mem: at least 256 MB for this transaction
            Exec("SELECT set_config('maintenance_work_mem', '262144', true) FROM pg_settings WHERE name = 'maintenance_work_mem' AND setting::bigint < 262144");
            foreach (var sql in DropForBulk) Exec(sql);
            // an empty table is emptied again in this transaction, so the rows can go in frozen (below)
            if (!heldAny) Exec("TRUNCATE interactions");
        }
        else
        {
            Scratch();
        }

        var seen = new HashSet<(long User, long Item, long At)>(index.Events);
        var aggregateOf = new Dictionary<(long User, long Item), int>();
        var aggregates = new List<(long User, long Item, double Count)>();
        int events = 0, eventSkips = 0, repeats = 0;
        var source = System.Text.Encoding.UTF8.GetBytes(origin);
        using (var copy = new BinaryCopyWriter(_db, bulk
                   ? $"COPY interactions (id, user_id, item_id, count, timestamp_unix_s, source, import_id) FROM STDIN (FORMAT BINARY{(heldAny ? "" : ", FREEZE")})"
                   : "COPY import_rows (id, user_id, item_id, count, at) FROM STDIN (FORMAT BINARY)"))
        {
            short fields = bulk ? (short)7 : (short)5;
            for (int k = 0; k < listens.Count; k++)
            {
                var l = listens[k];
                long user = userIds[index.UserOf[k]], item = itemIds[index.EntryOf[k]];
                if (l.TimestampUnixSeconds is not { } at)
                {
                    ref int row = ref CollectionsMarshal.GetValueRefOrAddDefault(aggregateOf, (user, item), out bool known);
                    if (known) aggregates[row] = aggregates[row] with { Count = aggregates[row].Count + l.Count };
                    else
                    {
                        row = aggregates.Count;
                        aggregates.Add((user, item, l.Count));
                    }
                    continue;
                }
                if (!seen.Add((user, item, at)))
                {
                    repeats++;
                    continue;
                }
                copy.StartRow(fields);
                copy.Write(id++);
                copy.Write(user);
                copy.Write(item);
                copy.Write(l.Count);
                copy.Write(at);
                if (bulk)
                {
                    copy.Write(source);
                    copy.Write(importId);
                }
                events++;
                if (l.Count == 0) eventSkips++;
            }
            copy.Complete();
        }

        int added, skips;
        if (bulk)
        {
            (added, skips) = BulkLoad(events, eventSkips, heldAny, importId);
            if (aggregates.Count > 0) Scratch();
        }
        else
        {
            (added, skips) = (0, 0);
        }
        if (aggregates.Count > 0)
        {
            using var copy = new BinaryCopyWriter(_db, "COPY import_rows (id, user_id, item_id, count) FROM STDIN (FORMAT BINARY)");
            foreach (var (user, item, count) in aggregates)
            {
                copy.StartRow(4);
                copy.Write(id++);
                copy.Write(user);
                copy.Write(item);
                copy.Write(count);
            }
            copy.Complete();
        }
        if (!bulk || aggregates.Count > 0) Exec("ANALYZE import_rows");
        if (!bulk && events > 0) (added, skips) = Inserted("at IS NOT NULL", origin, importId);
        var (addedAggregates, _) = aggregates.Count == 0 ? (0, 0) : Inserted("at IS NULL", origin, importId);
        int updated = aggregates.Count == addedAggregates ? 0 : Exec("""
            UPDATE interactions x SET count = r.count, import_id = @import FROM import_rows r
            WHERE r.at IS NULL AND x.user_id = r.user_id AND x.item_id = r.item_id AND x.source = @source
              AND x.timestamp_unix_s IS NULL AND x.count <> r.count
            """, ("import", importId), ("source", origin));
        return (added + addedAggregates, updated, repeats + events - added + aggregates.Count - addedAggregates - updated, skips);
    }

    /// <summary>The scratch table of the rows a smaller import (or an import's aggregated counts) sends, empty.</summary>
    private void Scratch() => Exec("""
        CREATE TEMP TABLE IF NOT EXISTS import_rows (id bigint NOT NULL, user_id bigint NOT NULL, item_id bigint NOT NULL,
            count double precision NOT NULL, at bigint) ON COMMIT DROP;
        TRUNCATE import_rows
        """);

    /// <summary>
    /// Completes a bulk load: the <paramref name="events"/> rows just copied into <c>interactions</c> without its primary
    /// key and without the indexes events enter (dropped by <see cref="DropForBulk"/>; the aggregates' partial index stays,
    /// as no event enters it), those the catalog held already deleted (only when it held any), the key and indexes
    /// built again — a fraction of the server's time of keeping them up to date row by row — all inside the import's
    /// transaction, so a failed import leaves table and indexes as they were. Into an empty table (a first import, a
    /// service's initial load) the table is truncated first, in the same transaction, and the rows are copied frozen:
    /// no later pass over them sets their hint bits or freezes them, and the visibility map says every page is visible
    /// (a reader whose snapshot predates the import sees them too, as it would not with MVCC; the table was empty).
    /// Readers of interactions wait for such an import to commit. How many went in, and how many of those are skips.
    /// </summary>
    private (int Added, int Skips) BulkLoad(int events, int eventSkips, bool heldAny, long importId)
    {
        int deleted = 0, deletedSkips = 0;
        if (heldAny)
        {
            using var cmd = Command("""
                WITH deleted AS (
                    DELETE FROM interactions n USING interactions o
                    WHERE n.import_id = @import AND o.import_id IS DISTINCT FROM @import AND o.user_id = n.user_id AND o.item_id = n.item_id
                      AND o.source = n.source AND o.timestamp_unix_s = n.timestamp_unix_s
                    RETURNING n.count)
                SELECT COUNT(*), COUNT(*) FILTER (WHERE count = 0) FROM deleted
                """, ("import", importId));
            cmd.CommandTimeout = 0;
            using var r = cmd.ExecuteReader();
            r.Read();
            (deleted, deletedSkips) = (Convert.ToInt32(r.GetInt64(0)), Convert.ToInt32(r.GetInt64(1)));
        }
        foreach (var sql in BuildAfterBulk) Exec(Command(sql));
        Exec("ANALYZE interactions");
        return (events - deleted, eventSkips - deletedSkips);
    }

    /// <summary>How many rows interactions holds, or at least <paramref name="events"/> (the planner's estimate once
    /// the table has been analysed; else counted, up to that many).</summary>
    private long Held(int events)
    {
        double estimate = Convert.ToDouble(Scalar("SELECT reltuples FROM pg_class WHERE oid = 'interactions'::regclass"), System.Globalization.CultureInfo.InvariantCulture);
        return estimate >= 0 ? (long)estimate : ScalarLong("SELECT COUNT(*) FROM (SELECT 1 FROM interactions LIMIT @n) t", ("n", events + 1L))!.Value;
    }

    /// <summary>The primary key and the indexes events enter, as schema step 1 made them: dropped before a bulk load
    /// and built again after (the tests check that they come back the same).</summary>
    private static readonly string[] DropForBulk =
    [
        "ALTER TABLE interactions DROP CONSTRAINT interactions_pkey",
        "DROP INDEX interactions_event",
        "DROP INDEX interactions_item",
    ];

    private static readonly string[] BuildAfterBulk =
    [
        "ALTER TABLE interactions ADD CONSTRAINT interactions_pkey PRIMARY KEY (id)",
        "CREATE UNIQUE INDEX interactions_event ON interactions (user_id, item_id, source, timestamp_unix_s) WHERE timestamp_unix_s IS NOT NULL",
        "CREATE INDEX interactions_item ON interactions (item_id)",
    ];

    /// <summary>Inserts the scratch rows that match <paramref name="which"/>, leaving out those already there; how many
    /// went in, and how many of those are skips.</summary>
    private (int Added, int Skips) Inserted(string which, string origin, long importId)
    {
        using var cmd = Command($"""
            WITH added AS (
                INSERT INTO interactions (id, user_id, item_id, count, timestamp_unix_s, source, import_id)
                SELECT id, user_id, item_id, count, at, @source, @import FROM import_rows WHERE {which}
                ON CONFLICT DO NOTHING RETURNING count)
            SELECT COUNT(*), COUNT(*) FILTER (WHERE count = 0) FROM added
            """, ("source", origin), ("import", importId));
        cmd.CommandTimeout = 0; // as long as the import is large: the caller's cancellation is the bound
        using var r = cmd.ExecuteReader();
        r.Read();
        return (Convert.ToInt32(r.GetInt64(0)), Convert.ToInt32(r.GetInt64(1)));
    }
}
