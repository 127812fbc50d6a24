using Earworm.App.Library;
using Earworm.App.Recommendations;
using Earworm.Audio.Descriptors;
using Earworm.Web.Views;

namespace Earworm.Web.Tests;

/// <summary>What the API's views say, built without a server.</summary>
public sealed class ViewTests
{
    private static readonly LibraryView Empty = new([], new Dictionary<long, TrackDescriptors>(), [], []);

    [Fact]
    public void ARecommendationsSourceNamesItsModelOnce()
    {
        var said = RecommendView.Of(Empty, "ann", new PersonalResult("ann", "als-0123456789ab",
            "For ann: als factors learned from 5 items they played (model als-0123456789ab).", [], [])).Source;
        Assert.Equal("For ann: als factors learned from 5 items they played (model als-0123456789ab).", said);   // was "cf model als-…: For ann: … (model als-…)."
        var folded = RecommendView.Of(Empty, "bob", new PersonalResult("bob", "als-0123456789ab", "Folded in from 2 seeds.", [], [])).Source;
        Assert.Equal("cf model als-0123456789ab: Folded in from 2 seeds.", folded);   // a reason that does not name it gets the model
    }
}
