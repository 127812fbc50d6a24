using Earworm.Catalog;
using Earworm.Evaluation.Data;
using Earworm.Evaluation.Protocols;
using Earworm.Learning;
using Earworm.Learning.Embeddings;

namespace Earworm.Evaluation.Tests.Data;

public sealed class CatalogListeningTests
{
    [Fact]
    public void Dense_ids_sessions_and_playlists_from_catalog_records()
    {
        ListeningRecord[] records =
        [
            new(20, 7, 2, null),          // an aggregate count
            new(10, 5, 1, 1_000),
            new(10, 6, 1, 1_100),         // same session
            new(10, 5, 1, 1_100 + 3_600), // an hour later: a new session
            new(10, 9, 0, 1_200),         // a skip: not a play
        ];
        PlaylistItems[] playlists = [new(1, "p", 20, [7, 8, 5]), new(2, "empty", null, [])];
        var data = CatalogListening.From(records, playlists, TimeSpan.FromMinutes(30));
        Assert.Equal([10L, 20], data.Users.Ids);
        Assert.Equal([5L, 6, 7, 8], data.Items.Ids); // 9 was only skipped; 8 only in a playlist
        Assert.Equal(3, data.InteractionItemCount);
        Assert.Equal(1, data.Skips);
        Assert.Equal(4, data.Interactions.Count);
        Assert.Equal(3, data.TimedInteractions);
        Assert.Equal([(0, new[] { 0, 1 }), (0, new[] { 0 })], data.Sessions.Select(s => (s.User, s.Items)).ToList(), new SessionComparer());
        var playlist = Assert.Single(data.Playlists);
        Assert.Equal(1, playlist.User);
        Assert.Equal([2, 3, 0], playlist.Items);
        var matrix = data.ToMatrix();
        Assert.Equal(2f, matrix[0, 0]);
        Assert.Equal(4, matrix.Columns);
        Assert.Equal(3, data.ToDataset().ItemCount);
    }

    private sealed class SessionComparer : IEqualityComparer<(int, int[])>
    {
        public bool Equals((int, int[]) x, (int, int[]) y) => x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2);
        public int GetHashCode((int, int[]) obj) => obj.Item1;
    }

    [Fact]
    public void Track2vec_under_a_protocol_never_learns_from_held_out_items()
    {
        // every session holds item 3, which no user has in training: it must get no vector
        var sessions = Enumerable.Range(0, 40).Select(u => (u % 4, new[] { u % 3, 3, (u + 1) % 3 })).ToList();
        var train = InteractionMatrix.FromInteractions(
            Enumerable.Range(0, 4).SelectMany(u => Enumerable.Range(0, 3).Select(i => new Interaction(u, i, 1))), 4, 4);
        var trainer = new SequenceTrack2VecTrainer(new Track2VecOptions { Dimensions = 4, MinCount = 1, Epochs = 2, Threads = 1 }, sessions, []);
        Assert.True(trainer.HasSequences);
        var model = trainer.Fit(train, null, default);
        Assert.Equal(4, model.UserCount);
        Assert.Empty(model.SimilarItems(3, 5).Ids);
        Assert.NotEmpty(model.SimilarItems(0, 5).Ids);
        Assert.DoesNotContain(3, model.Recommend(0, train, 4, excludeSeen: false).Ids);
    }
}
