namespace Earworm.Recommend.Playlists;

/// <summary>
/// A model of listening order over library tracks (a trained next-item network): which tracks tend to come after a
/// history. Keep playing asks it for each next track and falls back to the space when it knows none of the recent
/// tracks or none of its candidates may be played.
/// </summary>
public interface INextTrackOrder
{
    /// <summary>What it is, as the reasons name it ("sasrec model sasrec-1a2b3c4d5e6f").</summary>
    string Description { get; }

    /// <summary>Library tracks likely next after <paramref name="history"/> (track ids, oldest first), best first, with
    /// their scores (higher likelier); empty when it knows none of the history's tracks.</summary>
    IReadOnlyList<(long TrackId, float Score)> Next(IReadOnlyList<long> history, int depth);
}
