namespace Earworm.Catalog.Tests.Contract;

/// <summary>Accounts, API keys, stars, app playlists, retracted feedback and play counts: the listener's side of the
/// contract (<see cref="IAccountRepository"/>, <see cref="IUserLibraryRepository"/>).</summary>
public abstract partial class CatalogContract
{
    [ContractFact]
    public void AnAccountKeepsItsSealedPasswordAndKeysUntilRemovedAndTheListenerStays()
    {
        long a = Analysed("/m/a.mp3", "A", "One", "h1");
        Catalog.RecordFeedback("alice", a, FeedbackKind.Play);
        var made = Catalog.SaveAccount("alice", [1, 2, 3]);
        Assert.Equal(("alice", 0), (made.Name, made.ApiKeys));
        Assert.Equal(new byte[] { 1, 2, 3 }, made.SealedPassword);
        Assert.Equal(made.UserId, Catalog.FindUserId("alice")); // the listener the feedback made
        Catalog.SaveAccount("alice", [9]);
        Assert.Equal(new byte[] { 9 }, Catalog.FindAccount("alice")!.SealedPassword);
        Catalog.SaveAccount("bob", [4]);
        Assert.Equal(["alice", "bob"], Catalog.ListAccounts().Select(x => x.Name));

        var k1 = Catalog.AddApiKey("alice", "sha-1", "phone");
        var k2 = Catalog.AddApiKey("alice", "sha-2", "");
        Catalog.AddApiKey("bob", "sha-3", "desk");
        Assert.Equal(["sha-1", "sha-2"], Catalog.ListApiKeys("alice").Select(k => k.KeySha256));
        Assert.Equal(("alice", "phone"), (k1.User, k1.Label));
        Assert.Equal(3, Catalog.ListApiKeys().Count);
        Assert.Equal(2, Catalog.FindAccount("alice")!.ApiKeys);
        Assert.True(Catalog.RevokeApiKey(k2.Id));
        Assert.False(Catalog.RevokeApiKey(k2.Id));
        Assert.Throws<CatalogException>(() => Catalog.AddApiKey("carol", "sha-4", ""));

        Assert.True(Catalog.RemoveAccount("alice"));
        Assert.False(Catalog.RemoveAccount("alice"));
        Assert.Null(Catalog.FindAccount("alice"));
        Assert.Equal(["sha-3"], Catalog.ListApiKeys().Select(k => k.KeySha256));
        Assert.Single(Catalog.FeedbackOf("alice")); // the listening stays
    }

    [ContractFact]
    public void StarsAreKeptPerListenerAndKindAndUnstarredOnce()
    {
        Catalog.SetStar("me", StarKind.Album, "al-1", starred: true);
        Catalog.SetStar("me", StarKind.Album, "al-1", starred: true);
        Catalog.SetStar("me", StarKind.Artist, "ar-1", starred: true);
        Catalog.SetStar("you", StarKind.Album, "al-2", starred: true);
        Assert.Equal([(StarKind.Album, "al-1"), (StarKind.Artist, "ar-1")], Catalog.StarsOf("me").Select(s => (s.Kind, s.Key)).Order());
        Catalog.SetStar("me", StarKind.Album, "al-1", starred: false);
        Assert.Equal([(StarKind.Artist, "ar-1")], Catalog.StarsOf("me").Select(s => (s.Kind, s.Key)));
    }

    [ContractFact]
    public void RatingsAreReplacedPerListenerAndItemAndZeroRemovesThem()
    {
        Catalog.SetRating("me", RatedKind.Song, "12", 4);
        Catalog.SetRating("me", RatedKind.Song, "12", 2);
        Catalog.SetRating("me", RatedKind.Album, "al-1", 5);
        Catalog.SetRating("you", RatedKind.Song, "12", 1);
        Assert.Equal([(RatedKind.Song, "12", 2), (RatedKind.Album, "al-1", 5)],
            Catalog.RatingsOf("me").Select(r => (r.Kind, r.Key, r.Rating)).OrderBy(r => r.Kind));
        Assert.Equal([(RatedKind.Song, "12", 1)], Catalog.RatingsOf("you").Select(r => (r.Kind, r.Key, r.Rating)));
        Catalog.SetRating("me", RatedKind.Song, "12", 0);
        Catalog.SetRating("me", RatedKind.Artist, "nobody", 0); // nothing to remove: no error
        Assert.Equal([(RatedKind.Album, "al-1", 5)], Catalog.RatingsOf("me").Select(r => (r.Kind, r.Key, r.Rating)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Catalog.SetRating("me", RatedKind.Song, "12", 6));
        Assert.Empty(Catalog.RatingsOf("nobody"));
    }

    [ContractFact]
    public void AppPlaylistsKeepTheirOrderAreEditedAndDeleted()
    {
        long a = Analysed("/m/a.mp3", "A", "One", "h1");
        long b = Analysed("/n/b.mp3", "B", "Two", "h2");
        long id = Catalog.CreatePlaylist("me", "Mix", [b, a, b]);
        var p = Catalog.FindPlaylist(id)!;
        Assert.Equal(("Mix", "me", CatalogStore.AppPlaylistFormat), (p.Name, p.Owner, p.Format));
        Assert.Equal([b, a, b], p.TrackIds);
        Catalog.UpdatePlaylist(id, "Renamed", null);
        Assert.Equal(("Renamed", 3), (Catalog.FindPlaylist(id)!.Name, Catalog.FindPlaylist(id)!.TrackIds.Count));
        Catalog.UpdatePlaylist(id, null, [a]);
        Assert.Equal([a], Catalog.FindPlaylist(id)!.TrackIds);
        Assert.Equal(((string?)null, false), (Catalog.FindPlaylist(id)!.Comment, Catalog.FindPlaylist(id)!.Public));
        Assert.Empty(Catalog.PublicPlaylists());
        Catalog.UpdatePlaylist(id, null, null, "for the road", isPublic: true);
        Assert.Equal(("for the road", true, "Renamed", 1), (Catalog.FindPlaylist(id)!.Comment, Catalog.FindPlaylist(id)!.Public,
            Catalog.FindPlaylist(id)!.Name, Catalog.FindPlaylist(id)!.TrackIds.Count));   // what is not given stays
        Assert.Equal([id], Catalog.PublicPlaylists().Select(x => x.Id));
        Catalog.UpdatePlaylist(id, null, null, "", isPublic: false);   // an empty comment removes it
        Assert.Equal(((string?)null, false), (Catalog.FindPlaylist(id)!.Comment, Catalog.FindPlaylist(id)!.Public));
        Assert.Empty(Catalog.PublicPlaylists());
        Assert.Equal([id], Catalog.PlaylistsOf("me").Select(x => x.Id));
        Assert.Empty(Catalog.PlaylistsOf("you"));
        Assert.Contains(Catalog.LoadPlaylists(), x => x.Id == id); // what collaborative filtering reads
        Assert.Throws<CatalogException>(() => Catalog.UpdatePlaylist(id + 100, "x", null));
        Assert.True(Catalog.DeletePlaylist(id));
        Assert.False(Catalog.DeletePlaylist(id));
        Assert.Null(Catalog.FindPlaylist(id));
    }

    [ContractFact]
    public void FeedbackIsRetractedByKindAndPlaysAreCounted()
    {
        long a = Analysed("/m/a.mp3", "A", "One", "h1");
        long b = Analysed("/n/b.mp3", "B", "Two", "h2");
        Catalog.RecordFeedback("me", a, FeedbackKind.Like);
        Catalog.RecordFeedback("me", a, FeedbackKind.Play);
        Catalog.RecordFeedback("me", a, FeedbackKind.Play);
        Catalog.RecordFeedback("you", b, FeedbackKind.Play);
        Catalog.RecordFeedback("you", a, FeedbackKind.Like);
        Assert.Equal(1, Catalog.RetractFeedback("me", a, FeedbackKind.Like));
        Assert.Equal([FeedbackKind.Play, FeedbackKind.Play], Catalog.FeedbackOf("me").Select(f => f.Kind));
        Assert.Single(Catalog.FeedbackOf("you"), f => f.Kind == FeedbackKind.Like); // only my like went
        var counts = Catalog.PlayCounts();
        Assert.Equal((2.0, 1.0), (counts[a], counts[b]));
    }
}
