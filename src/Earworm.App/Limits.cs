using Earworm.App.Feedback;
using Earworm.App.Library;
using Earworm.App.Playlists;
using Earworm.App.Recommendations;
using Earworm.App.Similar;

namespace Earworm.App;

/// <summary>The limits of every request, in one record, so a front end can show them (the page's sliders and fields
/// take their ranges from it) and every front end refuses the same values.</summary>
public sealed record Limits(int MaxPlaylistLength, int MaxKeepOn, double MaxDrunk, int MaxNoRepeatArtist, double MaxMinutes,
    int MaxSimilar, int MaxRecommendations, int MaxTrackPage, int MaxUserName)
{
    public static Limits Current { get; } = new(PlaylistLimits.MaxLength, PlaylistLimits.MaxKeepOn, PlaylistLimits.MaxDrunk,
        PlaylistLimits.MaxNoRepeatArtist, PlaylistLimits.MaxMinutes, SimilarRequest.MaxCount, RecommendRequest.MaxCount,
        TrackListing.MaxLimit, FeedbackService.MaxUserLength);
}
