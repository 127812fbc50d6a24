namespace Earworm.Learning.Sequences;

/// <summary>Options of <see cref="MarkovSequences"/>.</summary>
public sealed record MarkovSequenceOptions
{
    public int Topics { get; init; } = 10;
    public int ItemsPerTopic { get; init; } = 20;
    public int Sequences { get; init; } = 500;
    public int MinLength { get; init; } = 8;
    public int MaxLength { get; init; } = 20;

    /// <summary>Chance that the next item is the current one's fixed successor; otherwise any item of the topic.</summary>
    public double Successor { get; init; } = 0.8;

    /// <summary>Chance, per step, of moving on to another topic.</summary>
    public double TopicSwitch { get; init; } = 0.05;

    /// <summary>Chance that a listen is a skip; a skip does not move the chain (the listener turns back to what they
    /// were following).</summary>
    public double Skip { get; init; }

    /// <summary>Seeds the sequences drawn.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Seeds the structure (topics' successor cycles): sets drawn with other <see cref="Seed"/>s and the same
    /// structure seed follow the same chain.</summary>
    public int StructureSeed { get; init; } = 1;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Topics, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ItemsPerTopic, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(Sequences, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MinLength, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLength, MinLength);
        foreach (var p in new[] { Successor, TopicSwitch, Skip })
            if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(Successor), p, "probabilities lie in [0, 1)");
    }
}

/// <summary>
/// Sequences with a known order: items fall into topics, and within a topic each item has one fixed successor (a
/// random cycle through the topic), followed with probability <see cref="MarkovSequenceOptions.Successor"/>; otherwise
/// the next item is any of the topic's. An order-blind model can learn the topic (which items go together) but not
/// the successor, so the best it can do is about 1 / items-per-topic at the first place, while a model of order can
/// reach the successor probability. Used by the tests and by <c>evaluate --dataset markov</c>.
/// </summary>
public static class MarkovSequences
{
    public static IReadOnlyList<Sequence> Generate(MarkovSequenceOptions options, out int itemCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int perTopic = options.ItemsPerTopic;
        itemCount = options.Topics * perTopic;
        var successor = Successors(options, new Random(options.StructureSeed));
        var rng = new Random(options.Seed);
        var sequences = new List<Sequence>(options.Sequences);
        for (int s = 0; s < options.Sequences; s++)
        {
            int length = rng.Next(options.MinLength, options.MaxLength + 1);
            int topic = rng.Next(options.Topics);
            int current = topic * perTopic + rng.Next(perTopic);
            var items = new int[length];
            var skipped = new bool[length];
            bool anySkip = false;
            items[0] = current;
            for (int i = 1; i < length; i++)
            {
                if (options.Skip > 0 && rng.NextDouble() < options.Skip)
                {
                    // a skip: a random track of another topic, heard and left; the chain stays where it was
                    items[i] = ((topic + 1 + rng.Next(Math.Max(1, options.Topics - 1))) % options.Topics) * perTopic + rng.Next(perTopic);
                    skipped[i] = anySkip = true;
                    continue;
                }
                if (rng.NextDouble() < options.TopicSwitch)
                {
                    topic = rng.Next(options.Topics);
                    current = topic * perTopic + rng.Next(perTopic);
                }
                else current = rng.NextDouble() < options.Successor ? successor[current] : topic * perTopic + rng.Next(perTopic);
                items[i] = current;
            }
            sequences.Add(new Sequence(items, anySkip ? skipped : null));
        }
        return sequences;
    }

    /// <summary>Each topic's items in a random cycle: item → the next in its cycle.</summary>
    private static int[] Successors(MarkovSequenceOptions options, Random rng)
    {
        int perTopic = options.ItemsPerTopic;
        var successor = new int[options.Topics * perTopic];
        for (int t = 0; t < options.Topics; t++)
        {
            var cycle = Enumerable.Range(t * perTopic, perTopic).ToArray();
            rng.Shuffle(cycle);
            for (int i = 0; i < perTopic; i++) successor[cycle[i]] = cycle[(i + 1) % perTopic];
        }
        return successor;
    }
}
