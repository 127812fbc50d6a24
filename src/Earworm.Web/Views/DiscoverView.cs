using System.Globalization;
using Earworm.App.Discover;
using Earworm.App.Library;

namespace Earworm.Web.Views;

/// <summary>A pick of a discovery list as the page plays it (a <see cref="Pick"/> with more): why it is there, the
/// exploration arm that chose it (null: the listener's taste ranking) and the probability with which it was chosen.</summary>
public sealed record DiscoverPickView(TrackSummary Track, double Score, IReadOnlyList<string> Reasons, string Why, string? Arm, bool Explored, double Propensity);

/// <summary>A listener's discovery list (<c>GET /api/discover</c>): its library tracks, the week's playlist name (and
/// the saved playlist's id), the exploration arms as the bandit sees them, and notes.</summary>
public sealed record DiscoverView(string User, string Source, string PlaylistName, IReadOnlyList<DiscoverPickView> Tracks,
    IReadOnlyList<DiscoverArmState> Arms, int NewArtists, IReadOnlyList<string> Notes, long? SavedPlaylistId)
{
    public static DiscoverView Of(LibraryView view, DiscoverResult r) => new(r.User, $"cf model {r.ModelVersion}: {r.How}", r.PlaylistName,
        [.. r.Items.Where(i => i.Item.TrackId is { } id && view.Find(id) is not null).Select(i => new DiscoverPickView(
            TrackSummary.Of(view, i.Item.TrackId!.Value), Math.Round(i.Item.Score, 4),
            [i.Why, string.Create(CultureInfo.InvariantCulture, $"chosen with probability {i.Propensity:0.###}")],
            i.Why, i.Arm, i.Arm is not null, i.Propensity))],
        r.Arms, r.NewArtists, [.. r.Notes.Select(n => n.Text)], r.SavedPlaylistId);
}
