namespace Earworm.Learning;

/// <summary>One user's listening of one item: a play count (or any positive weight) and, when known, when.
/// Users and items are dense indices 0..n−1; the catalog maps them to its own ids.</summary>
public readonly record struct Interaction(int User, int Item, float Count, long? TimestampUnixSeconds = null);
