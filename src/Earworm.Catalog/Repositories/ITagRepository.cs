using Earworm.Catalog.Tags;
using Earworm.Catalog.Text;

namespace Earworm.Catalog;

/// <summary>Tags on tracks from every source (<see cref="TagSource"/>), normalised (<see cref="TagText"/>) and scored,
/// and the tags imports put on listening items (Last.fm 2K's on artists), which reach the library's tracks through the
/// item linked to a track or an artist item of the track's artist.</summary>
public interface ITagRepository
{
    /// <summary>Replaces, at once, a track's tags of one source with these (normalised; a repeat or a score ≤ 0 is an
    /// error): a scan's file tags, the autotagger's predictions.</summary>
    void ReplaceTrackTags(long trackId, TagSource source, IReadOnlyList<(string Tag, double Score)> tags);

    /// <summary>Adds tags, or sets the score of those already there (same track, tag and source), all at once; how many
    /// rows were added or changed.</summary>
    int SetTrackTags(IReadOnlyList<TrackTag> tags);

    /// <summary>Removes one tag of one source from a track; whether it was there.</summary>
    bool RemoveTrackTag(long trackId, string tag, TagSource source);

    /// <summary>A track's tags, best first: its own of every source, and as <see cref="TagSource.Import"/> the tags of the
    /// listening item linked to it and of the artist item of its artist (spellings of one tag merged, scores summed).</summary>
    IReadOnlyList<TrackTag> TagsOfTrack(long trackId);

    /// <summary>Every track's tags by the rules of <see cref="TagsOfTrack"/>, ordered by track, best first.</summary>
    IReadOnlyList<TrackTag> AllTrackTags();

    /// <summary>Every tag imports put on listening items, as imported (raw spelling; normalise before use).</summary>
    IReadOnlyList<ItemTagRecord> AllItemTags();

    /// <summary>Reads the file tags of analysed tracks never read for them (analysed before Earworm read tags) from
    /// the raw tags the catalog kept, without decoding; how many tracks were read.</summary>
    int ReadMissingFileTags();

    /// <summary>Adds texts about artists, albums and tracks, or replaces the text already there for the same kind and
    /// key, all at once; how many were added or changed (the same text again changes nothing).</summary>
    int SetTexts(IReadOnlyList<TextDocument> texts);

    /// <summary>Every text, by kind and key.</summary>
    IReadOnlyList<TextDocument> AllTexts();
}
