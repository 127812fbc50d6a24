using Earworm.App.Recommendations;
using Earworm.Recommend.Personal;

namespace Earworm.App.Discover;

/// <summary>A discovery list as a front end asks for it.</summary>
/// <param name="User">The listener (a name <c>users</c> lists).</param>
/// <param name="NewArtistsOnly">Leave out every artist the listener played (default); false keeps new tracks by known artists.</param>
/// <param name="LibraryOnly">Only tracks of the library (what a saved playlist can hold).</param>
/// <param name="Save">Store the list as the listener's playlist of the week (<see cref="DiscoverService.PlaylistName"/>),
/// replacing that week's earlier one.</param>
/// <param name="RandomSeed">Seeds the exploration draws (a test's; null: a fresh draw every time).</param>
public sealed record DiscoverRequest(string User, DiscoverOptions Options, bool NewArtistsOnly = true, bool LibraryOnly = false,
    bool Save = false, int? RandomSeed = null)
{
    public const int MaxCount = 500;

    /// <exception cref="UsageException">no listener, or an option out of range.</exception>
    public DiscoverRequest Validated()
    {
        if (string.IsNullOrWhiteSpace(User)) throw new UsageException("say who for: --user NAME (`earworm users` lists them)");
        if (Options.Count is < 1 or > MaxCount) throw new UsageException($"count must be 1–{MaxCount}");
        if (!(Options.Explore >= 0 && Options.Explore <= 1)) throw new UsageException("explore must be 0–1 (the share of the list given to exploration)");
        if (!(Options.Diversity >= 0 && Options.Diversity <= 1)) throw new UsageException("diversity must be 0–1");
        if (Options.ArtistGap < 1) throw new UsageException("the artist gap must be at least 1");
        return this;
    }
}

/// <summary>One track of a discovery list: the recommendation, its artist, the arm that explored it (null: the
/// listener's taste ranking) with why in words, and the probability it was picked with (its logged propensity).</summary>
public sealed record DiscoverItem(PersonalItem Item, string? Artist, string? Arm, string Why, double Propensity)
{
    /// <summary>What the bandit saw of an explored pick (<see cref="DiscoverFeatures"/>, in their order); null for a taste pick.</summary>
    public IReadOnlyList<double>? Features { get; init; }
}

/// <summary>An exploration arm as the bandit sees it now: its posterior Beta(α, β) from the logged outcomes of what it
/// showed, and how many candidates it had for this list.</summary>
public sealed record DiscoverArmState(string Name, string Explanation, double Alpha, double Beta, int Outcomes, int Candidates);

/// <summary>A discovery list: for whom, from which cf model, the week's playlist name and, when saved, its id and how
/// many of its tracks it holds (library tracks only); <paramref name="NewArtists"/>: distinct artists in the list the
/// listener never played.</summary>
public sealed record DiscoverResult(string User, string ModelVersion, string How, string PlaylistName, IReadOnlyList<DiscoverItem> Items,
    IReadOnlyList<DiscoverArmState> Arms, int NewArtists, IReadOnlyList<PersonalNote> Notes, long? SavedPlaylistId = null, int SavedTracks = 0);
