using System.Globalization;
using Earworm.App;
using Earworm.App.Library;
using Earworm.App.Playlists;
using Earworm.App.Tags;
using Earworm.Web.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Earworm.Web.Endpoints;

/// <summary>A track's tags, as people edit them (source <c>user</c>).</summary>
public sealed record TrackTagsView(long TrackId, IReadOnlyList<TagView> Tags);

/// <summary>A tag a person adds.</summary>
public sealed record TagEdit(string? Tag);

/// <summary>Words asked for ("calm piano for the evening"), the playlist's length and space, and how many matches seed it.</summary>
public sealed record WordsRequest(string? Text, int? Length, string? Space, int? KeepOn, string? User);

/// <summary>Words: a track's tags (read, added, removed: <see cref="TagService"/>) and a playlist asked for in words
/// (<see cref="PlaylistService"/> with its text), each through the application layer as the CLI's <c>tags</c> and
/// <c>playlist --text</c>.</summary>
internal static class WordEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/tracks/{id:long}/tags", Tags).WithName("TrackTags").WithTags("tags")
            .WithSummary("A track's tags, best first, with their scores and sources (file, import, user, audio)");
        api.MapPost("/tracks/{id:long}/tags", Add).WithName("AddTrackTag").WithTags("tags")
            .WithSummary("Add a person's tag to a track ({\"tag\": \"…\"}; normalised as every tag); answers the track's tags");
        api.MapDelete("/tracks/{id:long}/tags/{tag}", Remove).WithName("RemoveTrackTag").WithTags("tags")
            .WithSummary("Remove a tag a person added (tags from files, imports and audio stay); answers the track's tags");
        api.MapPost("/playlist/words", Words).WithName("WordsPlaylist").WithTags("playlist")
            .WithSummary("A playlist asked for in words: the words matched to tags and texts seed keep playing; each track says which words pulled it in");
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<Ok<TrackTagsView>> Tags(LibraryCache library, TagService tags, long id, CancellationToken ct)
    {
        Known(library, id);
        var t = await tags.TagsAsync(Id(id), ct).ConfigureAwait(false);
        return TypedResults.Ok(new TrackTagsView(id, t.Tags));
    }

    private static Ok<TrackTagsView> Add(LibraryCache library, TagService tags, long id, TagEdit edit)
    {
        Known(library, id);
        if (string.IsNullOrWhiteSpace(edit.Tag)) throw new UsageException("say which tag to add: {\"tag\": \"…\"}");
        return TypedResults.Ok(new TrackTagsView(id, tags.Add(Id(id), edit.Tag)));
    }

    private static Ok<TrackTagsView> Remove(LibraryCache library, TagService tags, long id, string tag)
    {
        Known(library, id);
        return TypedResults.Ok(new TrackTagsView(id, tags.Remove(Id(id), tag)));
    }

    /// <summary>Unlike a player's refill, the tracks the words matched are in the answer: they are where it starts.</summary>
    private static async Task<Ok<PlaylistView>> Words(LibraryCache library, PlaylistService playlists, WebOptions options, WordsRequest request,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Text)) throw new UsageException("say in words what to play (\"calm piano for the evening\")");
        var defaults = new KeepPlayingRequest();
        var result = await playlists.KeepPlayingAsync(new KeepPlayingRequest
        {
            Text = request.Text, Length = request.Length ?? defaults.Length, Space = request.Space, KeepOn = request.KeepOn ?? defaults.KeepOn,
            User = request.User ?? options.DefaultUser,
        }, ct).ConfigureAwait(false);
        return TypedResults.Ok(PlaylistView.Of(library.Current, result));
    }

    private static void Known(LibraryCache library, long id)
    {
        if (library.Current.Find(id) is null) throw new TrackNotFoundException(id);
    }
}
