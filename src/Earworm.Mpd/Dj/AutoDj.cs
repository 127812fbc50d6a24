using System.Globalization;
using Earworm.App;
using Earworm.App.Feedback;
using Earworm.App.Playlists;
using Earworm.Catalog;
using Earworm.Catalog.Scanning;
using Earworm.Mpd.Protocol;
using Earworm.Recommend.Playlists;

namespace Earworm.Mpd.Dj;

/// <summary>
/// The auto-DJ: keeps <see cref="DjOptions.QueueLength"/> songs queued in MPD after the current one, each a keep-playing
/// pick of the application layer's <see cref="PlaylistService"/> from what has just played. It waits with
/// <c>idle player playlist database</c>; a song left early is a skip for the listener (recorded through
/// <see cref="FeedbackService"/>), steers the next picks away and has the DJ's own waiting picks picked again; a song
/// heard out is a play. When MPD goes away it reconnects with back-off (1 s, doubling, at most 30 s).
/// </summary>
public sealed class AutoDj
{
    private static readonly string[] Subsystems = ["player", "playlist", "database"];

    private readonly EarwormServices _services;
    private readonly DjOptions _options;
    private readonly IProgress<DjEvent> _log;
    private readonly TimeProvider _time;
    private readonly ListeningClock _clock = new();
    private readonly HashSet<long> _ourSongIds = [];
    private readonly HashSet<string> _noted = new(StringComparer.Ordinal);

    /// <summary>The queue held songs at the last look (this connection): an empty one now was cleared by the listener.</summary>
    private bool _sawQueue;

    /// <summary>The listener cleared the queue: nothing is queued until something plays.</summary>
    private bool _holding;

    public AutoDj(EarwormServices services, DjOptions options, IProgress<DjEvent> log, TimeProvider? time = null)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _time = time ?? TimeProvider.System;
        _services.Library.Current.Space(_options.Space); // an unknown or empty space is a usage error before MPD is asked anything
    }

    /// <summary>Runs until cancelled. The first connection must succeed (a wrong address is an error, not a wait);
    /// after that, a lost MPD is waited for.</summary>
    /// <exception cref="MpdConnectionException">MPD cannot be reached at the start.</exception>
    /// <exception cref="UsageException">a wrong password, or no song of MPD's is an analysed track.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        bool everConnected = false;
        var delay = _options.FirstReconnectDelay;
        while (true)
        {
            MpdClient client;
            try
            {
                client = new MpdClient(await MpdConnection.ConnectAsync(_options.Address, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false));
            }
            catch (MpdConnectionException e) when (everConnected)
            {
                Log("waiting", $"{e.Message}; trying again in {Seconds(delay)}");
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                continue;
            }
            await using (client.ConfigureAwait(false))
            {
                try
                {
                    await SessionAsync(client, everConnected, () => { everConnected = true; delay = _options.FirstReconnectDelay; }, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (MpdConnectionException e) when (!cancellationToken.IsCancellationRequested && everConnected)
                {
                    _clock.Reset(); // what played while MPD was away is unknown: the song then current is not judged
                    _ourSongIds.Clear();
                    Log("lost", $"{e.Message}; reconnecting in {Seconds(delay)}");
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                }
            }
        }
    }

    private async Task SessionAsync(MpdClient client, bool reconnect, Action connected, CancellationToken ct)
    {
        if (_options.Password is { } password) await client.PasswordAsync(password, ct).ConfigureAwait(false);
        var files = await client.AllFilesAsync(ct).ConfigureAwait(false);
        var (map, view) = await MapAsync(client, files, ct).ConfigureAwait(false);
        _sawQueue = _holding = false; // an empty queue found on connecting is filled, as on start
        connected();
        Log("connected", $"{(reconnect ? "reconnected to" : "connected to")} MPD {client.Connection.Version} at {client.Connection.Address}: " +
            $"{map.Playable.Count} of its {files.Count} songs are analysed tracks; " +
            $"keeping {_options.QueueLength} queued after the current song, from the {view.Space(_options.Space).Name} space");
        while (true)
        {
            // the catalog changed (a scan, or only feedback): match MPD's songs again, without asking MPD
            if (!ReferenceEquals(view, _services.Library.Current)) (map, view) = await MapAsync(client, files, ct).ConfigureAwait(false);
            await StepAsync(client, map, ct).ConfigureAwait(false);
            var changed = await client.IdleAsync(Subsystems, ct).ConfigureAwait(false);
            if (changed.Contains("database"))
            {
                files = await client.AllFilesAsync(ct).ConfigureAwait(false);
                (map, view) = await MapAsync(client, files, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>MPD's songs matched to the catalog's analysed tracks; says which it passes over.</summary>
    private async Task<(MpdLibraryMap, App.Library.LibraryView)> MapAsync(MpdClient client, IReadOnlyList<string> files, CancellationToken ct)
    {
        var view = _services.Library.Current;
        string? dir = _options.MusicDirectory, source = "given with --music-dir";
        if (dir is null && await client.MusicDirectoryAsync(ct).ConfigureAwait(false) is { } fromMpd)
        {
            dir = fromMpd;
            source = "read from MPD";
        }
        // the catalog holds canonical paths (symlinks resolved); a folder this machine cannot see is taken as it is
        if (dir is not null && Directory.Exists(dir)) dir = LibraryWalker.CanonicalRoots([dir])[0];
        var map = MpdLibraryMap.Build(files, [.. view.Facts.Values.Select(f => (f.Id, f.Path))], dir);
        if (map.Inferred) source = "inferred from the paths (MPD tells it only on its local socket; --music-dir sets it)";
        if (map.Playable.Count == 0)
            throw new UsageException(files.Count == 0
                ? $"MPD at {_options.Address} has no songs in its database (mpc update)"
                : $"none of MPD's {files.Count} songs is an analysed track of this catalog" + (dir is null
                    ? ": give MPD's music directory with --music-dir, or scan it (earworm scan DIR)"
                    : $" under {dir} ({source}): scan it (earworm scan {dir}) or give --music-dir"));
        NoteOnce($"dir:{map.MusicDirectory}", $"MPD's music directory is {map.MusicDirectory}, {source}");
        if (map.Unanalysed.Count > 0)
            NoteOnce($"unanalysed:{map.Unanalysed.Count}", $"{map.Unanalysed.Count} of MPD's songs are not analysed by Earworm and are passed over " +
                $"(first: {map.Unanalysed[0]}); `earworm scan {map.MusicDirectory}` analyses them");
        return (map, view);
    }

    /// <summary>Looks at what plays and what is queued: judges a song just left, and tops the queue up.</summary>
    private async Task StepAsync(MpdClient client, MpdLibraryMap map, CancellationToken ct)
    {
        var status = await client.StatusAsync(ct).ConfigureAwait(false);
        var song = await client.CurrentSongAsync(ct).ConfigureAwait(false);
        bool skipped = false;
        if (_clock.Observe(status, song, _time.GetUtcNow()) is { } left) skipped = Judge(left, map);
        var queue = await client.QueueAsync(ct).ConfigureAwait(false);
        // a queue the listener emptied while nothing plays stays empty until they play something again
        if (status.State == MpdPlayState.Play) _holding = false;
        else if (queue.Count == 0 && _sawQueue && !_holding)
        {
            _holding = true;
            Log("waiting", "the queue was cleared: nothing is queued until something plays");
        }
        _sawQueue = queue.Count > 0;
        if (_holding) return;
        int current = song?.Position ?? status.SongPosition ?? -1;
        if (song is not null && map.TrackOf(song.File) is null)
            NoteOnce($"current:{song.File}", $"playing {song.DisplayName}, which Earworm has not analysed: the picks follow the songs around it");
        // after a skip, the DJ's own picks still waiting were chosen before it: they are picked again
        var ours = skipped ? queue.Skip(current + 1).Where(s => s.Id is { } id && _ourSongIds.Contains(id)).ToList() : [];
        var kept = queue.Where(s => !ours.Contains(s)).ToList();
        int needed = _options.QueueLength - (kept.Count - current - 1);
        if (needed <= 0) return;
        var picks = await PickAsync(map, kept, needed, ct).ConfigureAwait(false);
        if (picks is null) return;
        // a waiting pick picked again stays where it is; the others go
        var again = picks.Select(p => p.TrackId).ToHashSet();
        var gone = ours.Where(s => map.TrackOf(s.File) is not { } t || !again.Remove(t)).ToList();
        foreach (var s in gone) await client.DeleteAsync(s.Id!.Value, ct).ConfigureAwait(false);
        if (gone.Count > 0) Log("removed", $"after the skip, took out {string.Join(", ", gone.Select(s => s.DisplayName))}");
        foreach (var entry in picks.Where(p => again.Contains(p.TrackId))) await QueueAsync(client, map, entry, ct).ConfigureAwait(false);
    }

    /// <summary>Records a left song as a play or a skip for the listener; true for a skip.</summary>
    private bool Judge(LeftSong left, MpdLibraryMap map)
    {
        _ourSongIds.Remove(left.SongId);
        var outcome = left.Outcome;
        string heard = string.Create(CultureInfo.InvariantCulture, $"after {left.ListenedSeconds:0} s of {(left.DurationSeconds is { } d ? $"{d:0} s" : "?")}");
        if (map.TrackOf(left.File) is not { } track)
        {
            Log("note", $"left {left.File} {heard}: not an analysed track, not recorded");
            return outcome == ListenOutcome.Skip;
        }
        var kind = outcome == ListenOutcome.Skip ? FeedbackKind.Skip : FeedbackKind.Play;
        _services.Feedback.Record(new FeedbackRequest(track, kind, _options.User, "mpd")
        {
            PositionSeconds = left.ListenedSeconds,
            // a play that got within 5 s of the end (MPD reports the time of the last status poll)
            Completed = kind == FeedbackKind.Play && left.DurationSeconds is { } length && left.ListenedSeconds >= length - 5,
        }, _options.User);
        var facts = _services.Library.Current.Facts.GetValueOrDefault(track);
        Log(outcome == ListenOutcome.Skip ? "skip" : "play",
            $"{(outcome == ListenOutcome.Skip ? "skipped" : "played")} {facts?.DisplayName ?? left.File} {heard}", track);
        return outcome == ListenOutcome.Skip;
    }

    /// <summary><paramref name="needed"/> keep-playing picks to follow <paramref name="queue"/>; null when there is
    /// nothing to follow.</summary>
    private async Task<IReadOnlyList<PlaylistEntry>?> PickAsync(MpdLibraryMap map, IReadOnlyList<MpdSong> queue, int needed, CancellationToken ct)
    {
        var space = _services.Library.Current.Space(_options.Space);
        var since = _time.GetUtcNow() - TimeSpan.FromHours(_options.HistoryHours);
        var listens = _services.Feedback.ListensSince(_options.User, since);
        var steering = DjSteering.Plan(listens, [.. queue.Select(s => map.TrackOf(s.File))], _options.KeepOn, space.Vectors.Contains);
        var request = new KeepPlayingRequest
        {
            History = steering.History, Away = steering.Away, Among = map.Playable, Length = needed, NextOnly = true,
            KeepOn = _options.KeepOn, Drunk = _options.Drunk, Space = _options.Space, ExcludeArtists = _options.BlockArtists,
            User = _options.User,
        };
        PlaylistResult result;
        try
        {
            result = await _services.Playlists.KeepPlayingAsync(request, ct).ConfigureAwait(false);
        }
        catch (UsageException e) when (steering.History.Count == 0)
        {
            // nothing plays or is queued, and the listener's own history gives no seed either
            NoteOnce($"nothing:{e.Message}", $"nothing to follow yet ({e.Message}): play a song Earworm has analysed and the DJ keeps going from it");
            return null;
        }
        foreach (var note in result.Notes) NoteOnce($"result:{note}", note);
        return [.. result.Entries.Where(e => e.Role != "seed").Take(needed)];
    }

    private async Task QueueAsync(MpdClient client, MpdLibraryMap map, PlaylistEntry entry, CancellationToken ct)
    {
        string uri = map.UriOf(entry.TrackId) ?? throw new InvalidOperationException($"track {entry.TrackId} was picked though MPD does not have it");
        try
        {
            _ourSongIds.Add(await client.AddAsync(uri, ct).ConfigureAwait(false));
        }
        catch (MpdAckException e) when (e.Code == MpdAck.NoExist)
        {
            Log("note", $"MPD no longer has {uri}: {e.Text}", entry.TrackId);
            return;
        }
        string name = entry.Artist is null || entry.Title is null ? Path.GetFileName(entry.Path) : $"{entry.Artist} – {entry.Title}";
        Log("queued", $"queued {name}: {string.Join("; ", entry.Reasons)}", entry.TrackId);
    }

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s");

    private void NoteOnce(string key, string message)
    {
        if (_noted.Add(key)) Log("note", message);
    }

    private void Log(string kind, string message, long? track = null) => _log.Report(new DjEvent(_time.GetUtcNow(), kind, message, track));
}
