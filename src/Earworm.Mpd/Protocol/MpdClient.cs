using System.Globalization;

namespace Earworm.Mpd.Protocol;

/// <summary>The commands of MPD the auto-DJ uses, typed, over one <see cref="MpdConnection"/>.</summary>
public sealed class MpdClient(MpdConnection connection) : IAsyncDisposable
{
    public MpdConnection Connection { get; } = connection ?? throw new ArgumentNullException(nameof(connection));

    /// <exception cref="UsageException">MPD refused the password.</exception>
    public async Task PasswordAsync(string password, CancellationToken ct = default)
    {
        try
        {
            await Connection.SendAsync("password", [password], ct).ConfigureAwait(false);
        }
        catch (MpdAckException e) when (e.Code == MpdAck.Password)
        {
            throw new UsageException($"MPD at {Connection.Address} refused the password (--password): {e.Text}");
        }
    }

    public async Task<MpdStatus> StatusAsync(CancellationToken ct = default) =>
        MpdStatus.From(await Connection.SendAsync("status", ct).ConfigureAwait(false));

    public async Task<MpdSong?> CurrentSongAsync(CancellationToken ct = default) =>
        MpdSong.ListFrom(await Connection.SendAsync("currentsong", ct).ConfigureAwait(false)).FirstOrDefault();

    /// <summary>The queue, in order.</summary>
    public async Task<IReadOnlyList<MpdSong>> QueueAsync(CancellationToken ct = default) =>
        MpdSong.ListFrom(await Connection.SendAsync("playlistinfo", ct).ConfigureAwait(false));

    /// <summary>Adds a song of MPD's database at the end of the queue; answers its queue id.</summary>
    public async Task<long> AddAsync(string uri, CancellationToken ct = default)
    {
        var answer = await Connection.SendAsync("addid", [uri], ct).ConfigureAwait(false);
        var id = answer.FirstOrDefault(p => p.Key == "Id").Value;
        return long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n)
            ? n : throw new MpdConnectionException($"MPD answered addid without an id: \"{id}\"");
    }

    public Task DeleteAsync(long songId, CancellationToken ct = default) =>
        Connection.SendAsync("deleteid", [songId.ToString(CultureInfo.InvariantCulture)], ct);

    public Task PlayAsync(int? position = null, CancellationToken ct = default) =>
        Connection.SendAsync("play", position is { } p ? [p.ToString(CultureInfo.InvariantCulture)] : [], ct);

    public Task NextAsync(CancellationToken ct = default) => Connection.SendAsync("next", ct);

    public Task ClearAsync(CancellationToken ct = default) => Connection.SendAsync("clear", ct);

    /// <summary>MPD's <c>music_directory</c> from <c>config</c>, which MPD answers only on its local socket; null when
    /// it does not answer it here.</summary>
    public async Task<string?> MusicDirectoryAsync(CancellationToken ct = default)
    {
        try
        {
            var answer = await Connection.SendAsync("config", ct).ConfigureAwait(false);
            return answer.FirstOrDefault(p => p.Key == "music_directory").Value is { Length: > 0 } dir ? dir : null;
        }
        catch (MpdAckException e) when (e.Code is MpdAck.Permission or MpdAck.Unknown)
        {
            return null;
        }
    }

    /// <summary>Every song file in MPD's database, as URIs relative to its music directory.</summary>
    public async Task<IReadOnlyList<string>> AllFilesAsync(CancellationToken ct = default) =>
        [.. (await Connection.SendAsync("listall", ct).ConfigureAwait(false)).Where(p => p.Key == "file").Select(p => p.Value)];

    /// <summary>Waits for a change of one of <paramref name="subsystems"/> (<see cref="MpdConnection.IdleAsync"/>).</summary>
    public Task<IReadOnlyList<string>> IdleAsync(IEnumerable<string> subsystems, CancellationToken ct = default) =>
        Connection.IdleAsync(subsystems, ct);

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
